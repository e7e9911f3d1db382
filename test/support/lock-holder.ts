// Another program holding a SQLite database's write lock: the sqlite3
// command-line shell in a write transaction (BEGIN IMMEDIATE), a real second
// process, as when a user inspects the vault with `sqlite3` while the app
// runs. Until release(), every write on the database waits out its busy
// timeout and fails (DependencyTimeoutException); reads go on (WAL).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

export interface LockHolder {
  readonly pid: number;
  /** ends the shell; its transaction rolls back */
  release(): Promise<void>;
}

/** `sqlite3 PATH` in a write transaction, until release(). */
export async function holdWriteLock(path: string): Promise<LockHolder> {
  const child: ChildProcessWithoutNullStreams = spawn('sqlite3', [path], { stdio: 'pipe' });
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  let out = '';
  let err = '';
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  await new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.includes('held')) resolve();
    });
    child.on('close', (code) => reject(new Error(`sqlite3 exited ${code} before taking the lock: ${err}`)));
    child.stdin.write("BEGIN IMMEDIATE;\nSELECT 'held';\n");
  });
  return {
    pid: child.pid!,
    async release() {
      child.stdin.end();
      await closed;
    },
  };
}
