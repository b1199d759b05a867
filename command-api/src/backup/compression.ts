import { pipeline, Readable, type Transform } from 'node:stream';
import zlib from 'node:zlib';
import { BackupDamagedError } from './errors.js';

export type Compression = 'zstd' | 'gzip';

// zstd came to node:zlib in Node 22.15 / 23.8; older Node keeps gzip.
const zstd = typeof (zlib as { createZstdCompress?: unknown }).createZstdCompress === 'function';
const ZSTD_MAGIC = Buffer.from([0x28, 0xb5, 0x2f, 0xfd]);
const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);

/** zstd where this Node has it (several times faster than gzip for the same size), else gzip. */
export function compressor(): { kind: Compression; stream: Transform } {
  if (zstd) return { kind: 'zstd', stream: zlib.createZstdCompress({ params: { [zlib.constants.ZSTD_c_compressionLevel]: 3 } }) };
  return { kind: 'gzip', stream: zlib.createGzip({ level: 6 }) };
}

/** Decompresses by the stream's own magic bytes; every decoding error is a damaged file. */
export async function* decompress(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const iterator = source[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) throw new BackupDamagedError('it is empty');
  const head: Buffer = first.value;
  let stream: Transform;
  if (head.subarray(0, 4).equals(ZSTD_MAGIC)) {
    if (!zstd) throw new BackupDamagedError(`it is compressed with zstd, which Node ${process.version} cannot read (use Node 22.15 or later)`);
    stream = zlib.createZstdDecompress();
  } else if (head.subarray(0, 2).equals(GZIP_MAGIC)) {
    stream = zlib.createGunzip();
  } else {
    throw new BackupDamagedError('it is not a Palabre backup (neither encrypted nor compressed as one)');
  }
  async function* all(): AsyncGenerator<Buffer> {
    yield head;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  // pipeline, not pipe: an error of the source (a chunk failing authentication) reaches the reader.
  const decoded = pipeline(Readable.from(all()), stream, () => {});
  try {
    for await (const chunk of decoded) yield chunk as Buffer;
  } catch (error) {
    if (error instanceof BackupDamagedError) throw error;
    throw new BackupDamagedError(`it does not decompress (${(error as Error).message})`);
  }
}
