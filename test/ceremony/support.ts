// A vault with a ceremony's participants: admin operates, wendy and walter
// witness (users of the same tenant with passphrases of their own), and the
// files a script refers to (custodians' passphrase files) in a folder.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCeremony, type CeremonyProgress } from '../../main/ceremony/run.js';
import { parseScript } from '../../main/ceremony/script.js';
import type { Transcript } from '../../main/ceremony/transcript.js';
import { makeVault, type TestVault } from '../support/vault.js';

export const WITNESSES: Record<string, string> = { wendy: 'passphrase of wendy 1', walter: 'passphrase of walter 2' };
export const CUSTODIANS: Record<string, string> = { carol: 'custodian carol passphrase', dave: 'custodian dave passphrase', erin: 'custodian erin passphrase' };

export async function ceremonyVault(): Promise<TestVault & { work: string; out: string }> {
  const t = await makeVault();
  for (const [name, passphrase] of Object.entries(WITNESSES)) {
    await t.call('CreateUser', { UserName: name });
    await t.call('CreateLoginProfile', { UserName: name, Password: passphrase });
  }
  const work = join(t.dir, 'work');
  const out = join(work, 'out');
  mkdirSync(out, { recursive: true });
  for (const [name, passphrase] of Object.entries(CUSTODIANS)) writeFileSync(join(work, `${name}.pass`), `${passphrase}\n`);
  return Object.assign(t, { work, out });
}

/** The script of the tests: a signing key with an alias, its public key, a 2-of-3 recovery split, the trail verified. */
export const KSK_SCRIPT = {
  ceremony: 'KSK 2026',
  operator: 'admin',
  witnesses: ['wendy', 'walter'],
  steps: [
    { id: 'ksk', type: 'create-key', KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', Alias: 'alias/ksk-2026', Description: 'Key signing key 2026', confirm: ['wendy'] },
    { id: 'pub', type: 'export-public-key', Key: 'ksk', Format: 'pem', Out: 'ksk.pem' },
    {
      id: 'split',
      type: 'split-recovery',
      Threshold: 2,
      Custodians: Object.keys(CUSTODIANS).map((Name) => ({ Name, Delivery: 'passphrase', PassphraseFile: `${Name}.pass` })),
      OutDir: 'shares',
      confirm: ['wendy', 'walter'],
    },
    { id: 'audit', type: 'verify-audit' },
  ],
};

/** Runs a script's text as admin in the test vault. */
export async function run(
  t: TestVault & { work: string; out: string },
  text: string,
  opts: { passphrases?: Record<string, string>; progress?: CeremonyProgress[]; withoutVault?: boolean } = {},
): Promise<Transcript> {
  const passphrases = opts.passphrases ?? WITNESSES;
  return runCeremony(parseScript(text), {
    service: t.vault.service,
    operator: t.admin,
    vaultId: t.vault.vaultId,
    outDir: t.out,
    scriptDir: t.work,
    ...(opts.withoutVault ? {} : { vault: t.vault }),
    source: 'sdk',
    witnessPassphrase: async (name) => passphrases[name] ?? 'no such passphrase',
    onProgress: (p) => opts.progress?.push(p),
    clock: () => t.clock.now,
  });
}

/** Reads a transcript's files from the output folder, as a verifier beside them would. */
export const beside = (dir: string) => (path: string) => {
  try {
    return readFileSync(join(dir, path));
  } catch {
    return undefined;
  }
};
