// Bounded garbage. node:crypto has no update-into-a-buffer call: every
// segment sealed or opened allocates its output, one byte of garbage per
// byte of data, and V8 collects ArrayBuffer memory only once ~64 MiB of it
// has piled up. A minor GC (a scavenge: the outputs die young) every few MiB
// frees them while they are young: on 1 GiB, peak RSS growth is ~45 MiB
// with it and ~75–80 MiB without (test/files/memory.test.ts, whose bound
// is 64 MiB, and file.peak_rss in test/bench/file.bench.ts).
//
// gc() is V8's --expose-gc function: it exists only in a process started
// with that flag (the memory test and the benchmark start their children
// so). Elsewhere this does nothing and V8 collects on its own schedule.
type Gc = (options?: { type?: 'minor' | 'major' }) => void;

/** A scavenge, if the process was started with --expose-gc. */
export function collectYoungGarbage(): void {
  (globalThis as { gc?: Gc }).gc?.({ type: 'minor' });
}

/** Bytes of segment output between two scavenges (4 segments of 1 MiB). */
export const GC_EVERY_BYTES = 4 * 1024 * 1024;
