// Property tests through service.call: every operation in the table gets
// random and malformed inputs generated from its zod input schema (on a
// vault holding a key of every spec, so the handlers run), and every
// outcome must be a result or a named AWS error (never KMSInternalException,
// a stack trace, a hang or a polluted prototype), with no planted secret in
// any error message, the internal log or, at the end, the audit trail.
// The table is iterated, so an operation added later is fuzzed too.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CONTRACT, type OperationSpec } from '../../main/api/index.js';
import type { Caller } from '../../main/core/service/caller.js';
import { KmsError } from '../../main/core/errors.js';
import { buildFuzzWorld, type FuzzWorld } from '../support/fuzz-world.js';
import { checkPrototypeIntact, checkServiceError, describeValue, FUZZ, fuzzParameters, hasStackTrace, OutcomeStats, testTimeout, within } from '../support/fuzz-run.js';
import { deepArray, deepJson, deepObject, inputArbitrary, objectShape, wellInputArbitrary } from '../support/zod-arbitrary.js';

let w: FuzzWorld;
const stats = new OutcomeStats();
beforeAll(async () => {
  w = await buildFuzzWorld();
}, 180_000);
afterAll(async () => {
  stats.print('service.call');
  await w?.close();
});

const MEGABYTE = 'm'.repeat(1 << 20);

/** The contract's operations, and each by name. */
const OPERATIONS: readonly OperationSpec[] = Object.values(CONTRACT);
const BY_NAME = new Map(OPERATIONS.map((op) => [op.name, op]));

/** A well-shaped request for `op` (the same one every run), so that the one member a test spoils is what the service answers about. */
const wellInput = (op: OperationSpec): Record<string, unknown> => fc.sample(wellInputArbitrary(op.input, w.hints), { seed: FUZZ.seed, numRuns: 1 })[0] as Record<string, unknown>;

/** A caller object the service never signed in: forged, so every call must be AccessDeniedException. */
const forged = (): Caller => Object.freeze({ ...w.admin });

/** Calls `op` with `input` as `caller` and checks the outcome; returns the output of a success. */
async function callChecked(op: OperationSpec, input: unknown, caller: Caller = w.admin, label = op.name): Promise<{ ok: true; output: unknown } | { ok: false; error: KmsError }> {
  let outcome: { ok: true; output: unknown } | { ok: false; error: KmsError };
  w.secrets.addFrom(`${op.name} request`, input);
  try {
    outcome = { ok: true, output: await within(FUZZ.boundMs, op.name, w.t.vault.service.dispatch(caller, op.name, input)) };
  } catch (e) {
    outcome = { ok: false, error: checkServiceError(e, w.secrets) };
  }
  checkPrototypeIntact();
  const logged = w.takeLogged();
  if (logged.length) {
    const { message, error } = logged[0]!;
    throw new Error(`the service logged an internal error: ${message}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
  if (outcome.ok) w.secrets.addFrom(`${op.name} response`, outcome.output);
  stats.count(label, outcome.ok ? 'ok' : outcome.error.name);
  return outcome;
}

describe('every operation, through service.call', () => {
  for (const op of OPERATIONS) {
    const fields = Object.keys(objectShape(op.input) ?? {});
    test(
      `${op.name}: 5,000-deep nesting in any member is a ValidationException`,
      async () => {
        const base = wellInput(op);
        const deepInputs: [string, unknown][] = [
          ['the whole input', deepObject(5000)],
          ['an extra member', { ...base, Extra: deepArray(5000) }],
          ...fields.map((f): [string, unknown] => [f, { ...base, [f]: deepObject(5000) }]),
        ];
        for (const [where, input] of deepInputs) {
          const r = await callChecked(op, input, w.admin, 'deep inputs');
          expect(r.ok ? 'success' : r.error.name, `${op.name} with 5,000-deep nesting in ${where}`).toBe('ValidationException');
        }
      },
      60_000,
    );

    test(`${op.name}: a megabyte in any member, or 5,000 bad list elements, comes back as a bounded message`, async () => {
      const base = wellInput(op);
      for (const f of fields) {
        for (const big of [MEGABYTE, Array.from({ length: 5000 }, () => 7)]) {
          const r = await callChecked(op, { ...base, [f]: big }, w.admin, 'oversized members');
          if (r.ok && !op.readOnly) await w.heal(base);
        }
      }
    });

    test(
      `${op.name}: random and malformed inputs get a result or a named AWS error, never a crash, hang or leak`,
      async () => {
        const arb = fc.tuple(inputArbitrary(op.input, w.hints), fc.integer({ min: 0, max: 11 }));
        await fc.assert(
          fc.asyncProperty(arb, async ([input, dice]) => {
            if (dice === 0) {
              // one in twelve: the same input from a caller the service never signed in
              const r = await callChecked(op, input, forged(), 'forged callers');
              if (r.ok || r.error.name !== 'AccessDeniedException') throw new Error(`a forged caller got ${r.ok ? 'a result' : r.error.name}`);
              return;
            }
            const r = await callChecked(op, input);
            if (r.ok && !op.readOnly) await w.heal(input);
          }),
          fuzzParameters(op.name, FUZZ.serviceRuns, testTimeout(FUZZ.serviceRuns) - 30_000),
        );
      },
      testTimeout(FUZZ.serviceRuns),
    );
  }

  // JSON text nested 5,000 deep in a field that holds a policy document: refused by name, not by a stack overflow
  const policyFields = OPERATIONS.flatMap((op) =>
    Object.keys(objectShape(op.input) ?? {})
      .filter((f) => /^Policy$|PolicyDocument$/.test(f))
      .map((f) => [op, f] as const),
  );
  test.each(policyFields.map(([op, f]) => [op.name, f, op] as const))('%s: a 5,000-deep JSON %s is refused by name', async (_name, field, op) => {
    const base = (w.hints.bundles ?? []).find((b) => typeof b['KeyId'] === 'string') ?? {};
    const input = { KeyId: base['KeyId'], UserName: w.user.name, GroupName: 'fuzz-group', PolicyName: 'fuzz-deep', [field]: deepJson(5000) };
    const known = Object.keys(objectShape(op.input) ?? {});
    const r = await callChecked(op, Object.fromEntries(Object.entries(input).filter(([k]) => known.includes(k))));
    expect(r.ok ? 'success' : r.error.name).toMatch(/^(MalformedPolicyDocumentException|ValidationException)$/);
  });
});

describe('operations at the same time', () => {
  // Calls do not wait for each other: a batch of random calls to random operations, all in flight
  // at once, must each end as a lone call would (a named error, never an internal one from a race).
  const call = fc.constantFrom(...OPERATIONS).chain((op) => inputArbitrary(op.input, w.hints).map((input) => ({ op: op.name, input })));
  test(
    'batches of concurrent random calls get results or named AWS errors',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(call, { minLength: 2, maxLength: 8 }), async (batch) => {
          const outcomes = await Promise.all(batch.map(({ op, input }) => callChecked(BY_NAME.get(op)!, input, w.admin, 'concurrent calls')));
          for (const [i, r] of outcomes.entries()) if (r.ok && !BY_NAME.get(batch[i]!.op)!.readOnly) await w.heal(batch[i]!.input);
        }),
        fuzzParameters('concurrent calls', FUZZ.concurrentRuns, testTimeout(FUZZ.concurrentRuns, 8_000) - 30_000),
      );
    },
    testTimeout(FUZZ.concurrentRuns, 8_000),
  );
});

describe('after the fuzzing', () => {
  test('the fixture keys are as the world made them (heal() kept the handlers reachable)', async () => {
    expect(await w.drift()).toEqual([]);
  });

  test('no planted secret appears in either tenant\'s audit trail, and both trails verify', async () => {
    expect(w.secrets.size).toBeGreaterThan(20); // the planted ones, and the data keys, plaintexts and private keys handed out
    await w.t.call('EnableTenant', { AccountId: w.otherAdmin.account }).catch(() => undefined); // the fuzz may have disabled it
    for (const caller of [w.admin, w.otherAdmin]) {
      const { Export } = (await w.t.vault.service.call(caller, 'ExportEvents', {})) as { Export: string };
      const lines = Export.split('\n');
      expect(lines.length).toBeGreaterThan(5);
      for (const line of lines) {
        const leak = w.secrets.find(line);
        if (leak) throw new Error(`audit record carries the planted secret '${leak.label}' (as ${describeValue(leak.form)}): ${line.slice(0, 400)}`);
        expect(hasStackTrace(line), line.slice(0, 400)).toBe(false);
      }
      const verified = (await w.t.vault.service.call(caller, 'VerifyEvents', {})) as { Valid: boolean };
      expect(verified.Valid).toBe(true);
    }
  }, 120_000);
});
