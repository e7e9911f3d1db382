// Issue 14 metrics ("Start fast"): the built `strongroom` command line
// (package.json "bin") side by side, in one run, with the AWS CLI on this
// machine talking to a local KMS (moto_server on a free port):
//
//   cli.encrypt        `strongroom encrypt` of 100 bytes, signed in        vs `aws kms encrypt` of the same bytes   target ≤ 0.5 ×
//   cli.help           `strongroom help`                                   vs `aws kms help`                        target ≤ 0.3 ×
//   cli.peak_rss       peak RSS of the signed-in `strongroom encrypt`       (aws's beside it)                       target ≤ 80 MiB
//   cli.encrypt_file   `strongroom encrypt-file` of a 1 GiB file, signed in vs `age -r R -o out in` then `sync out`   target ≤ 1 ×
//
// Why `aws kms help`: `strongroom help` is the page of a tool shaped like
// `aws kms`: what it is, then every command with a line on each, which is
// what `aws kms help` prints for the kms service (`aws help` lists AWS's
// services instead, `aws kms encrypt help` one command: that pair is
// printed too, cli.help_command, with no target).
//
// "Signed in": the bench runs `strongroom login` once and times calls that
// carry no passphrase (the session in the keychain); beside them, with no
// target, the same calls signing in with STRONGROOM_PASSPHRASE, each paying
// a full Argon2id derivation at the production cost (64 MiB, t=3: the vault
// is made by the built CLI's `init`, never at a test-lowered cost).
// The vault's master key is in the OS keychain: run this under a Secret
// Service (`npm run bench` does: test/with-secret-service.sh).
//
// Every call is a fresh process, timed from spawn to exit by this process,
// under /usr/bin/time for its peak RSS (ru_maxrss). The two tools alternate,
// REPEATS times each; the median counts and min–max is printed beside it.
// `aws` is run through the real script, not pyenv's shim (the shim is a
// bash script that adds a pyenv process to each call). Strongroom syncs its
// output before renaming it into place, so age's output is synced too, and
// each run starts as file.bench.ts's do: previous outputs removed and
// synced, then 1 GiB of page cache written and dropped (warm memory).
//
// STRONGROOM_BENCH_FILE_BYTES sets the file size (default 1 GiB) for a
// quicker run; the metric's reference names the size used.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomFile } from './file.bench.js';
import { report } from './harness.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const BIN = join(ROOT, (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: { strongroom: string } }).bin.strongroom);
const GIB = 1024 * 1024 * 1024;
const FILE_BYTES = Number(process.env['STRONGROOM_BENCH_FILE_BYTES'] ?? GIB);
const PASSPHRASE = 'cli bench passphrase';
const TIME = '/usr/bin/time';

interface Run {
  /** wall seconds, spawn to exit */
  secs: number;
  /** user + system CPU seconds of the process and its children (the machine is shared: this varies less than wall time) */
  cpu: number;
  /** peak RSS in MiB */
  rssMiB: number;
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const median = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)]!;
const spread = (xs: number[], digits: number) => `${sorted(xs)[0]!.toFixed(digits)}–${sorted(xs).at(-1)!.toFixed(digits)}`;
/** the CPU-time ratio, printed beside the wall-time one */
const cpuRatio = (ours: Run[], theirs: Run[]) => `CPU ${(median(ours.map((r) => r.cpu)) / median(theirs.map((r) => r.cpu))).toFixed(2)} ×`;

/** The program behind a pyenv shim (`pyenv which aws`), or the command itself. */
function realProgram(cmd: string): string {
  const r = spawnSync('pyenv', ['which', cmd], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : cmd;
}

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? ok(address.port) : fail(new Error('no port'))));
    });
  });
}

/** Runs cmd under /usr/bin/time: its wall time, CPU time and peak RSS; throws with its stderr if it fails. */
function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv, rssFile: string): Run {
  const t0 = performance.now();
  const r = spawnSync(TIME, ['-f', '%M %U %S', '-o', rssFile, cmd, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  const secs = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr.toString().slice(-2000)}`);
  const [rssKiB, user, system] = (readFileSync(rssFile, 'utf8').trim().split('\n').at(-1) ?? '').split(' ').map(Number);
  return { secs, cpu: user! + system!, rssMiB: rssKiB! / 1024 };
}

export async function benchCli(quick: boolean): Promise<void> {
  const repeats = quick ? 3 : 7;
  const fileRepeats = quick ? 1 : 3;
  const missing = ['aws', 'moto_server', 'age', 'age-keygen', TIME, 'sync'].filter((c) => spawnSync('sh', ['-c', `command -v "${c}"`], { stdio: 'ignore' }).status !== 0);
  if (missing.length) {
    report({ metric: 'cli', value: NaN, unit: '', reference: `missing ${missing.join(', ')}`, ratio: null, pass: false });
    return;
  }
  if (process.env['STRONGROOM_TEST_SECRET_SERVICE'] !== '1') {
    report({ metric: 'cli', value: NaN, unit: '', reference: 'needs a Secret Service for the keychain: run it as `npm run bench` (test/with-secret-service.sh)', ratio: null, pass: false });
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'strongroom-bench-cli-'));
  const p = (name: string) => join(dir, name);
  let moto: ChildProcess | undefined;
  try {
    // --- the AWS side: moto_server on a free port, one symmetric key
    const port = await freePort();
    const endpoint = `http://127.0.0.1:${port}`;
    const awsEnv: NodeJS.ProcessEnv = {
      ...process.env,
      AWS_ACCESS_KEY_ID: 'dummy',
      AWS_SECRET_ACCESS_KEY: 'dummy',
      AWS_DEFAULT_REGION: 'us-east-1',
      // nothing from the user's own AWS configuration
      AWS_CONFIG_FILE: p('aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: p('aws-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    moto = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { env: awsEnv, stdio: 'ignore', detached: true });
    const aws = realProgram('aws');
    const awsArgs = (...args: string[]) => ['--endpoint-url', endpoint, ...args];
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        if ((await fetch(endpoint)).status < 500) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`moto_server did not answer on ${endpoint} within 30 s`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const awsKey = execFileSync(aws, awsArgs('kms', 'create-key', '--query', 'KeyMetadata.KeyId', '--output', 'text'), { env: awsEnv, encoding: 'utf8' }).trim();

    // --- the Strongroom side: a keychain vault made by the built CLI (production Argon2id cost)
    const srEnv: NodeJS.ProcessEnv = { ...process.env, STRONGROOM_VAULT: p('vault'), STRONGROOM_PASSPHRASE: PASSPHRASE };
    const sr = (args: string[], env = srEnv) => execFileSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8' });
    sr(['init']);
    const srKey = sr(['create-key', '--description', 'cli bench', '--query', 'KeyMetadata.KeyId', '--output', 'text']).trim();
    await writeFile(p('100B'), Buffer.alloc(100, 0x5a));

    // Sign in once: the targets are for calls that use the session (issue 14, "Sign in once").
    sr(['login']);
    const sessionEnv = { ...srEnv };
    delete sessionEnv['STRONGROOM_PASSPHRASE']; // the timed calls must use the session
    const variants: { label: string; env: NodeJS.ProcessEnv; target: boolean }[] = [
      { label: 'signed in (strongroom login)', env: sessionEnv, target: true },
      { label: 'with Argon2id sign-in', env: srEnv, target: false },
    ];

    // --- encrypt 100 bytes, and peak RSS
    const plaintext = `fileb://${p('100B')}`;
    for (const v of variants) {
      const ours: Run[] = [];
      const theirs: Run[] = [];
      for (let i = 0; i < repeats; i++) {
        theirs.push(timed(aws, awsArgs('kms', 'encrypt', '--key-id', awsKey, '--plaintext', plaintext), awsEnv, p('rss')));
        ours.push(timed(process.execPath, [BIN, 'encrypt', '--key-id', srKey, '--plaintext', plaintext], v.env, p('rss')));
      }
      const secs = ours.map((r) => r.secs);
      const ref = theirs.map((r) => r.secs);
      const ratio = median(secs) / median(ref);
      report({
        metric: `cli.encrypt (${v.label})`,
        value: median(secs) * 1000,
        unit: 'ms',
        reference: `aws kms encrypt ${(median(ref) * 1000).toFixed(0)} ms; ours ${spread(secs.map((s) => s * 1000), 0)}, aws ${spread(ref.map((s) => s * 1000), 0)} ms over ${repeats}; ${cpuRatio(ours, theirs)}; target ≤ 0.5 ×`,
        ratio,
        ...(v.target ? { pass: ratio <= 0.5 } : {}),
      });
      const rss = ours.map((r) => r.rssMiB);
      report({
        metric: `cli.peak_rss (${v.label})`,
        value: median(rss),
        unit: 'MiB',
        reference: `strongroom encrypt, ${spread(rss, 1)} MiB; aws kms encrypt ${median(theirs.map((r) => r.rssMiB)).toFixed(1)} MiB; target ≤ 80 MiB`,
        ratio: median(rss) / 80,
        ...(v.target ? { pass: median(rss) <= 80 } : {}),
      });
    }

    // --- help: the command list, and one command's page
    const noPager: NodeJS.ProcessEnv = { ...awsEnv, PAGER: 'cat', MANPAGER: 'cat' };
    for (const [metric, ours, theirs, target] of [
      ['cli.help', ['help'], ['kms', 'help'], 0.3],
      ['cli.help_command', ['encrypt', 'help'], ['kms', 'encrypt', 'help'], undefined],
    ] as const) {
      const runsA: Run[] = [];
      const runsB: Run[] = [];
      for (let i = 0; i < repeats; i++) {
        runsB.push(timed(aws, [...theirs], noPager, p('rss')));
        runsA.push(timed(process.execPath, [BIN, ...ours], srEnv, p('rss')));
      }
      const a = runsA.map((r) => r.secs * 1000);
      const b = runsB.map((r) => r.secs * 1000);
      const ratio = median(a) / median(b);
      report({
        metric,
        value: median(a),
        unit: 'ms',
        reference: `aws ${theirs.join(' ')} ${median(b).toFixed(0)} ms; ours ${spread(a, 0)}, aws ${spread(b, 0)} ms over ${repeats}; ${cpuRatio(runsA, runsB)}${target ? `; target ≤ ${target} ×` : ''}`,
        ratio,
        ...(target ? { pass: ratio <= target } : {}),
      });
    }

    // --- encrypt-file of FILE_BYTES vs age -r then sync
    await randomFile(p('in.bin'), FILE_BYTES);
    execFileSync('age-keygen', ['-o', p('age-identity.txt')], { stdio: 'ignore' });
    const recipient = execFileSync('age-keygen', ['-y', p('age-identity.txt')], { encoding: 'utf8' }).trim();
    const fresh = async (...names: string[]) => {
      for (const n of names) await rm(p(n), { force: true });
      spawnSync('sync', [], { stdio: 'ignore' });
    };
    const warm = async () => {
      await randomFile(p('warm-up'), GIB, true);
      await rm(p('warm-up'));
    };
    const size = FILE_BYTES >= GIB ? `${(FILE_BYTES / GIB).toFixed(FILE_BYTES % GIB ? 2 : 0)} GiB` : `${(FILE_BYTES / 1024 / 1024).toFixed(0)} MiB`;
    for (const v of variants) {
      const ourRuns: Run[] = [];
      const theirRuns: Run[] = [];
      for (let i = 0; i < fileRepeats; i++) {
        await fresh('out.sr');
        await warm();
        ourRuns.push(timed(process.execPath, [BIN, 'encrypt-file', '--key-id', srKey, '--in', p('in.bin'), '--out', p('out.sr')], v.env, p('rss')));
        await fresh('out.sr', 'out.age');
        await warm();
        const age = timed('age', ['-r', recipient, '-o', p('out.age'), p('in.bin')], process.env, p('rss'));
        const sync = timed('sync', [p('out.age')], process.env, p('rss'));
        theirRuns.push({ secs: age.secs + sync.secs, cpu: age.cpu + sync.cpu, rssMiB: age.rssMiB });
        await fresh('out.age');
      }
      const ours = ourRuns.map((r) => r.secs);
      const theirs = theirRuns.map((r) => r.secs);
      const ratio = median(ours) / median(theirs);
      report({
        metric: `cli.encrypt_file (${v.label})`,
        value: FILE_BYTES / 1e6 / median(ours),
        unit: 'MB/s',
        reference: `${size}: ours ${median(ours).toFixed(2)} s (${spread(ours, 2)}), age -r + sync ${median(theirs).toFixed(2)} s (${spread(theirs, 2)}) over ${fileRepeats}; ${cpuRatio(ourRuns, theirRuns)}; target time ≤ 1 ×`,
        ratio,
        ...(v.target ? { pass: ratio <= 1 } : {}),
      });
    }
    sr(['logout']);
  } finally {
    if (moto?.pid !== undefined) {
      try {
        process.kill(-moto.pid, 'SIGTERM'); // its process group: the pyenv shim and the server it starts
      } catch {
        // already gone
      }
    }
    await rm(dir, { recursive: true, force: true });
  }
}
