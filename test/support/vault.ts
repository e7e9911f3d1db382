// A real vault in a temp directory for tests: a real SQLite file, passphrase
// custody (the keychain has its own tests), and a clock the test can move.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InputOf, ServiceOperationName, OutputOf } from '../../main/api/index.js';
import type { Caller } from '../../main/core/service/caller.js';
import { initVault, openVault, type Vault } from '../../main/vault/vault.js';

export const ADMIN_PASSPHRASE = 'correct horse battery staple';
export const VAULT_PASSPHRASE = 'vault passphrase for tests';
/** Cheap Argon2id for user passphrases in tests; custody and production keep the real cost. */
export const TEST_ARGON2 = { m: 1024, t: 1, p: 1 };

export interface TestVault {
  dir: string;
  vault: Vault;
  admin: Caller;
  clock: { now: number };
  /** calls an operation as admin (or another caller), typed by the contract */
  call<N extends ServiceOperationName>(name: N, input?: InputOf<N>, caller?: Caller): Promise<OutputOf<N>>;
  /** calls an operation by a name and input the compiler does not check (malformed input, unknown names) */
  dispatch(name: string, input?: unknown, caller?: Caller): Promise<any>;
  /** opens a second, independent connection to the same vault (as another process would) */
  reopen(): Promise<Vault>;
  close(): Promise<void>;
}

/**
 * `log` receives the service's internal errors (KMSInternalException's details), as the CLI's stderr would.
 * `keychain`: the master key in the OS keychain (run under test/with-secret-service.sh), for what only such a vault has (login sessions).
 */
export async function makeVault(opts: { log?: (message: string, error?: unknown) => void; keychain?: boolean } = {}): Promise<TestVault> {
  const dir = await mkdtemp(join(tmpdir(), 'strongroom-test-'));
  const clock = { now: Date.UTC(2026, 10, 28, 12, 0, 0) };
  const service = { clock: () => clock.now, argon2: TEST_ARGON2, ...(opts.log ? { log: opts.log } : {}) };
  await initVault(dir, { custody: opts.keychain ? { kind: 'keychain' } : { kind: 'passphrase', passphrase: VAULT_PASSPHRASE }, adminPassphrase: ADMIN_PASSPHRASE, service });
  const open = () => openVault(dir, { vaultPassphrase: async () => VAULT_PASSPHRASE, service });
  const vault = await open();
  const admin = await vault.service.signIn({ userName: 'admin', passphrase: ADMIN_PASSPHRASE, region: 'local-1', source: 'sdk' });
  const others: Vault[] = [];
  return {
    dir,
    vault,
    admin,
    clock,
    call: (name, input, caller = admin) => vault.service.call(caller, name, input ?? ({} as InputOf<typeof name>)),
    dispatch: (name, input = {}, caller = admin) => vault.service.dispatch(caller, name, input),
    async reopen() {
      const v = await open();
      others.push(v);
      return v;
    },
    async close() {
      await Promise.all([vault.close(), ...others.map((v) => v.close())]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
