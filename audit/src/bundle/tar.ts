import { createReadStream, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';

/** A bundle as one POSIX ustar file (flat, regular files only): what the API hands out for download. */
const BLOCK = 512;

function header(name: string, size: number, mtime: number): Buffer {
  const block = Buffer.alloc(BLOCK);
  const put = (text: string, offset: number, length: number) => block.write(text.slice(0, length), offset, length, 'ascii');
  const octal = (n: number, length: number) => `${n.toString(8).padStart(length - 1, '0')}\0`;
  put(name, 0, 100);
  put(octal(0o644, 8), 100, 8);
  put(octal(0, 8), 108, 8);
  put(octal(0, 8), 116, 8);
  put(octal(size, 12), 124, 12);
  put(octal(mtime, 12), 136, 12);
  put('        ', 148, 8); // checksum counted as spaces
  put('0', 156, 1);
  put('ustar\0', 257, 6);
  put('00', 263, 2);
  let sum = 0;
  for (const byte of block) sum += byte;
  put(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  return block;
}

/** Streams the files of `dir` as a tar archive. */
export function tarDirectory(dir: string): Readable {
  const names = readdirSync(dir).filter((n) => statSync(join(dir, n)).isFile()).sort();
  async function* blocks(): AsyncGenerator<Buffer> {
    for (const name of names) {
      const path = join(dir, name);
      const { size, mtimeMs } = statSync(path);
      yield header(name, size, Math.floor(mtimeMs / 1000));
      for await (const chunk of createReadStream(path)) yield chunk as Buffer;
      if (size % BLOCK !== 0) yield Buffer.alloc(BLOCK - (size % BLOCK));
    }
    yield Buffer.alloc(2 * BLOCK);
  }
  return Readable.from(blocks());
}

/** Unpacks a tar written by `tarDirectory` (or any flat ustar of regular files) into `dir`. */
export function untar(file: string, dir: string): void {
  const archive = readFileSync(file);
  mkdirSync(dir, { recursive: true });
  for (let offset = 0; offset + BLOCK <= archive.length; ) {
    const block = archive.subarray(offset, offset + BLOCK);
    if (block.every((b) => b === 0)) break;
    const name = block.subarray(0, 100).toString('ascii').replace(/\0.*$/s, '');
    const size = Number.parseInt(block.subarray(124, 136).toString('ascii').replace(/\0.*$/s, '').trim() || '0', 8);
    const type = String.fromCharCode(block[156]!);
    offset += BLOCK;
    // Only plain file names: an archive must not write outside `dir`.
    if ((type === '0' || type === '\0') && name === basename(name) && name !== '..' && name !== '.') writeFileSync(join(dir, name), archive.subarray(offset, offset + size));
    offset += Math.ceil(size / BLOCK) * BLOCK;
  }
}
