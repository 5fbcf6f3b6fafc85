process.stdout.write('gdap: not implemented yet\n');
process.exitCode = 2;
