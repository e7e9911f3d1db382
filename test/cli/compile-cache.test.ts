// The CLI's code cache (main/cli/compile-cache.ts): the built `strongroom`
// keeps V8's cached data for its chunks in the user's cache directory, only
// there when that directory is the user's alone, and a cache that does not
// match the source is never run.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BIN, childEnv, ensureBuilt } from './binary.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dir = mkdtempSync(join(tmpdir(), 'strongroom-compile-cache-'));
beforeAll(() => ensureBuilt(), 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `strongroom help` with XDG_CACHE_HOME at `cacheHome` */
function help(cacheHome: string) {
  const r = spawnSync(process.execPath, [BIN, 'help'], { env: childEnv({ XDG_CACHE_HOME: cacheHome, HOME: dir }), encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}
const cacheFiles = (cacheHome: string) => readdirSync(join(cacheHome, 'strongroom', 'compile-cache'));

describe('the built CLI', () => {
  test('keeps its chunks’ code cache in the user’s cache directory, mode 700, and runs from it', () => {
    const home = join(dir, 'fresh');
    const first = help(home);
    const cache = join(home, 'strongroom', 'compile-cache');
    expect(statSync(cache).mode & 0o777).toBe(0o700);
    const files = cacheFiles(home);
    expect(files.length).toBeGreaterThan(2);
    for (const f of files) {
      expect(f).toMatch(/^[0-9a-f]{64}$/);
      expect(statSync(join(cache, f)).mode & 0o777).toBe(0o600);
    }
    const written = Object.fromEntries(files.map((f) => [f, statSync(join(cache, f)).mtimeMs]));
    // The second run reads it and writes nothing.
    expect(help(home)).toBe(first);
    expect(Object.fromEntries(cacheFiles(home).map((f) => [f, statSync(join(cache, f)).mtimeMs]))).toEqual(written);
  });

  test('cached data that V8 refuses (damaged) costs only the speed, and is written again', () => {
    const home = join(dir, 'damaged');
    const expected = help(home);
    const cache = join(home, 'strongroom', 'compile-cache');
    for (const f of cacheFiles(home)) writeFileSync(join(cache, f), Buffer.alloc(64, 0xee));
    expect(help(home)).toBe(expected);
    for (const f of cacheFiles(home)) expect(statSync(join(cache, f)).size).toBeGreaterThan(64);
  });

  test('a cache directory others can write to is not used', () => {
    const home = join(dir, 'shared');
    const cache = join(home, 'strongroom', 'compile-cache');
    mkdirSync(cache, { recursive: true });
    chmodSync(cache, 0o777);
    expect(help(home)).toContain('USAGE');
    expect(readdirSync(cache)).toEqual([]);
  });
});

describe('enableCompileCache', () => {
  // In a child process: it replaces how this process compiles CommonJS.
  const run = (own: string, cache: string, file: string) => {
    const script = `
      import { enableCompileCache } from ${JSON.stringify(pathToFileURL(join(REPO, 'dist/main/cli/compile-cache.js')).href)};
      import { createRequire } from 'node:module';
      enableCompileCache(${JSON.stringify(own)}, ${JSON.stringify(cache)});
      process.stdout.write(String(createRequire(import.meta.url)(${JSON.stringify(file)})));
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    return r.stdout;
  };

  test('never runs a cache made for other source, even of the same length (V8 checks only the length)', () => {
    const own = join(dir, 'own');
    const cache = join(dir, 'unit-cache');
    mkdirSync(own);
    const chunk = join(own, 'chunk.cjs');
    writeFileSync(chunk, 'module.exports = "one";');
    expect(run(own, cache, chunk)).toBe('one');
    expect(readdirSync(cache)).toHaveLength(1);
    writeFileSync(chunk, 'module.exports = "two";');
    expect(run(own, cache, chunk)).toBe('two');
    expect(readdirSync(cache)).toHaveLength(2);
  });

  test('leaves modules outside its folder to Node', () => {
    const outside = join(dir, 'outside.cjs');
    writeFileSync(outside, 'module.exports = "outside";');
    const cache = join(dir, 'outside-cache');
    expect(run(join(dir, 'own-elsewhere'), cache, outside)).toBe('outside');
    expect(readdirSync(cache)).toEqual([]);
  });

  test('when it writes, it removes what is more than 30 days old and this run did not read', () => {
    const own = join(dir, 'own-prune');
    const cache = join(dir, 'prune-cache');
    mkdirSync(own);
    mkdirSync(cache, { mode: 0o700 });
    const old = join(cache, 'f'.repeat(64));
    const recent = join(cache, 'e'.repeat(64));
    writeFileSync(old, 'old');
    writeFileSync(recent, 'recent');
    const monthsAgo = new Date(Date.now() - 40 * 24 * 3600 * 1000);
    utimesSync(old, monthsAgo, monthsAgo);
    const chunk = join(own, 'chunk.cjs');
    writeFileSync(chunk, 'module.exports = "pruned";');
    expect(run(own, cache, chunk)).toBe('pruned');
    const left = readdirSync(cache);
    expect(left).toContain('e'.repeat(64));
    expect(left).not.toContain('f'.repeat(64));
    expect(left).toHaveLength(2);
    expect(readFileSync(recent, 'utf8')).toBe('recent');
  });
});
