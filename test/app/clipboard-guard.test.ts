// The clipboard guard with a fake clipboard (async like Electron's) and
// vitest's fake timers: what the app copied is cleared after the delay, only
// while it is still there; a newer copy restarts the wait; quitting clears it.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ClipboardGuard, DEFAULT_CLEAR_AFTER_MS, type GuardedClipboard } from '../../main/app/clipboard-guard.js';

/** A system clipboard: the user writes to it too. */
class FakeClipboard implements GuardedClipboard {
  text = '';
  clears = 0;
  failReads = false;
  async readText(): Promise<string> {
    if (this.failReads) throw new Error('clipboard unavailable');
    return this.text;
  }
  async writeText(text: string): Promise<void> {
    this.text = text;
  }
  clear(): void {
    this.text = '';
    this.clears += 1;
  }
}

let clipboard: FakeClipboard;
let guard: ClipboardGuard;
beforeEach(() => {
  vi.useFakeTimers();
  clipboard = new FakeClipboard();
  guard = new ClipboardGuard(clipboard); // the real setTimeout, faked by vitest
});
afterEach(() => vi.useRealTimers());

describe('ClipboardGuard', () => {
  it('clears what it copied 30 seconds later, not before', async () => {
    await guard.copy('data-key-plaintext');
    expect(clipboard.text).toBe('data-key-plaintext');
    await vi.advanceTimersByTimeAsync(DEFAULT_CLEAR_AFTER_MS - 1);
    expect(clipboard.text).toBe('data-key-plaintext');
    await vi.advanceTimersByTimeAsync(1);
    expect(clipboard.text).toBe('');
    expect(clipboard.clears).toBe(1);
  });

  it('leaves the clipboard alone when the user copied something else since', async () => {
    await guard.copy('secret');
    clipboard.text = 'the user’s own text';
    await vi.advanceTimersByTimeAsync(DEFAULT_CLEAR_AFTER_MS);
    expect(clipboard.text).toBe('the user’s own text');
    expect(clipboard.clears).toBe(0);
  });

  it('a newer copy replaces the pending clear: the wait restarts from the newer copy', async () => {
    await guard.copy('first');
    await vi.advanceTimersByTimeAsync(20_000);
    await guard.copy('second');
    await vi.advanceTimersByTimeAsync(10_000); // the first copy's 30 s are up
    expect(clipboard.text).toBe('second');
    expect(clipboard.clears).toBe(0);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(clipboard.text).toBe('');
    expect(clipboard.clears).toBe(1);
  });

  it("the delay is a setting: the guard's default, or the one a copy gives (the app's settings)", async () => {
    guard = new ClipboardGuard(clipboard, 5_000);
    await guard.copy('secret');
    await vi.advanceTimersByTimeAsync(5_000);
    expect(clipboard.text).toBe('');
    await guard.copy('arn', 12_000);
    await vi.advanceTimersByTimeAsync(11_999);
    expect(clipboard.text).toBe('arn');
    await vi.advanceTimersByTimeAsync(1);
    expect(clipboard.text).toBe('');
    await expect(guard.copy('x', 0)).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('refuses a delay that is not a whole number of milliseconds from 1 to a day', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 86_400_001]) {
      expect(() => new ClipboardGuard(clipboard, bad), String(bad)).toThrow(expect.objectContaining({ name: 'ValidationException' }));
    }
  });

  it('dispose (on quit) clears what is still the app’s at once, cancels the timer, and copies nothing more', async () => {
    await guard.copy('secret');
    await guard.dispose();
    expect(clipboard.text).toBe('');
    expect(clipboard.clears).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
    await expect(guard.copy('more')).rejects.toMatchObject({ name: 'KMSInvalidStateException' });
    expect(clipboard.text).toBe('');
  });

  it('dispose leaves the user’s own copy, and does nothing when the app copied nothing', async () => {
    await guard.dispose();
    expect(clipboard.clears).toBe(0);
    const other = new ClipboardGuard(clipboard);
    await other.copy('secret');
    clipboard.text = 'theirs';
    await other.dispose();
    expect(clipboard.text).toBe('theirs');
  });

  it('dispose waits for a write still under way, so the copy cannot land after the quit', async () => {
    let finishWrite!: () => void;
    const slow: GuardedClipboard = {
      readText: () => clipboard.readText(),
      clear: () => clipboard.clear(),
      writeText: (text) =>
        new Promise<void>((resolve) => {
          finishWrite = () => {
            clipboard.text = text;
            resolve();
          };
        }),
    };
    const g = new ClipboardGuard(slow);
    const copying = g.copy('secret');
    const disposing = g.dispose();
    finishWrite();
    await Promise.all([copying, disposing]);
    expect(clipboard.text).toBe('');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('when the clipboard cannot be read, it is cleared anyway (a lost clipboard beats a leaked secret)', async () => {
    await guard.copy('secret');
    clipboard.failReads = true;
    await vi.advanceTimersByTimeAsync(DEFAULT_CLEAR_AFTER_MS);
    expect(clipboard.clears).toBe(1);
  });

  it('takes injected timers', async () => {
    const scheduled: { run: () => void; ms: number; cleared: boolean }[] = [];
    const timers = {
      setTimeout: (run: () => void, ms: number) => scheduled.push({ run, ms, cleared: false }) - 1,
      clearTimeout: (handle: unknown) => {
        scheduled[handle as number]!.cleared = true;
      },
    };
    const g = new ClipboardGuard(clipboard, 1_000, timers);
    await g.copy('a');
    await g.copy('b');
    expect(scheduled.map((s) => [s.ms, s.cleared])).toEqual([[1_000, true], [1_000, false]]);
    scheduled[1]!.run();
    await vi.waitFor(() => expect(clipboard.text).toBe(''));
  });
});
