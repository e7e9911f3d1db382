// Issue 5 metrics: streaming file encryption on one 1 GiB file of random
// bytes in a temp dir, in one run, against the tools a user would otherwise
// reach for:
//
//   file.encrypt              encryptFile (in-process, real vault)  vs `age -r <recipient>`
//   file.decrypt              decryptFile                            vs `age -d -i <identity>` of age's own output
//   file.encrypt_vs_openssl   encryptFile                            vs `openssl enc -aes-256-ctr -K … -iv …`
//   file.peak_rss             peak RSS of a child process encrypting the file with a signed-in vault
//                             (sign-in's Argon2id memory collected first); ratio to the 128 MiB budget
//   file.peak_rss_cli         peak RSS of the whole `strongroom encrypt-file` run (the built CLI), which
//                             includes sign-in: two Argon2id derivations of 64 MiB each
//
// Every output is a fresh file (removed, then `sync`, before each run, so
// one tool's write-back does not land on the next one's clock), and every
// run starts with warm page-cache memory (see warm() below). Strongroom's
// times include its fdatasync before the rename into place (age and
// openssl do not sync). Each tool runs `reps` times, interleaved; the
// median counts. Target: file.encrypt ratio ≥ 1, file.peak_rss < 128 MiB.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { open, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { decryptFile } from '../../main/files/decrypt-file.js';
import { encryptFile } from '../../main/files/encrypt-file.js';
import { initVault, openVault } from '../../main/vault/vault.js';
import { report } from './harness.js';

const SIZE = 1024 * 1024 * 1024;
const MB = 1e6;
const BUDGET_MIB = 128;

const have = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
const sync = () => spawnSync('sync', [], { stdio: 'ignore' });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function time(body: () => Promise<unknown> | unknown): Promise<number> {
  const t0 = performance.now();
  await body();
  return (performance.now() - t0) / 1000;
}

/** Random bytes (or zeros), written 1 MiB at a time. */
export async function randomFile(path: string, size: number, zeros = false): Promise<void> {
  const fh = await open(path, 'w');
  const zero = Buffer.alloc(1024 * 1024);
  try {
    for (let done = 0; done < size; done += 1024 * 1024) await fh.write(zeros ? zero : randomBytes(Math.min(1024 * 1024, size - done)));
  } finally {
    await fh.close();
  }
}

export async function benchFile(ms: number): Promise<void> {
  const reps = ms >= 2000 ? 3 : 1;
  const dir = await mkdtemp(join(tmpdir(), 'strongroom-bench-file-'));
  const p = (name: string) => join(dir, name);
  try {
    await randomFile(p('in.bin'), SIZE);

    const passphrase = 'bench passphrase';
    const vaultDir = p('vault');
    await initVault(vaultDir, { custody: { kind: 'passphrase', passphrase }, adminPassphrase: passphrase });
    const vault = await openVault(vaultDir, { vaultPassphrase: async () => passphrase });
    const caller = await vault.service.signIn({ userName: 'admin', passphrase, region: 'local-1', source: 'sdk' });
    const { KeyMetadata } = (await vault.service.call(caller, 'CreateKey', { Description: 'file bench' })) as { KeyMetadata: { KeyId: string } };
    const KeyId = KeyMetadata.KeyId;

    const age = have('age', ['--version']) && have('age-keygen', ['--version']);
    let recipient = '';
    if (age) {
      execFileSync('age-keygen', ['-o', p('age-identity.txt')], { stdio: 'ignore' });
      recipient = execFileSync('age-keygen', ['-y', p('age-identity.txt')], { encoding: 'utf8' }).trim();
    }
    const openssl = have('openssl', ['version']);
    const key = randomBytes(32).toString('hex');
    const iv = randomBytes(16).toString('hex');

    const fresh = async (...names: string[]) => {
      for (const n of names) await rm(p(n), { force: true });
      sync();
    };
    // In a VM, writing into guest memory the host has not backed (never
    // touched, or freed and reported back to the host a few seconds ago) runs
    // at a fraction of the speed: a 1 GiB output then costs 2–3 s of system
    // time in page-cache copies, landing on whichever tool needs new memory
    // first. So each timed run starts right after 1 GiB of page cache was
    // written and freed (not synced: dropped at once), and all tools write
    // into warm memory alike.
    const warm = async () => {
      await randomFile(p('warm-up'), SIZE, true);
      await rm(p('warm-up'));
    };
    const t = { enc: [] as number[], dec: [] as number[], ageEnc: [] as number[], ageDec: [] as number[], openssl: [] as number[] };
    const timed = async (body: () => Promise<unknown> | unknown) => {
      await warm();
      return time(body);
    };
    for (let r = 0; r < reps; r++) {
      await fresh('out.sr');
      t.enc.push(await timed(() => encryptFile(vault.service, caller, { KeyId, InPath: p('in.bin'), OutPath: p('out.sr') })));
      await fresh('out.dec');
      t.dec.push(await timed(() => decryptFile(vault.service, caller, { InPath: p('out.sr'), OutPath: p('out.dec') })));
      await fresh('out.dec', 'out.sr');
      if (age) {
        t.ageEnc.push(await timed(() => execFileSync('age', ['-r', recipient, '-o', p('out.age'), p('in.bin')])));
        await fresh();
        t.ageDec.push(await timed(() => execFileSync('age', ['-d', '-i', p('age-identity.txt'), '-o', p('out.age.dec'), p('out.age')])));
        await fresh('out.age.dec', 'out.age');
      }
      if (openssl) {
        t.openssl.push(await timed(() => execFileSync('openssl', ['enc', '-aes-256-ctr', '-K', key, '-iv', iv, '-in', p('in.bin'), '-out', p('out.ossl')])));
        await fresh('out.ossl');
      }
    }
    const rate = (secs: number[]) => SIZE / MB / median(secs);
    const enc = rate(t.enc);
    const dec = rate(t.dec);
    report({ metric: 'file.encrypt', value: enc, unit: 'MB/s', reference: 'age -r', ratio: age ? enc / rate(t.ageEnc) : null });
    report({ metric: 'file.decrypt', value: dec, unit: 'MB/s', reference: 'age -d', ratio: age ? dec / rate(t.ageDec) : null });
    report({ metric: 'file.encrypt_vs_openssl', value: enc, unit: 'MB/s', reference: 'openssl enc -aes-256-ctr', ratio: openssl ? enc / rate(t.openssl) : null });
    await vault.close();

    await fresh('rss.sr');
    const peak = peakRssWhileEncrypting(dir, vaultDir, passphrase, KeyId, p('in.bin'), p('rss.sr'));
    report({ metric: 'file.peak_rss', value: peak ?? NaN, unit: 'MiB', reference: `${BUDGET_MIB} MiB budget`, ratio: peak === undefined ? null : peak / BUDGET_MIB });
    await fresh('rss.sr');
    const cli = peakRssOfCli(vaultDir, passphrase, KeyId, p('in.bin'), p('rss.sr'));
    report({ metric: 'file.peak_rss_cli', value: cli ?? NaN, unit: 'MiB', reference: `${BUDGET_MIB} MiB budget`, ratio: cli === undefined ? null : cli / BUDGET_MIB });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const DIST = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * A child process (the built code, started with --expose-gc) opens the
 * vault and signs in, collects what sign-in left (Argon2id's 64 MiB of wasm
 * memory is garbage by then), resets the kernel's peak-RSS mark
 * (/proc/self/clear_refs), encrypts the 1 GiB file with encryptFile and
 * reports its peak RSS: the memory of a signed-in process encrypting a
 * file, which is what must not grow with the file.
 */
function peakRssWhileEncrypting(dir: string, vaultDir: string, passphrase: string, keyId: string, inPath: string, outPath: string): number | undefined {
  if (process.platform !== 'linux') return undefined;
  const script = join(dir, 'rss-child.mjs');
  writeFileSync(
    script,
    `
import { readFileSync, writeFileSync } from 'node:fs';
const [dist, vaultDir, passphrase, keyId, inPath, outPath] = process.argv.slice(2);
const { openVault } = await import(dist + '/main/vault/vault.js');
const { encryptFile } = await import(dist + '/main/files/encrypt-file.js');
const vault = await openVault(vaultDir, { vaultPassphrase: async () => passphrase });
const caller = await vault.service.signIn({ userName: 'admin', passphrase, region: 'local-1', source: 'cli' });
for (let i = 0; i < 3; i++) { globalThis.gc(); await new Promise((r) => setTimeout(r, 100)); }
writeFileSync('/proc/self/clear_refs', '5');
await encryptFile(vault.service, caller, { KeyId: keyId, InPath: inPath, OutPath: outPath });
const hwm = Number(/VmHWM:\\s+(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]);
await vault.close();
process.stdout.write(String(hwm));
`,
  );
  const r = spawnSync(process.execPath, ['--expose-gc', script, pathToFileURL(DIST).href, vaultDir, passphrase, keyId, inPath, outPath], { encoding: 'utf8' });
  if (r.status !== 0) {
    process.stderr.write(`file.peak_rss: the child failed (${r.status}): ${r.stderr}\n`);
    return undefined;
  }
  return Number(r.stdout) / 1024;
}

/**
 * Peak RSS of the built CLI encrypting the file, as `/usr/bin/time` reports
 * it (the child's ru_maxrss): the binary package.json "bin" names.
 */
function peakRssOfCli(vaultDir: string, passphrase: string, keyId: string, inPath: string, outPath: string): number | undefined {
  const bin = join(DIST, '..', (JSON.parse(readFileSync(join(DIST, '..', 'package.json'), 'utf8')) as { bin: { strongroom: string } }).bin.strongroom);
  const timeBin = '/usr/bin/time';
  if (!have(timeBin, ['-f', '%M', 'true'])) return undefined;
  const r = spawnSync(timeBin, ['-f', 'maxrss=%M', process.execPath, bin, 'encrypt-file', '--key-id', keyId, '--in', inPath, '--out', outPath], {
    env: { ...process.env, STRONGROOM_VAULT: vaultDir, STRONGROOM_PASSPHRASE: passphrase, STRONGROOM_VAULT_PASSPHRASE: passphrase },
    encoding: 'utf8',
  });
  const m = /maxrss=(\d+)/.exec(r.stderr);
  if (r.status !== 0 || !m) {
    process.stderr.write(`file.peak_rss: strongroom encrypt-file failed (${r.status}): ${r.stderr}\n`);
    return undefined;
  }
  return Number(m[1]) / 1024;
}
