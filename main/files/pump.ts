// The read-ahead/write-behind pump of file encryption: reads run ahead and
// writes behind on libuv's thread pool while the main thread seals or
// opens a segment, with a few large buffers reused throughout, so memory
// is constant in the file size.
import { collectYoungGarbage, GC_EVERY_BYTES } from './gc.js';
import { type Source } from './sources.js';
import { type Sink } from './sinks.js';

interface PumpOptions {
  /** bytes per input chunk (plaintext segment, or sealed segment when decrypting) */
  chunk: number;
  /** turns chunk `index` into output chunks; `final` says it is the last */
  transform(index: number, final: boolean, data: Buffer): Buffer[];
  signal?: AbortSignal | undefined;
  /** input bytes consumed so far (including `offset`) */
  onChunk?: ((done: number) => void) | undefined;
  /** bytes consumed before the pump started (a header) */
  offset?: number;
}

/** Chunks read ahead: with this many reads in flight the thread pool stays busy while a segment is sealed. */
const READ_AHEAD = 3;

/**
 * Reads the source in chunks, transforms each and writes the result; the
 * last chunk is the one followed by end of input (which may be empty only
 * if it is the first). Returns the number of chunks and output bytes.
 */
export async function pump(source: Source, sink: Sink, o: PumpOptions): Promise<{ chunks: number; read: number; written: number }> {
  const free: Buffer[] = Array.from({ length: READ_AHEAD + 1 }, () => Buffer.allocUnsafe(o.chunk));
  const reads: Promise<{ buf: Buffer; n: number }>[] = [];
  let ended = false;
  const issue = () => {
    while (!ended && free.length > 0) {
      const buf = free.pop()!;
      const p = source.read(buf, o.chunk).then((n) => {
        if (n < o.chunk) ended = true;
        return { buf, n };
      });
      p.catch(() => undefined); // observed when it is next()
      reads.push(p);
    }
  };
  const next = async () => {
    issue();
    const r = reads.shift();
    // ended and nothing queued: an empty read after the last full chunk
    return r ? await abortable(r, o.signal) : { buf: free.pop() ?? Buffer.alloc(0), n: 0 };
  };
  try {
    const offset = o.offset ?? 0;
    let done = offset;
    let written = 0;
    let sinceGc = 0;
    let cur = await next();
    for (let index = 0; ; index++) {
      o.signal?.throwIfAborted();
      let following: { buf: Buffer; n: number } | undefined;
      let final = cur.n < o.chunk;
      if (!final) {
        following = await next();
        final = following.n === 0;
      }
      const out = o.transform(index, final, cur.buf.subarray(0, cur.n));
      done += cur.n;
      free.push(cur.buf);
      if (following && following.n === 0) free.push(following.buf);
      let length = 0;
      for (const c of out) length += c.length;
      await abortable(sink.write(out, length), o.signal);
      written += length;
      sinceGc += length;
      if (sinceGc >= GC_EVERY_BYTES) {
        sinceGc = 0;
        collectYoungGarbage();
      }
      o.onChunk?.(done);
      if (final) {
        await abortable(sink.flush(), o.signal);
        return { chunks: index + 1, read: done - offset, written };
      }
      cur = following!;
    }
  } finally {
    // Let reads and writes still in flight settle before the caller closes
    // anything. After an abort, a read from a pipe may never settle (no more
    // data is coming): then leave them, the caller is going away.
    if (!o.signal?.aborted) {
      await Promise.allSettled(reads);
      await sink.settle();
    }
  }
}

/** Rejects with the signal's reason as soon as it aborts, even if `p` never settles (a pipe with no data coming). */
export function abortable<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e as Error);
      },
    );
  });
}
