import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';

/**
 * A 12-megapixel JPEG full of fine detail, like a phone photo of a street: several megabytes,
 * so the on-device compression has real work to do.
 */
export async function streetPhoto(width = 4000, height = 3000): Promise<string> {
  const channels = 3;
  const pixels = Buffer.alloc(width * height * channels);
  let seed = 42;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      const noise = (seed >>> 24) - 128;
      const i = (y * width + x) * channels;
      pixels[i] = clamp(90 + ((x * 3) % 120) + (noise >> 1));
      pixels[i + 1] = clamp(110 + ((y * 2) % 90) + (noise >> 1));
      pixels[i + 2] = clamp(70 + (((x + y) * 5) % 110) + (noise >> 1));
    }
  }
  const jpeg = await sharp(pixels, { raw: { width, height, channels } }).jpeg({ quality: 92 }).toBuffer();
  const path = join(mkdtempSync(join(tmpdir(), 'palabre-photo-')), 'fuite.jpg');
  writeFileSync(path, jpeg);
  return path;
}

const clamp = (value: number) => Math.max(0, Math.min(255, value));
