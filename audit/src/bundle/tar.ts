import { createReadStream, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';

/** A bundle as one POSIX ustar file (flat, regular files only): what the API hands out for download. */
const BLOCK = 512;

/** One ustar header block; names longer than 100 bytes are refused rather than cut. */
export function tarHeader(name: string, size: number, mtime: number, mode = 0o644): Buffer {
  if (Buffer.byteLength(name) > 100) throw new RangeError(`A tar entry name is at most 100 bytes: ${name}`);
  const block = Buffer.alloc(BLOCK);
  const put = (text: string, offset: number, length: number) => block.write(text.slice(0, length), offset, length, 'ascii');
  const octal = (n: number, length: number) => `${n.toString(8).padStart(length - 1, '0')}\0`;
  put(name, 0, 100);
  put(octal(mode, 8), 100, 8);
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
      yield tarHeader(name, size, Math.floor(mtimeMs / 1000));
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

/** The padding after an entry's bytes, and the two zero blocks that end an archive. */
export const tarPadding = (size: number): Buffer => Buffer.alloc(size % BLOCK === 0 ? 0 : BLOCK - (size % BLOCK));
export const tarEnd = (): Buffer => Buffer.alloc(2 * BLOCK);

export class TarDamagedError extends Error {}

/**
 * Reads a ustar stream entry by entry, each entry's bytes in memory (at most `maxEntryBytes`):
 * for archives of many bounded parts that must not be unpacked to disk first.
 */
export async function* readTarEntries(source: AsyncIterable<Buffer>, maxEntryBytes: number): AsyncGenerator<{ name: string; data: Buffer }> {
  const bytes = new ByteQueue(source[Symbol.asyncIterator]());
  for (;;) {
    const block = await bytes.take(BLOCK);
    if (block === null) throw new TarDamagedError('The archive ends before its last entry');
    if (block.every((b) => b === 0)) return;
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : block[i]!;
    const recorded = Number.parseInt(block.subarray(148, 156).toString('ascii').replace(/\0.*$/s, '').trim(), 8);
    if (recorded !== sum) throw new TarDamagedError('An entry header fails its checksum');
    const name = block.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    const size = Number.parseInt(block.subarray(124, 136).toString('ascii').replace(/\0.*$/s, '').trim() || '0', 8);
    if (!Number.isSafeInteger(size) || size > maxEntryBytes) throw new TarDamagedError(`Entry ${name} claims ${size} bytes, more than any part holds`);
    const data = await bytes.take(size);
    const padding = await bytes.take(tarPadding(size).length);
    if (data === null || padding === null) throw new TarDamagedError(`The archive ends inside entry ${name}`);
    yield { name, data };
  }
}

/** Exactly n bytes at a time from a stream of chunks; null at the end of the stream. */
class ByteQueue {
  private chunks: Buffer[] = [];
  private length = 0;
  constructor(private readonly source: AsyncIterator<Buffer>) {}

  async take(n: number): Promise<Buffer | null> {
    while (this.length < n) {
      const next = await this.source.next();
      if (next.done) return null;
      this.chunks.push(next.value);
      this.length += next.value.length;
    }
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    const taken = all.subarray(0, n);
    const rest = all.subarray(n);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.length = rest.length;
    return taken;
  }
}
