// The desktop app's settings on this machine (the GetAppSettings and
// UpdateAppSettings app operations): how long a session may sit idle before
// it locks, and how long what the app copies stays on the clipboard. A JSON
// file in the app's own folder, written whole through a temporary file
// renamed into place (files/outputs.ts), so a crash leaves the old settings
// or the new ones; the rename waits for the change's audit record
// (app-operations.ts). A file that is missing or does not parse gives the
// defaults, which are the strictest: it fails closed.
import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { AppSettings } from '../api/operations/app.js';
import { checkPaths, openOutput } from '../files/outputs.js';

export type Settings = z.output<typeof AppSettings>;

export const DEFAULT_SETTINGS: Settings = { IdleLockMinutes: 5, ClipboardClearSeconds: 30 };

export class SettingsFile {
  #current: Settings = DEFAULT_SETTINGS;
  /** the last change, which the next one waits for */
  #changes: Promise<unknown> = Promise.resolve();

  private constructor(readonly path: string | undefined) {}

  /** The defaults, held in memory only: a session with no settings file (tests, a transport without the app). */
  static inMemory(): SettingsFile {
    return new SettingsFile(undefined);
  }

  /** The settings kept in `path` (the app's userData folder). */
  static async open(path: string, log?: (message: string, error?: unknown) => void): Promise<SettingsFile> {
    const file = new SettingsFile(path);
    try {
      file.#current = AppSettings.parse(JSON.parse(await readFile(path, 'utf8')));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') log?.(`the settings in ${path} cannot be read; using the defaults`, e);
    }
    return file;
  }

  get current(): Settings {
    return this.#current;
  }

  /**
   * Changes the settings, one change at a time. `decide` runs the change's
   * audited call; inside it, `stage(changes)` validates the new settings
   * (those given replace the current ones, the others stay) and writes them
   * to a temporary file beside the settings file. They are renamed into
   * place only once `decide` has resolved; if it rejects, the temporary file
   * is removed and nothing changed. Durable before it resolves.
   */
  change(decide: (stage: (changes: Partial<Settings>) => Promise<Settings>) => Promise<unknown>): Promise<Settings> {
    const run = async (): Promise<Settings> => {
      let staged: Staged | undefined;
      try {
        await decide(async (changes) => {
          await staged?.discard();
          staged = await this.#stage(AppSettings.parse({ ...this.#current, ...changes }));
          return staged.settings;
        });
        if (!staged) throw new Error('a settings change decided nothing');
        await staged.commit();
        this.#current = staged.settings;
        return staged.settings;
      } finally {
        await staged?.discard(); // nothing to do once committed
      }
    };
    // one at a time, so that each change starts from the settings the one before left
    const next = this.#changes.then(run, run);
    this.#changes = next.catch(() => undefined);
    return next;
  }

  /** `next` in a temporary file beside the settings file (none for in-memory settings), not yet in place. */
  async #stage(next: Settings): Promise<Staged> {
    if (this.path === undefined) return { settings: next, commit: async () => {}, discard: async () => {} };
    const output = await openOutput({ path: this.path }, await checkPaths(undefined, this.path));
    try {
      const bytes = Buffer.from(JSON.stringify(next, null, 2) + '\n', 'utf8');
      await output.sink.write([bytes], bytes.length);
      await output.sink.flush();
    } catch (e) {
      await output.discard();
      throw e;
    }
    return { settings: next, commit: () => output.commit(), discard: () => output.discard() };
  }
}

interface Staged {
  readonly settings: Settings;
  /** makes the file durable and renames it over the settings file */
  commit(): Promise<void>;
  /** removes the temporary file (a no-op once committed) */
  discard(): Promise<void>;
}
