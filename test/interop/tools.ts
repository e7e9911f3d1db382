// Running partners' tools (openssl, ssh-keygen, age) from interop tests: a
// scratch directory per test file, and a runner that fails with the tool's
// stderr so a broken interop says what the tool said.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Run {
  stdout: Buffer;
  stderr: string;
}

/** Runs a tool; rejects with its exit code and stderr unless `allowFailure`. */
export function run(cmd: string, args: string[], opts: { input?: Uint8Array | string; cwd?: string; allowFailure?: boolean } = {}): Promise<Run & { code: number }> {
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, args, { cwd: opts.cwd, encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
      if (err && !opts.allowFailure) {
        reject(new Error(`${cmd} ${args.join(' ')} failed (exit ${code}): ${stderr.toString()}`));
        return;
      }
      resolve({ stdout, stderr: stderr.toString(), code });
    });
    if (opts.input !== undefined) child.stdin!.end(opts.input);
    else child.stdin!.end();
  });
}

export class Scratch {
  private constructor(readonly dir: string) {}

  static async create(prefix: string): Promise<Scratch> {
    return new Scratch(await mkdtemp(join(tmpdir(), `strongroom-${prefix}-`)));
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  async write(name: string, data: Uint8Array | string): Promise<string> {
    const p = this.path(name);
    await writeFile(p, data);
    return p;
  }

  read(name: string): Promise<Buffer> {
    return readFile(this.path(name));
  }

  remove(): Promise<void> {
    return rm(this.dir, { recursive: true, force: true });
  }
}

export const openssl = (args: string[], opts?: Parameters<typeof run>[2]) => run('openssl', args, opts);
