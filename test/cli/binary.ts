// Runs the BUILT `strongroom` binary (package.json "bin": the bundle
// cli.vite.config.ts makes of main/cli/bin.ts) as a subprocess,
// the way a user's shell does. Each child runs in its own session (no
// controlling terminal), so a missing passphrase fails instead of waiting
// at a prompt. `sh()` runs a bash pipeline with `strongroom` on PATH.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(ROOT, (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: { strongroom: string } }).bin.strongroom);

export const ADMIN_PASSPHRASE = 'correct horse battery staple';
export const VAULT_PASSPHRASE = 'a vault passphrase for cli tests';

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * `npm test` builds before running the tests; when this file runs on its own
 * and dist is missing or older than main/, it builds too (`npm run build`).
 */
export function ensureBuilt(): void {
  const fresh = () => existsSync(BIN) && statSync(BIN).mtimeMs >= newestSource(join(ROOT, 'main'));
  if (fresh()) return;
  // Test files run in parallel workers: one builds, the others wait for it.
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  const lock = join(ROOT, 'dist', '.cli-tests-build.lock');
  const deadline = Date.now() + 170_000;
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx'));
      break;
    } catch {
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 180_000) rmSync(lock, { force: true }); // left by a killed run
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    if (fresh()) return;
    // Type errors elsewhere make tsc exit non-zero but still emit; what matters is the binary.
    const r = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
    if (!existsSync(BIN)) throw new Error(`npm run build did not produce ${BIN}:\n${r.stdout}\n${r.stderr}`);
  } finally {
    rmSync(lock, { force: true });
  }
}

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
  stdoutBytes: Buffer;
}

/** Environment for the child: the parent's, minus any STRONGROOM_* setting, plus `env`. */
export function childEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('STRONGROOM_') || k === 'STRONGROOM_TEST_SECRET_SERVICE'));
  const out: NodeJS.ProcessEnv = { ...base };
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out;
}

function spawnResult(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv, cwd: string): Promise<Result> {
  return new Promise((done, fail) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true, timeout: 60_000 });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', fail);
    child.on('close', (code) => {
      const stdoutBytes = Buffer.concat(out);
      done({ code, stdout: stdoutBytes.toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), stdoutBytes });
    });
  });
}

/** A scratch directory with a vault directory inside, and helpers bound to it. */
export class Workspace {
  readonly dir = mkdtempSync(join(tmpdir(), 'strongroom-cli-'));
  readonly vault = join(this.dir, 'vault');
  readonly #bin = join(this.dir, 'bin');
  env: Record<string, string | undefined>;

  constructor(env: Record<string, string | undefined> = {}) {
    this.env = {
      // never the user's own config file (~/.config/strongroom/config): one of this workspace's, absent until a test writes it
      STRONGROOM_CONFIG_FILE: join(this.dir, 'strongroom-config'),
      STRONGROOM_VAULT: this.vault,
      STRONGROOM_PASSPHRASE: ADMIN_PASSPHRASE,
      STRONGROOM_VAULT_PASSPHRASE: VAULT_PASSPHRASE,
      ...env,
    };
    // `strongroom` on PATH for pipelines, as `npx`/a global install would put it.
    mkdirSync(this.#bin, { recursive: true });
    const wrapper = join(this.#bin, 'strongroom');
    writeFileSync(wrapper, `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
    chmodSync(wrapper, 0o755);
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  /** strongroom ARGS… in this workspace (cwd = the workspace dir). */
  run(args: readonly string[], env: Record<string, string | undefined> = {}): Promise<Result> {
    return spawnResult(process.execPath, [BIN, ...args], childEnv({ ...this.env, ...env }), this.dir);
  }

  /** bash -c SCRIPT with `strongroom` on PATH. */
  sh(script: string, env: Record<string, string | undefined> = {}): Promise<Result> {
    const e = childEnv({ ...this.env, ...env });
    e['PATH'] = `${this.#bin}:${e['PATH'] ?? '/usr/bin:/bin'}`;
    return spawnResult('bash', ['-euo', 'pipefail', '-c', script], e, this.dir);
  }

  /** strongroom ARGS…, expecting exit 0; returns stdout parsed as JSON. */
  async json<T = any>(args: readonly string[]): Promise<T> {
    const r = await this.run(args);
    if (r.code !== 0) throw new Error(`strongroom ${args.join(' ')} exited ${r.code}:\n${r.stderr}`);
    return JSON.parse(r.stdout) as T;
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
