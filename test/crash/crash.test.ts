// Issue 9, "Keep it proved": kill -9 a worker with calls in flight, 30 times
// at random moments, on one vault; then the vault opens, every acknowledged
// call survived, every change has its audit record, and the trail verifies.
// (The long run: `npm run crash -- --kills N --seed S`, see README.)
// Each run takes a new seed unless STRONGROOM_CRASH_SEED is set; a failure
// prints it.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT } from '../cli/binary.js';
import { describeFailures, runCrashTest, WORKER } from './harness.js';

const KILLS = 30;

/** The worker runs compiled: build when dist/ is older than test/crash/ (npm test has just built). */
function ensureWorkerBuilt(): void {
  ensureBuilt();
  const src = join(ROOT, 'test', 'crash');
  const newest = Math.max(...readdirSync(src).map((f) => statSync(join(src, f)).mtimeMs));
  if (existsSync(WORKER) && statSync(WORKER).mtimeMs >= newest) return;
  spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
  if (!existsSync(WORKER)) throw new Error(`npm run build did not produce ${WORKER}`);
}

describe('kill -9 with calls in flight', () => {
  it(`${KILLS} kills: the vault opens, acknowledged calls survive, every change has its audit record, the trail verifies`, async () => {
    ensureWorkerBuilt();
    const seed = process.env.STRONGROOM_CRASH_SEED ? Number(process.env.STRONGROOM_CRASH_SEED) : Math.floor(Math.random() * 2 ** 32);
    const report = await runCrashTest({ kills: KILLS, seed, checkEvery: 10 });
    // the run did what it claims: every worker was killed while calling, and the checks ran
    expect(report.unopened, `seed ${seed}`).toBeUndefined();
    expect(report.kills).toBe(KILLS);
    expect(report.checks).toBe(3);
    expect(report.calls.acknowledged).toBeGreaterThanOrEqual(KILLS);
    expect(report.calls.inFlight).toBeGreaterThan(0);
    expect(report.decrypted).toBeGreaterThan(0);
    const failures = describeFailures(report);
    if (failures) expect.fail(failures);
  }, 120_000);
});
