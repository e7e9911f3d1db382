// V8's code cache for the CLI's own bundled chunks (issue 14, "Start fast").
// It buys ~60 ms of each `strongroom` call: Node 20 compiles every chunk
// from source at every start. Node 22's module.enableCompileCache() does the
// same thing natively; once Strongroom needs Node 22, this file goes.
//
// How: the CLI is bundled as CommonJS (cli.vite.config.ts), so each chunk is
// compiled by Module.prototype._compile; for the chunks in the CLI's own
// folder, and only those, that is done here with vm.Script and the cached
// data V8 produced for the same source on an earlier run. A cache file is
// named by the SHA-256 of the source and of Node's version, since V8 itself
// checks only the source's length; V8 refuses cached data of another V8 or
// other flags (cachedDataRejected), and the chunk is then compiled as usual.
// New cached data is written when the process exits, atomically, so it holds
// the functions the run compiled, not only the top level. Then files more
// than 30 days old that this run did not read are removed: the caches of
// earlier builds (one still in use is written again by its next run).
//
// The cache is code: it lives in the user's own cache directory, mode 700,
// and is not used when that directory is another user's or others can write
// to it. Whoever can write there can already change the user's shell startup
// files. Any failure to read or write it costs only the speed.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Module } from 'node:module';
import { join, sep } from 'node:path';
import { Script } from 'node:vm';

interface CompilingModule {
  _compile(content: string, filename: string): unknown;
  require(id: string): unknown;
  exports: unknown;
  filename: string;
  path: string;
}

type Internals = typeof Module & {
  prototype: CompilingModule;
  wrap(content: string): string;
  _resolveFilename(request: string, parent: unknown): string;
  _cache: Record<string, unknown>;
};

const STALE_MS = 30 * 24 * 3600 * 1000;

/** The directory is ours alone: owned by this user, and no one else may write to it. */
function private700(dir: string): boolean {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = statSync(dir);
  const uid = process.getuid?.();
  return st.isDirectory() && (uid === undefined || st.uid === uid) && (process.platform === 'win32' || (st.mode & 0o022) === 0);
}

/** Compiles the chunks under `ownDir` with V8's code cache kept in `cacheDir`. */
export function enableCompileCache(ownDir: string, cacheDir: string): void {
  try {
    if (!private700(cacheDir)) return;
  } catch {
    return;
  }
  const internals = Module as Internals;
  const compile = internals.prototype._compile;
  const fresh: { script: Script; file: string }[] = [];
  const read = new Set<string>();
  const prefix = ownDir.endsWith(sep) ? ownDir : ownDir + sep;

  internals.prototype._compile = function (this: CompilingModule, content: string, filename: string) {
    if (!filename.startsWith(prefix)) return compile.call(this, content, filename);
    const file = join(cacheDir, createHash('sha256').update(process.version).update('\0').update(content).digest('hex'));
    let cachedData: Buffer | undefined;
    try {
      cachedData = readFileSync(file);
      read.add(file);
    } catch {
      // not cached yet
    }
    const script = new Script(internals.wrap(content), { filename, ...(cachedData ? { cachedData } : {}) });
    if (!cachedData || script.cachedDataRejected) fresh.push({ script, file });
    // what the chunks use of `require`: loading, resolving and the module cache
    const requireFn = Object.assign((id: string) => this.require(id), {
      resolve: (request: string) => internals._resolveFilename(request, this),
      cache: internals._cache,
    });
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    return wrapper.call(this.exports, this.exports, requireFn, this, filename, this.path);
  };

  process.once('exit', () => {
    if (fresh.length === 0) return;
    for (const { script, file } of fresh) {
      const temp = `${file}.${process.pid}.tmp`;
      try {
        writeFileSync(temp, script.createCachedData(), { mode: 0o600 });
        renameSync(temp, file);
      } catch {
        rmSync(temp, { force: true }); // the next run compiles from source again
      }
    }
    try {
      for (const name of readdirSync(cacheDir)) {
        const file = join(cacheDir, name);
        if (!read.has(file) && Date.now() - statSync(file).mtimeMs > STALE_MS) rmSync(file, { force: true });
      }
    } catch {
      // left for a later run
    }
  });
}
