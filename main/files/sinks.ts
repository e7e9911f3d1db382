// Sinks for file encryption: ordered writes to a file (positional, a few in
// flight, synced in the background so the final fsync is short) or to a
// stream.
import { type FileHandle } from 'node:fs/promises';
import type { Writable } from 'node:stream';

export interface Sink {
  /**
   * Queues the chunks after everything written before. Resolves when the
   * caller may reuse nothing of its own and may queue more (the sink keeps a
   * few writes in flight); a write error surfaces here or in flush().
   */
  write(chunks: Buffer[], length: number): Promise<void>;
  /** waits for every queued write */
  flush(): Promise<void>;
  /** waits for every queued write to finish, failed or not (before closing after an error) */
  settle(): Promise<void>;
}

const WRITES_IN_FLIGHT = 4;

/**
 * The output is made durable (fdatasync) before it is renamed into place.
 * Syncing only at the end left ~0.3 s of write-back per GiB on the clock;
 * starting write-back every 64 MiB while encryption goes on leaves ~30 ms.
 */
export const BACKGROUND_SYNC_BYTES = 64 * 1024 * 1024;

/** Positional writes to a file, several in flight. */
export class FileSink implements Sink {
  #pos = 0;
  readonly #inflight: Promise<void>[] = [];
  #syncedTo = 0;
  #syncing: Promise<void> | undefined;
  constructor(
    readonly fh: FileHandle,
    /** start write-back (fdatasync) in the background every this many bytes; 0: never */
    readonly syncEvery = 0,
  ) {}
  async write(chunks: Buffer[], length: number): Promise<void> {
    const at = this.#pos;
    this.#pos += length;
    const p = writeAllAt(this.fh, chunks, length, at);
    p.catch(() => undefined); // observed below or in flush()
    this.#inflight.push(p);
    if (this.#inflight.length >= WRITES_IN_FLIGHT) await this.#inflight.shift();
    if (this.syncEvery > 0 && !this.#syncing && this.#pos - this.#syncedTo >= this.syncEvery) {
      const upTo = this.#pos;
      this.#syncing = this.fh.datasync().then(
        () => {
          this.#syncedTo = upTo;
          this.#syncing = undefined;
        },
        () => {
          this.#syncing = undefined; // the final sync reports it
        },
      );
    }
  }
  async flush(): Promise<void> {
    while (this.#inflight.length) await this.#inflight.shift();
    await this.#syncing;
  }
  async settle(): Promise<void> {
    await Promise.allSettled([...this.#inflight.splice(0), this.#syncing]);
  }
}

async function writeAllAt(fh: FileHandle, chunks: Buffer[], length: number, at: number): Promise<void> {
  let { bytesWritten } = await fh.writev(chunks, at);
  while (bytesWritten < length) {
    // a short write (rare: a full disk reports ENOSPC on the next call): write the rest
    const rest = Buffer.concat(chunks).subarray(bytesWritten);
    const r = await fh.write(rest, 0, rest.length, at + bytesWritten);
    if (r.bytesWritten === 0) throw new Error('the file system accepted no bytes');
    bytesWritten += r.bytesWritten;
  }
}

/** A Writable (stdout, a pipe): ordered writes with back-pressure; the stream is not ended. */
export class StreamSink implements Sink {
  #last: Promise<void> = Promise.resolve();
  constructor(readonly stream: Writable) {}
  async write(chunks: Buffer[]): Promise<void> {
    const previous = this.#last;
    let ok = true;
    const done = new Promise<void>((res, rej) => {
      chunks.forEach((c, i) => {
        const last = i === chunks.length - 1;
        ok = this.stream.write(c, last ? (err) => (err ? rej(err) : res()) : undefined) && ok;
      });
      if (chunks.length === 0) res();
    });
    done.catch(() => undefined);
    this.#last = done;
    // two segments in flight: wait for the one before this to be accepted
    await previous;
    if (!ok) await done;
  }
  flush(): Promise<void> {
    return this.#last;
  }
  async settle(): Promise<void> {
    await this.#last.catch(() => undefined);
  }
}
