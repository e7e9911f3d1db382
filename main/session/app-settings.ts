// The desktop app's settings on this machine (the GetAppSettings and
// UpdateAppSettings app operations): how long a session may sit idle before
// it locks, and how long what the app copies stays on the clipboard. A JSON
// file in the app's own folder, written whole through a temporary file
// renamed into place (files/outputs.ts), so a crash leaves the old settings
// or the new ones. A file that is missing or does not parse gives the
// defaults, which are the strictest: it fails closed.
import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { AppSettings } from '../api/operations/app.js';
import { checkPaths, openOutput } from '../files/outputs.js';

export type Settings = z.output<typeof AppSettings>;

export const DEFAULT_SETTINGS: Settings = { IdleLockMinutes: 5, ClipboardClearSeconds: 30 };

export class SettingsFile {
  #current: Settings = DEFAULT_SETTINGS;

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

  /** Replaces the settings given; the others stay. Durable before it returns. */
  async update(changes: Partial<Settings>): Promise<Settings> {
    const next = AppSettings.parse({ ...this.#current, ...changes });
    if (this.path !== undefined) {
      const output = await openOutput({ path: this.path }, await checkPaths(undefined, this.path));
      try {
        const bytes = Buffer.from(JSON.stringify(next, null, 2) + '\n', 'utf8');
        await output.sink.write([bytes], bytes.length);
        await output.sink.flush();
        await output.commit();
      } finally {
        await output.discard();
      }
    }
    this.#current = next;
    return next;
  }
}
