// The process the crash test kills (harness.ts). It opens the vault as the
// CLI or the app would (passphrase custody), signs in, and keeps `lanes`
// calls in flight until it is SIGKILLed: keys created, aliased, re-aliased,
// disabled, enabled, scheduled for deletion and back, policies replaced,
// tags set, plaintext encrypted. It never runs two calls on one key or
// alias at once, so the order in which its calls were acknowledged is the
// order in which they took effect.
//
// Every line goes out with fs.writeSync on fd 1 before the next step: a
// start line before each call, an ack (or fail) line as soon as it
// resolves. A line is in the kernel's pipe once writeSync returns, so the
// kill cannot take back an acknowledgement the parent may rely on.
//
//   node dist/test/crash/worker.js PLAN.json
import { readFileSync, writeSync } from 'node:fs';
import { openVault } from '../../main/vault/vault.js';
import { callAs } from '../support/call-as.js';
import {
  ADMIN_PASSPHRASE,
  PENDING_WINDOW_DAYS,
  PLAINTEXT,
  REGION,
  SERVICE_OPTIONS,
  TAG_KEY,
  VAULT_PASSPHRASE,
  policyDocument,
  prng,
  type Call,
  type KeyState,
  type Line,
  type Plan,
  type Spec,
} from './protocol.js';

/** A worker nobody kills (its parent died) stops by itself. */
const MAX_LIFE_MS = 120_000;

function emit(line: Line): void {
  const bytes = Buffer.from(JSON.stringify(line) + '\n');
  let off = 0;
  while (off < bytes.length) {
    try {
      off += writeSync(1, bytes, off);
    } catch (e) {
      // a non-blocking pipe that is full: wait for the parent to read (EPIPE and the rest end the worker)
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
    }
  }
}

const plan = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Plan;
setTimeout(() => process.exit(3), MAX_LIFE_MS);
const rand = prng(plan.seed);
const pick = <T>(xs: readonly T[]): T | undefined => (xs.length ? xs[Math.floor(rand() * xs.length)] : undefined);

const vault = await openVault(plan.vaultDir, {
  vaultPassphrase: async () => VAULT_PASSPHRASE,
  service: SERVICE_OPTIONS,
  log: (message, error) => writeSync(2, `worker ${plan.worker}: ${message}: ${String((error as Error | undefined)?.stack ?? error ?? '')}\n`),
});
const caller = await vault.service.signIn({ userName: 'admin', passphrase: ADMIN_PASSPHRASE, region: REGION, source: 'sdk' });
const call = callAs(vault.service, caller);

// What this worker knows: the plan's keys and aliases, then what its own acknowledged calls did.
const keys = new Map<string, { spec: Spec; state: KeyState }>(plan.keys.map((k) => [k.keyId, { spec: k.spec, state: k.state }]));
const keyIds = plan.keys.map((k) => k.keyId);
const aliases = new Map<string, { keyId: string; spec: Spec }>(plan.aliases.map((a) => [a.aliasName, { keyId: a.keyId, spec: a.spec }]));
const aliasNames = plan.aliases.map((a) => a.aliasName);
/** keys and aliases with a call in flight */
const busy = new Set<string>();
let serial = 0;
const unique = () => `w${plan.worker}-${++serial}`;

/** A free key matching `ok`, tried a few times at random (the pool is large; a miss just means another call). */
function freeKey(ok: (k: { spec: Spec; state: KeyState }) => boolean): string | undefined {
  for (let i = 0; i < 8; i++) {
    const id = pick(keyIds);
    if (id !== undefined && !busy.has(id) && ok(keys.get(id)!)) return id;
  }
  return undefined;
}
const live = (k: { state: KeyState }) => k.state !== 'PendingDeletion';

/** Weighted choice of the next call; CreateKey when nothing else fits. */
function choose(): Call {
  const r = rand() * 100;
  let keyId: string | undefined;
  if (r < 18) return { op: 'CreateKey', spec: 'SYMMETRIC_DEFAULT' };
  if (r < 21) return { op: 'CreateKey', spec: 'ECC_NIST_P256' };
  if (r < 33 && (keyId = freeKey(live))) return { op: 'CreateAlias', aliasName: `alias/crash-${unique()}`, keyId };
  if (r < 41) {
    const aliasName = pick(aliasNames);
    const alias = aliasName === undefined ? undefined : aliases.get(aliasName);
    if (aliasName !== undefined && alias !== undefined && !busy.has(aliasName) && !busy.has(alias.keyId)) {
      keyId = freeKey((k) => live(k) && k.spec === alias.spec);
      if (keyId !== undefined && keyId !== alias.keyId) return { op: 'UpdateAlias', aliasName, keyId, from: alias.keyId };
    }
  }
  if (r < 47 && (keyId = freeKey(live))) return { op: 'ScheduleKeyDeletion', keyId };
  if (r < 52 && (keyId = freeKey((k) => k.state === 'PendingDeletion'))) return { op: 'CancelKeyDeletion', keyId };
  if (r < 68 && (keyId = freeKey((k) => k.state === 'Enabled' && k.spec === 'SYMMETRIC_DEFAULT'))) return { op: 'Encrypt', keyId };
  if (r < 75 && (keyId = freeKey((k) => k.state === 'Enabled'))) return { op: 'DisableKey', keyId };
  if (r < 84 && (keyId = freeKey((k) => k.state === 'Disabled'))) return { op: 'EnableKey', keyId };
  if (r < 92 && (keyId = freeKey(live))) return { op: 'PutKeyPolicy', keyId, policyId: `crash-${unique()}` };
  if ((keyId = freeKey(live))) return { op: 'TagResource', keyId, value: unique() };
  return { op: 'CreateKey', spec: 'SYMMETRIC_DEFAULT' };
}

/** The keys and aliases a call works on: none of them may have another call in flight. */
function objectsOf(c: Call): string[] {
  switch (c.op) {
    case 'CreateKey':
      return [];
    case 'CreateAlias':
      return [c.aliasName, c.keyId];
    case 'UpdateAlias':
      return [c.aliasName, c.keyId, c.from];
    default:
      return [c.keyId];
  }
}

/** Makes the call; returns what the ack line carries. */
async function perform(c: Call): Promise<Omit<Extract<Line, { ack: number }>, 'ack'>> {
  switch (c.op) {
    case 'CreateKey': {
      const input = c.spec === 'SYMMETRIC_DEFAULT' ? {} : { KeySpec: c.spec, KeyUsage: 'SIGN_VERIFY' as const };
      const { KeyMetadata } = await call('CreateKey', input);
      return { keyId: KeyMetadata.KeyId, keyArn: KeyMetadata.Arn };
    }
    case 'CreateAlias':
    case 'UpdateAlias':
      await call(c.op, { AliasName: c.aliasName, TargetKeyId: c.keyId });
      return {};
    case 'ScheduleKeyDeletion':
      await call(c.op, { KeyId: c.keyId, PendingWindowInDays: PENDING_WINDOW_DAYS });
      return {};
    case 'CancelKeyDeletion':
    case 'DisableKey':
    case 'EnableKey':
      await call(c.op, { KeyId: c.keyId });
      return {};
    case 'Encrypt': {
      const out = await call('Encrypt', { KeyId: c.keyId, Plaintext: Buffer.from(PLAINTEXT) });
      return { ciphertext: Buffer.from(out.CiphertextBlob).toString('base64') };
    }
    case 'PutKeyPolicy':
      await call('PutKeyPolicy', { KeyId: c.keyId, PolicyName: 'default', Policy: policyDocument(caller.account, c.policyId) });
      return {};
    case 'TagResource':
      await call('TagResource', { KeyId: c.keyId, Tags: [{ TagKey: TAG_KEY, TagValue: c.value }] });
      return {};
  }
}

const NEXT_STATE: Partial<Record<Call['op'], KeyState>> = {
  ScheduleKeyDeletion: 'PendingDeletion',
  CancelKeyDeletion: 'Disabled',
  DisableKey: 'Disabled',
  EnableKey: 'Enabled',
};

/** What an acknowledged call changed, in this worker's own view. */
function learn(c: Call, result: { keyId?: string }): void {
  if (c.op === 'CreateKey') {
    keys.set(result.keyId!, { spec: c.spec, state: 'Enabled' });
    keyIds.push(result.keyId!);
  } else if (c.op === 'CreateAlias' || c.op === 'UpdateAlias') {
    if (!aliases.has(c.aliasName)) aliasNames.push(c.aliasName);
    aliases.set(c.aliasName, { keyId: c.keyId, spec: keys.get(c.keyId)!.spec });
  } else {
    const next = NEXT_STATE[c.op];
    if (next) keys.get(c.keyId)!.state = next;
  }
}

async function lane(): Promise<never> {
  for (;;) {
    const c = choose();
    const objects = objectsOf(c);
    for (const o of objects) busy.add(o);
    const n = ++serial;
    emit({ start: n, ...c });
    try {
      const result = await perform(c);
      emit({ ack: n, ...result });
      learn(c, result);
    } catch (e) {
      emit({ fail: n, name: (e as Error).name, message: (e as Error).message });
    } finally {
      for (const o of objects) busy.delete(o);
    }
  }
}

emit({ ready: true, account: caller.account, pid: process.pid });
await Promise.all(Array.from({ length: plan.lanes }, lane));
