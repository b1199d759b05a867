// Draws the Palabre icons (a white speech bubble on green) as PNGs, with no image library.
import { deflateSync } from 'node:zlib';
import { writeFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const out = fileURLToPath(new URL('../public/icons/', import.meta.url));
const green = [0x0b, 0x6e, 0x4f];
const white = [0xff, 0xff, 0xff];

/** Coverage of the bubble at a point in unit coordinates (0..1), for the given safe-zone scale. */
function inBubble(x, y, scale) {
  const u = (x - 0.5) / scale + 0.5;
  const v = (y - 0.5) / scale + 0.5;
  const ellipse = ((u - 0.5) / 0.36) ** 2 + ((v - 0.45) / 0.28) ** 2 <= 1;
  // The tail: a triangle under the bubble, towards the lower left.
  const tail = v >= 0.6 && v <= 0.82 && u >= 0.3 && u <= 0.48 && (u - 0.3) <= (0.82 - v) * 0.9;
  return ellipse || tail;
}

function draw(size, { maskable }) {
  const samples = 4;
  const rows = [];
  for (let py = 0; py < size; py++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let px = 0; px < size; px++) {
      let cover = 0;
      let inside = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = (px + (sx + 0.5) / samples) / size;
          const y = (py + (sy + 0.5) / samples) / size;
          // Plain icons are rounded squares; maskable ones fill the canvas and the OS cuts the shape.
          const r = 0.18;
          const dx = Math.max(r - x, 0, x - (1 - r));
          const dy = Math.max(r - y, 0, y - (1 - r));
          if (maskable || dx * dx + dy * dy <= r * r) inside++;
          if (inBubble(x, y, maskable ? 0.62 : 0.8)) cover++;
        }
      }
      const n = samples * samples;
      const a = inside / n;
      const w = cover / n;
      const o = 1 + px * 4;
      for (let c = 0; c < 3; c++) row[o + c] = Math.round(green[c] * (1 - w) + white[c] * w);
      row[o + 3] = Math.round(255 * Math.max(a, w * a));
    }
    rows.push(row);
  }
  return png(size, size, Buffer.concat(rows));
}

function png(width, height, raw) {
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

mkdirSync(out, { recursive: true });
const icons = [
  ['icon-192.png', 192, false],
  ['icon-512.png', 512, false],
  ['maskable-512.png', 512, true],
  ['apple-touch-icon.png', 180, true],
  ['favicon-32.png', 32, false],
];
for (const [name, size, maskable] of icons) writeFileSync(out + name, draw(size, { maskable }));
console.log(`wrote ${icons.length} icons to ${out}`);
