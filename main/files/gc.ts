// Bounded garbage, and the one fast path of file encryption. node:crypto
// has no update-into-a-buffer call: every segment sealed or opened
// allocates its output, one byte of garbage per byte of data, and V8
// collects ArrayBuffer memory only once ~64 MiB of it has piled up. A minor
// GC (a scavenge: the outputs die young) every few MiB frees them while
// they are young and lets malloc hand the same hot pages back. It buys the
// file.encrypt target (≥ age) and the 64 MiB bound of
// test/files/memory.test.ts: on 1 GiB on the shared 2-core VM (issue 10),
// encryptFile ran at 1,330–1,700 MB/s with it and 720–1,070 without,
// decryptFile 1,450–1,820 and 580–1,100, and peak RSS grew ~45 MiB with it,
// ~78 without.
//
// gc() is V8's --expose-gc function. A process started with that flag has
// it already; plain Node lets it be exposed at run time (Node does not
// freeze V8 flags after start-up, and its docs show v8.setFlagsFromString
// for exactly such flags). Electron is left alone: its V8 may freeze flags,
// and setting one there would abort the process; V8 then collects on its
// own schedule, with the larger peak.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Gc = (options?: { type?: 'minor' | 'major'; execution?: 'sync' | 'async' }) => void;

let gc: Gc | null | undefined;

function exposed(): Gc | null {
  const existing = (globalThis as { gc?: unknown }).gc;
  if (typeof existing === 'function') return existing as Gc;
  if (process.versions.electron !== undefined) return null;
  try {
    setFlagsFromString('--expose-gc');
    const fn: unknown = runInNewContext('typeof gc === "function" ? gc : null');
    return typeof fn === 'function' ? (fn as Gc) : null;
  } catch {
    return null;
  }
}

/** A scavenge, if the runtime lets us ask for one. */
export function collectYoungGarbage(): void {
  if (gc === undefined) gc = exposed();
  gc?.({ type: 'minor' });
}

/** Bytes of segment output between two scavenges (4 segments of 1 MiB). */
export const GC_EVERY_BYTES = 4 * 1024 * 1024;
