// Draws the tray icons and the app icon as PNGs, with no image library: each pixel is
// supersampled against a few signed-distance shapes, then written as RGBA through zlib.
// Deterministic, so `node scripts/make-icons.mjs` reproduces the committed files.
//   node scripts/make-icons.mjs [outDir]   (default: build)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';

const SAMPLES = 4;

// Signed distances (negative inside), in icon units where the canvas is 0..1.
function roundBox(px, py, cx, cy, hx, hy, r) {
  const qx = Math.abs(px - cx) - hx + r;
  const qy = Math.abs(py - cy) - hy + r;
  const outside = Math.hypot(Math.max(qx, 0), Math.max(qy, 0));
  return outside + Math.min(Math.max(qx, qy), 0) - r;
}

function circle(px, py, cx, cy, r) {
  return Math.hypot(px - cx, py - cy) - r;
}

/** A browser window: rounded outline, a filled title bar; optionally a recording dot. */
function glyph(ink, dotInk, recording) {
  return (x, y) => {
    if (recording && circle(x, y, 0.76, 0.76, 0.25) <= 0) {
      return circle(x, y, 0.76, 0.76, 0.19) <= 0 ? dotInk : null;
    }
    const frame = roundBox(x, y, 0.5, 0.5, 0.44, 0.37, 0.1);
    if (Math.abs(frame + 0.045) <= 0.045) return ink;
    if (frame <= 0 && y <= 0.35) return ink;
    return null;
  };
}

/** The app icon: a blue tile, a white browser window, a tray line under it. */
function appIcon(x, y) {
  const tile = roundBox(x, y, 0.5, 0.5, 0.46, 0.46, 0.2);
  if (tile > 0) return null;
  const white = [255, 255, 255, 255];
  const window = roundBox(x, y, 0.5, 0.44, 0.28, 0.22, 0.05);
  if (Math.abs(window + 0.02) <= 0.02) return white;
  if (window <= 0 && y <= 0.3) return white;
  if (roundBox(x, y, 0.5, 0.78, 0.3, 0.03, 0.03) <= 0) return white;
  const t = y;
  return [Math.round(30 + 20 * t), Math.round(110 + 60 * t), Math.round(220 - 30 * t), 255];
}

function render(size, paint) {
  const rgba = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const color = paint(
            (px + (sx + 0.5) / SAMPLES) / size,
            (py + (sy + 0.5) / SAMPLES) / size,
          );
          if (!color) continue;
          const alpha = color[3] / 255;
          r += color[0] * alpha;
          g += color[1] * alpha;
          b += color[2] * alpha;
          a += alpha;
        }
      }
      const offset = (py * size + px) * 4;
      // Stored straight (not premultiplied), as PNG wants.
      rgba[offset] = a > 0 ? Math.round(r / a) : 0;
      rgba[offset + 1] = a > 0 ? Math.round(g / a) : 0;
      rgba[offset + 2] = a > 0 ? Math.round(b / a) : 0;
      rgba[offset + 3] = Math.round((a / (SAMPLES * SAMPLES)) * 255);
    }
  }
  return encodePng(size, size, rgba);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

function encodePng(width, height, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per channel
  header[9] = 6; // RGBA
  // Each scanline starts with filter type 0 (none).
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const BLACK = [0, 0, 0, 255];
const DARK_INK = [40, 44, 52, 255];
const LIGHT_INK = [240, 242, 245, 255];
const RED = [229, 72, 77, 255];

// Tray variants: macOS template (black + alpha, tinted by the menu bar), a dark glyph for
// light panels, a light glyph for dark panels; each plain and recording, at 1x and 2x.
const TRAY_VARIANTS = [
  { name: (rec) => `tray${rec}Template`, ink: BLACK, dot: BLACK },
  { name: (rec) => `tray${rec}-light`, ink: DARK_INK, dot: RED },
  { name: (rec) => `tray${rec}-dark`, ink: LIGHT_INK, dot: RED },
];

const outDir = process.argv[2] ?? 'build';
mkdirSync(join(outDir, 'tray'), { recursive: true });
for (const variant of TRAY_VARIANTS) {
  for (const recording of [false, true]) {
    const base = variant.name(recording ? '-recording' : '');
    const paint = glyph(variant.ink, variant.dot, recording);
    writeFileSync(join(outDir, 'tray', `${base}.png`), render(16, paint));
    writeFileSync(join(outDir, 'tray', `${base}@2x.png`), render(32, paint));
  }
}
writeFileSync(join(outDir, 'icon.png'), render(512, appIcon));
