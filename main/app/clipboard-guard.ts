// What the app copies (a key id is harmless, a data key or a decrypted
// secret is not) leaves the clipboard after a while (issue 11: 30 seconds),
// unless the user has copied something else since: then it is theirs and is
// left alone.
//
// Electron's clipboard reads and writes text asynchronously (Promise-based
// readText/writeText in its typings), so a check can overlap a newer copy:
// each copy gets a number, and a check only clears for the copy it was
// scheduled for.
import type { Clipboard } from 'electron';
import { KmsError } from '../core/errors.js';

/** The part of Electron's clipboard the guard uses (Electron's `clipboard` fits it). */
export type GuardedClipboard = Pick<Clipboard, 'readText' | 'writeText' | 'clear'>;

export interface Timers {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const REAL_TIMERS: Timers = {
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export const DEFAULT_CLEAR_AFTER_MS = 30_000;
/** A day; setTimeout cannot wait past 2^31-1 ms (~24.8 days) anyway. */
const MAX_CLEAR_AFTER_MS = 86_400_000;

function checkDelay(clearAfterMs: number): void {
  if (!Number.isInteger(clearAfterMs) || clearAfterMs < 1 || clearAfterMs > MAX_CLEAR_AFTER_MS) {
    throw new KmsError('ValidationException', `The clipboard clear delay must be a whole number of milliseconds from 1 to ${MAX_CLEAR_AFTER_MS} (a day), got ${String(clearAfterMs)}.`);
  }
}

export class ClipboardGuard {
  /** What the app last put on the clipboard and has not cleared yet. */
  private ours: string | undefined;
  /** Counts copies: a check scheduled for an older copy does nothing. */
  private generation = 0;
  private pending: unknown;
  /** The last write, which dispose() waits for so a write still under way cannot outlive the quit. */
  private writing: Promise<void> | undefined;
  private disposed = false;

  constructor(
    private readonly clipboard: GuardedClipboard,
    private readonly clearAfterMs: number = DEFAULT_CLEAR_AFTER_MS,
    private readonly timers: Timers = REAL_TIMERS,
  ) {
    checkDelay(clearAfterMs);
  }

  /**
   * Puts `text` on the clipboard and schedules its clearing after
   * `clearAfterMs` (default: the guard's); a newer copy replaces the pending
   * clear of an older one.
   */
  async copy(text: string, clearAfterMs: number = this.clearAfterMs): Promise<void> {
    if (this.disposed) throw new KmsError('KMSInvalidStateException', 'The app is quitting: nothing more is copied to the clipboard.');
    checkDelay(clearAfterMs);
    this.cancelPending();
    const generation = ++this.generation;
    this.ours = text;
    this.writing = this.clipboard.writeText(text);
    await this.writing;
    if (generation !== this.generation || this.disposed) return; // a newer copy or the quit took over
    this.pending = this.timers.setTimeout(() => {
      this.pending = undefined;
      void this.clearIfOurs(generation);
    }, clearAfterMs);
  }

  /** On quit (await it before the app exits): clears what is still the app's copy now, without waiting. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.cancelPending();
    await this.writing?.catch(() => undefined); // a failed write is its copier's error, not the quit's
    await this.clearIfOurs(this.generation);
  }

  /**
   * Clears the clipboard if it still holds the app's copy number `generation`.
   * If the clipboard cannot be read, it is cleared anyway: losing the user's
   * clipboard is better than leaving a secret on it.
   */
  private async clearIfOurs(generation: number): Promise<void> {
    const ours = this.ours;
    if (ours === undefined || generation !== this.generation) return;
    let current: string | undefined;
    try {
      current = await this.clipboard.readText();
    } catch {
      current = ours;
    }
    if (generation !== this.generation) return; // copied again while reading
    this.ours = undefined;
    if (current === ours) this.clipboard.clear();
  }

  private cancelPending(): void {
    if (this.pending !== undefined) this.timers.clearTimeout(this.pending);
    this.pending = undefined;
  }
}
