import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT, stageRepository } from './stage';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd: options.cwd, env: options.env, timeout: 180_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 99, stdout, stderr });
      },
    );
  });
}

/**
 * `npm pack` yields a package whose `gdap` bin runs after a global install into an empty prefix with
 * no network (`--offline`, a fresh cache): it must need no dependency at run time (the CLI bundle is
 * self-contained) and ship only what it needs.
 */
describe('npm package: pack, install offline into a temporary prefix, run gdap', function () {
  this.timeout(240_000);
  let dir: string;
  let stage: string;
  let tarball: string;
  let files: string[];
  const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

  before(async () => {
    ({ dir, stage } = stageRepository('gdap-npm-pack-'));
    // Leftovers a developer's dist/ may hold: none of them belongs in the package.
    mkdirSync(join(stage, 'dist'));
    writeFileSync(join(stage, 'dist', 'cli.js.map'), '{"version":3}');
    writeFileSync(join(stage, 'dist', 'gdap-explorer.vsix'), 'not a package');
    const out = join(dir, 'out');
    mkdirSync(out);
    // The real `npm pack`, prepack script included (the production build).
    const packed = await run('npm', ['pack', '--json', '--pack-destination', out, '--foreground-scripts=false'], {
      cwd: stage,
      env: { ...process.env, npm_config_cache: join(dir, 'cache'), npm_config_update_notifier: 'false' },
    });
    assert.equal(packed.code, 0, packed.stderr);
    const json = packed.stdout.slice(packed.stdout.search(/^\[/m));
    const [info] = JSON.parse(json) as { filename: string; files: { path: string }[] }[];
    tarball = join(out, info.filename);
    files = info.files.map((f) => f.path).sort();
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds only the CLI and emulator bundles and the documents', () => {
    assert.equal(tarball.endsWith(`gdap-explorer-${version}.tgz`), true, tarball);
    assert.deepEqual(files, [
      'CHANGELOG.md',
      'LICENSE',
      'README.md',
      'SECURITY.md',
      'dist/cli.js',
      'dist/cliMain.js',
      'dist/emulator.js',
      'package.json',
    ]);
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    assert.deepEqual(manifest.dependencies ?? {}, {}, 'everything is bundled: nothing to install at run time');
  });

  it('installs with --offline into an empty prefix and runs gdap --version, --help and the emulator', async () => {
    const prefix = join(dir, 'prefix');
    const home = join(dir, 'home');
    mkdirSync(home);
    // A machine with Node and npm only: no repository, no node_modules on the way, a cache nobody filled.
    const env: NodeJS.ProcessEnv = {
      PATH: `${join(prefix, 'bin')}:${dirname(process.execPath)}:/usr/bin:/bin`,
      HOME: home,
      npm_config_cache: join(dir, 'empty-cache'),
      npm_config_update_notifier: 'false',
      npm_config_userconfig: join(home, '.npmrc'),
    };
    const install = await run('npm', ['install', '-g', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', tarball], {
      cwd: home,
      env,
    });
    assert.equal(install.code, 0, install.stderr);
    const installed = join(prefix, 'lib', 'node_modules', 'gdap-explorer');
    assert.ok(existsSync(join(installed, 'dist', 'cli.js')));
    assert.ok(!existsSync(join(installed, 'node_modules')), 'no dependency was installed');
    const bin = join(prefix, 'bin', 'gdap');
    assert.ok(statSync(bin).mode & 0o111, 'gdap is executable');

    const v = await run(bin, ['--version'], { cwd: home, env });
    assert.equal(v.code, 0, v.stderr);
    assert.equal(v.stdout.trim(), version);
    const help = await run(bin, ['--help'], { cwd: home, env });
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^Usage: gdap <command> \[options\]/);
    assert.match(help.stdout, /--device-code/);
    const emulator = await run(bin, ['emulator', '--help'], { cwd: home, env });
    assert.equal(emulator.code, 0, emulator.stderr);
    assert.match(emulator.stdout, /usage: emulator/);
    const bad = await run(bin, ['inventory', '--client-id', 'nope', '--tenant', 'contoso.com'], { cwd: home, env });
    assert.equal(bad.code, 2, 'a usage error, not a crash on a missing module');
    assert.match(bad.stderr, /--client-id must be/);
    // The launcher kept V8's code cache of the bundle in the user's cache folder (src/cli/codeCache.ts), and
    // only there; the next start used it and answered the same.
    const cacheDir = join(home, '.cache', 'gdap-explorer', 'code');
    const cached = readdirSync(cacheDir).filter((f) => f.endsWith('.bin'));
    assert.equal(cached.length, 1, `one code cache file: ${cached.join(', ')}`);
    assert.equal(statSync(cacheDir).mode & 0o077, 0, "the cache folder is the user's alone");
    const again = await run(bin, ['--version'], { cwd: home, env });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout.trim(), version);
  });
});
