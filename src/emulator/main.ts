process.stdout.write('emulator: not implemented yet\n');
process.exitCode = 2;
