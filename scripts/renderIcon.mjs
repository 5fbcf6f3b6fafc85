// Renders the Marketplace icon (media/gdap.png, 128×128) from the activity-bar glyph media/gdap.svg:
// the glyph in white on a rounded square of the gallery banner colour, so it reads on light and dark
// pages. Needs `rsvg-convert` (Debian/Ubuntu: apt-get install librsvg2-bin; macOS: brew install librsvg).
// Run: node scripts/renderIcon.mjs — then commit media/gdap.png.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const background = manifest.galleryBanner?.color ?? '#1F3A5F';
const glyph = readFileSync(join(root, 'media/gdap.svg'), 'utf8');
// The glyph's drawing (its 24×24 viewBox content), stroked in white instead of currentColor.
const inner = glyph
  .replace(/^[\s\S]*?<svg[^>]*>/, '')
  .replace(/<\/svg>\s*$/, '')
  .trim();
const size = 128;
const scale = 4; // 24 × 4 = 96 px of drawing, 16 px margin each side
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">
  <rect width="${size}" height="${size}" rx="24" fill="${background}"/>
  <g transform="translate(16 16) scale(${scale})" fill="none" stroke="#ffffff" stroke-width="1.5" stroke-linecap="round" stroke-linejoin="round">
    ${inner}
  </g>
</svg>
`;
const dir = mkdtempSync(join(tmpdir(), 'gdap-icon-'));
try {
  const src = join(dir, 'icon.svg');
  writeFileSync(src, svg);
  try {
    execFileSync('rsvg-convert', ['--width', String(size), '--height', String(size), '--output', join(root, 'media/gdap.png'), src]);
  } catch (e) {
    console.error(
      `rsvg-convert failed (${e instanceof Error ? e.message : String(e)}). Install it: apt-get install librsvg2-bin (or brew install librsvg).`,
    );
    process.exit(1);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log('media/gdap.png written (128×128)');
