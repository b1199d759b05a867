import { createHash, type Hash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { BundleFile } from '../bundle/format.js';

/** A file written in large chunks, hashed on the way: its digest is ready when it closes. */
export class BundleFileWriter {
  private readonly stream: WriteStream;
  private readonly hash: Hash = createHash('sha256');
  private pending: string[] = [];
  private pendingLength = 0;
  private bytes = 0;
  records = 0;

  constructor(readonly path: string) {
    this.stream = createWriteStream(path, { flags: 'wx' });
  }

  /** Queues text; resolves at once unless a flush had to wait for the disk. */
  async write(text: string, records = 0): Promise<void> {
    this.pending.push(text);
    this.pendingLength += text.length;
    this.records += records;
    if (this.pendingLength >= 1 << 20) await this.flush();
  }

  /** Bytes already encoded (a worker's UTF-8), written as they are after any queued text. */
  async writeBytes(bytes: Uint8Array, records = 0): Promise<void> {
    await this.flush();
    this.records += records;
    await this.put(bytes);
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const chunk = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    this.pendingLength = 0;
    await this.put(chunk);
  }

  private async put(chunk: Uint8Array): Promise<void> {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  async close(): Promise<BundleFile> {
    await this.flush();
    await new Promise<void>((resolve, reject) => this.stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
    return { sha256: this.hash.digest('hex'), bytes: this.bytes, records: this.records };
  }

  /** Closes without caring for the result (after a failure). */
  abort(): void {
    this.stream.destroy();
  }
}
