import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { ROOT, stageRepository } from './stage';

/** The entries of a zip file (a VSIX), read from its central directory; no unzip tool needed. */
function readZip(file: string): Map<string, () => Buffer> {
  const zip = readFileSync(file);
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(eocd >= 0, 'a zip file');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries = new Map<string, () => Buffer>();
  for (let i = 0; i < count; i++) {
    assert.equal(zip.readUInt32LE(at), 0x02014b50, 'central directory entry');
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    entries.set(name, () => {
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + size);
      return method === 8 ? inflateRawSync(data) : Buffer.from(data);
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

interface Manifest {
  icon?: string;
  galleryBanner?: { color?: string; theme?: string };
  categories?: string[];
  contributes: { walkthroughs?: { steps: { media: Record<string, string> }[] }[] };
}

/**
 * The Marketplace package as `vsce package` builds it (prepublish build included), from a staged copy of
 * the repository: the runtime files, the icon and the walkthrough media are in; sources, tests, source
 * maps, the CLI bundles and anything secret-looking are out.
 */
describe('VSIX: what the Marketplace package holds', function () {
  this.timeout(240_000);
  let dir: string;
  let entries: Map<string, () => Buffer>;
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;

  before(async () => {
    let stage: string;
    ({ dir, stage } = stageRepository('gdap-vsix-'));
    // What a developer's tree may hold besides: a stale source map, a secret, a private key.
    mkdirSync(join(stage, 'dist'));
    writeFileSync(join(stage, 'dist', 'extension.js.map'), '{"version":3}');
    writeFileSync(join(stage, '.env'), 'GDAP_CLIENT_SECRET=do-not-ship\n');
    writeFileSync(join(stage, 'emulator-key.pem'), '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n');
    const vsix = join(dir, 'gdap-explorer.vsix');
    const vsce = join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
    const result = await new Promise<{ code: number; out: string }>((resolve) => {
      execFile(
        process.execPath,
        [vsce, 'package', '--no-dependencies', '--no-rewrite-relative-links', '--allow-missing-repository', '--out', vsix],
        { cwd: stage, timeout: 200_000, maxBuffer: 16 * 1024 * 1024 },
        (error, stdout, stderr) => resolve({ code: error === null ? 0 : 1, out: `${stdout}\n${stderr}` }),
      );
    });
    assert.equal(result.code, 0, result.out);
    entries = readZip(vsix);
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('ships the runtime: extension, msal, Graph SDK and features bundles, manifest, strings, icon, documents', () => {
    for (const name of [
      'extension/package.json',
      'extension/package.nls.json',
      'extension/package.nls.de.json',
      'extension/package.nls.fr.json',
      'extension/package.nls.ja.json',
      'extension/l10n/bundle.l10n.json',
      'extension/l10n/bundle.l10n.de.json',
      'extension/l10n/bundle.l10n.fr.json',
      'extension/l10n/bundle.l10n.ja.json',
      'extension/dist/extension.js',
      'extension/dist/msal.js',
      'extension/dist/graphSdk.js',
      'extension/dist/features.js',
      'extension/media/gdap.svg',
      'extension/media/gdap.png',
      'extension/schemas/gdap-template.schema.json',
      'extension/readme.md',
      'extension/changelog.md',
      'extension/SECURITY.md',
      'extension.vsixmanifest',
    ]) {
      assert.ok(
        [...entries.keys()].some((e) => e.toLowerCase() === name.toLowerCase()),
        `${name} is in the VSIX (has: ${[...entries.keys()].join(', ')})`,
      );
    }
    assert.ok([...entries.keys()].some((e) => /^extension\/LICENSE(\.txt)?$/i.test(e)));
  });

  it('ships every walkthrough medium', () => {
    const media = (manifest.contributes.walkthroughs ?? []).flatMap((w) => w.steps.flatMap((s) => Object.entries(s.media)));
    const paths = media.filter(([k]) => k !== 'altText').map(([, v]) => v);
    assert.ok(paths.length >= 5);
    for (const p of paths) {
      assert.ok(p.startsWith('media/walkthrough/'), p);
      assert.ok(entries.has(`extension/${p}`), `${p} is in the VSIX`);
    }
  });

  it('no sources, tests, source maps, CLI bundles or secrets', () => {
    for (const name of entries.keys()) {
      assert.doesNotMatch(name, /^extension\/(src|test|scripts|docs|node_modules|\.ci|out)\//, name);
      assert.doesNotMatch(name, /\.(ts|map|pem|key|pfx|tgz|vsix|mjs|cjs)$/, name);
      assert.doesNotMatch(name, /(^|\/)\.env|tsconfig|eslint|prettier|mocharc|esbuild/i, name);
      assert.doesNotMatch(name, /^extension\/dist\/(cli|emulator)\.js$/, `${name}: the CLI is the npm package's, not the extension's`);
    }
    for (const [name, read] of entries) {
      const text = read().toString('latin1');
      assert.doesNotMatch(text, /-----BEGIN [A-Z ]*PRIVATE KEY-----/, `${name} holds a private key`);
      assert.doesNotMatch(text, /do-not-ship/, `${name} holds a secret`);
      assert.doesNotMatch(text, /eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{10,}/, `${name} holds a token`);
    }
  });

  it('Marketplace metadata: a 128×128 PNG icon, gallery banner, categories', () => {
    assert.equal(manifest.icon, 'media/gdap.png');
    const png = entries.get('extension/media/gdap.png')?.();
    assert.ok(png !== undefined);
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    assert.equal(png.readUInt32BE(16), 128, 'width');
    assert.equal(png.readUInt32BE(20), 128, 'height');
    assert.match(manifest.galleryBanner?.color ?? '', /^#[0-9A-Fa-f]{6}$/);
    assert.ok(['dark', 'light'].includes(manifest.galleryBanner?.theme ?? ''));
    assert.deepEqual(manifest.categories, ['Azure', 'Other']);
    const vsixManifest = entries.get('extension.vsixmanifest')?.().toString('utf8') ?? '';
    assert.match(vsixManifest, /Path="extension\/media\/gdap\.png"/);
  });
});
