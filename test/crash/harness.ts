// The crash test (issue 9, "Keep it proved"), shared by crash.test.ts (in
// `npm test`) and soak.ts (`npm run crash -- --kills N --seed S`):
// a vault is made once; then, again and again, a worker process (worker.ts)
// opens it and keeps calls in flight until it is SIGKILLed at a random
// moment 20–400 ms after it starts calling; the next worker goes on with
// the same vault. Every `checkEvery` kills, and after the last, the parent
// opens the vault and checks it (check.ts). Real processes, a real SQLite
// file in a temp dir, a real SIGKILL.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initVault } from '../../main/vault/vault.js';
import { checkVault } from './check.js';
import { Model } from './model.js';
import { ADMIN_PASSPHRASE, prng, SERVICE_OPTIONS, VAULT_PASSPHRASE, type Line } from './protocol.js';
import { countUnrecorded, UNRECORDED_KINDS, type Unrecorded } from './trail-coverage.js';

/** The compiled worker: beside this file in dist/, or in dist/ when this file runs as TypeScript (vitest). */
export const WORKER = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? '../../dist/test/crash/worker.js' : './worker.js', import.meta.url));

export interface CrashOptions {
  kills: number;
  seed: number;
  /** check the vault after every this many kills (and always after the last) */
  checkEvery?: number;
  /** calls each worker keeps in flight */
  lanes?: number;
  /** the kill comes this long after the worker starts calling: uniform in [minDelayMs, maxDelayMs) */
  minDelayMs?: number;
  maxDelayMs?: number;
  /** progress lines */
  log?: (line: string) => void;
}

export interface CrashReport {
  seed: number;
  checkEvery: number;
  lanes: number;
  kills: number;
  checks: number;
  calls: Model['counts'];
  /** the vault did not open or sign-in failed (the run stops there) */
  unopened?: string;
  /** acknowledged calls lost, calls refused, workers that died by themselves, trail verification problems */
  problems: string[];
  /** changes without an audit record, each counted once over all checks */
  unrecorded: Unrecorded[];
  /** from the last check */
  last: { keys: number; aliases: number; records: number; unsigned: number; signedThrough: number };
  decrypted: number;
  ms: number;
}

/** Waits for the worker's first line, the random delay, then kills it; returns its lines. */
async function runWorker(worker: number, planFile: string, delay: () => number): Promise<{ lines: Line[]; trouble?: string }> {
  const child = spawn(process.execPath, [WORKER, planFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Line[] = [];
  let partial = '';
  let stderr = '';
  /** anything on stdout that is not one of our lines */
  let noise = '';
  let killed = false;
  let onReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop()!; // a line cut by the kill was not acknowledged
    for (const p of parts) {
      let line: Line;
      try {
        line = JSON.parse(p) as Line;
      } catch {
        noise += `${p}\n`;
        continue;
      }
      lines.push(line);
      if ('ready' in line) onReady();
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  const READY_TIMEOUT_MS = 60_000;
  const timer = setTimeout(() => child.kill('SIGKILL'), READY_TIMEOUT_MS);
  await Promise.race([ready, closed]);
  clearTimeout(timer);
  if (lines.length > 0) {
    await new Promise((r) => setTimeout(r, delay()));
    killed = child.kill('SIGKILL');
  }
  const { code, signal } = await closed;
  if (noise) return { lines, trouble: `worker ${worker} wrote to its standard output: ${noise.slice(0, 2000)}` };
  if (killed && signal === 'SIGKILL') return { lines };
  const how = lines.length === 0 ? `did not start calling within ${READY_TIMEOUT_MS} ms` : 'exited before it was killed';
  return { lines, trouble: `worker ${worker} ${how} (exit code ${code}, signal ${signal}): ${stderr.trim().slice(-2000)}` };
}

export async function runCrashTest(opts: CrashOptions): Promise<CrashReport> {
  const { kills, seed, checkEvery = 10, lanes = 6, minDelayMs = 20, maxDelayMs = 400, log = () => {} } = opts;
  const started = Date.now();
  const rand = prng(seed);
  const dir = await mkdtemp(join(tmpdir(), 'strongroom-crash-'));
  const vaultDir = join(dir, 'vault');
  const model = new Model();
  const problems = new Set<string>();
  const unrecorded = new Map<string, Unrecorded>();
  const report: CrashReport = { seed, checkEvery, lanes, kills: 0, checks: 0, calls: model.counts, problems: [], unrecorded: [], last: { keys: 0, aliases: 0, records: 0, unsigned: 0, signedThrough: 0 }, decrypted: 0, ms: 0 };
  try {
    await initVault(vaultDir, { custody: { kind: 'passphrase', passphrase: VAULT_PASSPHRASE }, adminPassphrase: ADMIN_PASSPHRASE, service: SERVICE_OPTIONS });
    for (let worker = 1; worker <= kills; worker++) {
      const planFile = join(dir, `plan-${worker}.json`);
      await writeFile(planFile, JSON.stringify(model.planFor(worker, Math.floor(rand() * 2 ** 32), lanes, vaultDir)));
      const { lines, trouble } = await runWorker(worker, planFile, () => minDelayMs + rand() * (maxDelayMs - minDelayMs));
      await rm(planFile);
      if (trouble) problems.add(trouble);
      model.applyWorker(worker, lines);
      report.kills = worker;
      if (worker % checkEvery !== 0 && worker !== kills) continue;
      const check = await checkVault(vaultDir, model, rand);
      report.checks++;
      if (check.unopened) {
        report.unopened = `after kill ${worker}: ${check.unopened}`;
        break;
      }
      for (const p of check.problems) problems.add(p);
      for (const u of check.unrecorded) unrecorded.set(`${u.kind} ${u.detail}`, u);
      report.last = check.stats;
      report.decrypted += check.stats.decrypted;
      const c = model.counts;
      log(
        `kill ${worker}/${kills} (${((Date.now() - started) / 1000).toFixed(1)} s): ${c.acknowledged} calls acknowledged, ${c.inFlight} in flight at kills; vault: ${check.stats.keys} keys, ${check.stats.aliases} aliases, ` +
          `${check.stats.records} audit records (${check.stats.unsigned} after the last signed digest); ${problems.size} problems, ` +
          `without an audit record: ${countUnrecorded([...unrecorded.values()]) || 'none'}`,
      );
    }
    for (const r of model.refusals) problems.add(r);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  report.problems = [...problems];
  report.unrecorded = [...unrecorded.values()].sort((a, b) => UNRECORDED_KINDS.indexOf(a.kind) - UNRECORDED_KINDS.indexOf(b.kind));
  report.ms = Date.now() - started;
  return report;
}

/** The failure message: everything that is wrong, concretely, with the seed to run it again. */
export function describeFailures(r: CrashReport, listAtMost = 40): string {
  const out: string[] = [];
  const list = (items: string[]) => {
    out.push(...items.slice(0, listAtMost).map((s) => `  - ${s}`));
    if (items.length > listAtMost) out.push(`  - … and ${items.length - listAtMost} more`);
  };
  if (r.unopened) out.push(r.unopened);
  if (r.unrecorded.length) {
    out.push(`changes without an audit record: ${countUnrecorded(r.unrecorded)} (of ${r.last.keys} keys, ${r.last.aliases} aliases in the vault):`);
    list(r.unrecorded.map((u) => `${u.kind}: ${u.detail}`));
  }
  if (r.problems.length) {
    out.push(`${r.problems.length} other problems:`);
    list(r.problems);
  }
  if (out.length === 0) return '';
  out.push(`(seed ${r.seed}, ${r.kills} kills, ${r.calls.acknowledged} calls acknowledged, ${r.calls.inFlight} in flight at kills; run again: npm run crash -- --kills ${r.kills} --seed ${r.seed} --check-every ${r.checkEvery} --lanes ${r.lanes})`);
  return out.join('\n');
}
