// The long crash run, for soaks (the one in `npm test` is 30 kills):
//
//   npm run crash -- [--kills N] [--seed S] [--check-every K] [--lanes L]
//
// Defaults: 300 kills, a random seed (printed), a check every 25 kills,
// 6 calls in flight per worker. Exits 0 when every check passed, 1 when
// anything was lost, unrecorded or unverifiable (listed), 2 on bad usage.
import { describeFailures, runCrashTest } from './harness.js';

function usage(message: string): never {
  process.stderr.write(`${message}\nusage: npm run crash -- [--kills N] [--seed S] [--check-every K] [--lanes L]\n`);
  process.exit(2);
}

const args = new Map<string, number>();
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) {
  const [flag, value] = [argv[i]!, argv[i + 1]];
  if (!['--kills', '--seed', '--check-every', '--lanes'].includes(flag)) usage(`unknown option ${flag}`);
  const n = Number(value);
  if (value === undefined || !Number.isSafeInteger(n) || n < 0 || (flag !== '--seed' && n < 1)) usage(`${flag} takes a ${flag === '--seed' ? 'non-negative' : 'positive'} integer`);
  args.set(flag, n);
}

const seed = args.get('--seed') ?? Math.floor(Math.random() * 2 ** 32);
const kills = args.get('--kills') ?? 300;
process.stdout.write(`crash run: ${kills} kills, seed ${seed}\n`);
const report = await runCrashTest({
  kills,
  seed,
  checkEvery: args.get('--check-every') ?? 25,
  ...(args.has('--lanes') ? { lanes: args.get('--lanes')! } : {}),
  log: (line) => process.stdout.write(`${line}\n`),
});
const failures = describeFailures(report, 200);
const c = report.calls;
process.stdout.write(
  `${report.kills} kills in ${(report.ms / 1000).toFixed(1)} s: ${c.acknowledged} calls acknowledged, ${c.refused} refused, ${c.inFlight} in flight at kills ` +
    `(${c.createdInFlight} CreateKey); ${report.decrypted} decrypts checked; ${report.checks} checks; last check: ${report.last.keys} keys, ` +
    `${report.last.aliases} aliases, ${report.last.records} audit records, ${report.last.unsigned} after the last signed digest (not a failure)\n`,
);
if (failures) {
  process.stdout.write(`FAILED\n${failures}\n`);
  process.exit(1);
}
process.stdout.write('OK: every acknowledged call survived, every change has its audit record, the trail verifies\n');
