// One check of the vault after kills, in the parent, with no worker running:
//   1. the vault opens (its recovery, if any, runs here) and sign-in works;
//   2. every acknowledged call survived (model.ts: keys, states, aliases,
//      policies, tags; acknowledged ciphertexts decrypt to the plaintext);
//   3. every change has its audit record (trail-coverage.ts);
//   4. the stored trail verifies (VerifyEvents, as `strongroom audit
//      verify`); records after the last signed digest are only reported.
// Everything is read through the service, as a user would see it.
import type { Caller } from '../../main/core/service/caller.js';
import { openVault, type Vault } from '../../main/vault/vault.js';
import type { Ciphertext, Model, Observed } from './model.js';
import { ADMIN_PASSPHRASE, PLAINTEXT, policyIdOf, REGION, SERVICE_OPTIONS, TAG_KEY, VAULT_PASSPHRASE } from './protocol.js';
import { unrecordedChanges, type Unrecorded } from './trail-coverage.js';
import { callAs, type Call } from '../support/call-as.js';

export interface CheckResult {
  /** the vault did not open, or sign-in failed */
  unopened?: string;
  /** acknowledged calls that did not survive, trail verification problems */
  problems: string[];
  unrecorded: Unrecorded[];
  stats: { keys: number; aliases: number; records: number; decrypted: number; signedThrough: number; unsigned: number };
}

/** Already-decrypted ciphertexts decrypted again at each check. */
const REDECRYPT_SAMPLE = 50;
/** Calls a check keeps in flight (they share group commits). */
const CONCURRENCY = 16;

async function eachLimited<T>(items: readonly T[], fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

async function observe(call: Call, model: Model): Promise<Observed> {
  const seen: Observed = { keys: new Map(), aliases: new Map() };
  const listed: { KeyId: string; KeyArn: string }[] = [];
  for (let marker: string | undefined, more = true; more; ) {
    const page = await call('ListKeys', { Limit: 1000, ...(marker ? { Marker: marker } : {}) });
    listed.push(...page.Keys);
    [marker, more] = [page.NextMarker, page.Truncated];
  }
  await eachLimited(listed, async ({ KeyId, KeyArn }) => {
    const { KeyMetadata } = await call('DescribeKey', { KeyId });
    const k: Observed['keys'] extends Map<string, infer V> ? V : never = { arn: KeyArn, spec: KeyMetadata.KeySpec, state: KeyMetadata.KeyState };
    const m = model.keys.get(KeyId);
    // policies and tags are read where a worker ever set them (elsewhere they are CreateKey's)
    if (m && !(m.policies.size === 1 && m.policies.has('default'))) k.policyId = policyIdOf((await call('GetKeyPolicy', { KeyId, PolicyName: 'default' })).Policy);
    if (m && !(m.tags.size === 1 && m.tags.has(null))) {
      const { Tags } = await call('ListResourceTags', { KeyId, Limit: 50 });
      k.tag = (Tags as { TagKey: string; TagValue: string }[]).find((t) => t.TagKey === TAG_KEY)?.TagValue ?? null;
    }
    seen.keys.set(KeyId, k);
  });
  for (let marker: string | undefined, more = true; more; ) {
    const page = await call('ListAliases', { Limit: 100, ...(marker ? { Marker: marker } : {}) });
    for (const a of page.Aliases as { AliasName: string; TargetKeyId?: string }[]) {
      if (a.AliasName.startsWith('alias/crash-') && a.TargetKeyId) seen.aliases.set(a.AliasName, a.TargetKeyId);
    }
    [marker, more] = [page.NextMarker, page.Truncated];
  }
  return seen;
}

/** Decrypts acknowledged ciphertexts whose key is Enabled now (others wait for a later check); returns what failed. */
async function decryptAll(call: Call, model: Model, seen: Observed, rand: () => number): Promise<{ failed: string[]; decrypted: number }> {
  const enabled = (c: Ciphertext) => seen.keys.get(c.keyId)?.state === 'Enabled';
  const fresh = model.ciphertexts.filter(enabled);
  const again = model.decrypted.filter(enabled).sort(() => rand() - 0.5).slice(0, REDECRYPT_SAMPLE);
  const failed: string[] = [];
  await eachLimited([...fresh, ...again], async (c) => {
    try {
      const { Plaintext } = await call('Decrypt', { CiphertextBlob: Buffer.from(c.blob, 'base64') });
      if (Buffer.from(Plaintext).toString() !== PLAINTEXT) failed.push(`the ciphertext of acknowledged ${c.by} decrypts to something else`);
    } catch (e) {
      failed.push(`the ciphertext of acknowledged ${c.by} does not decrypt: ${(e as Error).name}: ${(e as Error).message}`);
    }
  });
  model.decrypted.push(...fresh);
  model.ciphertexts = model.ciphertexts.filter((c) => !enabled(c));
  return { failed, decrypted: fresh.length + again.length };
}

export async function checkVault(vaultDir: string, model: Model, rand: () => number): Promise<CheckResult> {
  let vault: Vault;
  let caller: Caller;
  try {
    vault = await openVault(vaultDir, { vaultPassphrase: async () => VAULT_PASSPHRASE, service: SERVICE_OPTIONS });
  } catch (e) {
    return { unopened: `the vault does not open: ${(e as Error).name}: ${(e as Error).message}`, problems: [], unrecorded: [], stats: emptyStats() };
  }
  try {
    try {
      caller = await vault.service.signIn({ userName: 'admin', passphrase: ADMIN_PASSPHRASE, region: REGION, source: 'sdk' });
    } catch (e) {
      return { unopened: `sign-in fails: ${(e as Error).name}: ${(e as Error).message}`, problems: [], unrecorded: [], stats: emptyStats() };
    }
    const call = callAs(vault.service, caller);
    const seen = await observe(call, model);
    const problems = model.settle(seen);
    const { failed, decrypted } = await decryptAll(call, model, seen, rand);
    problems.push(...failed);
    // the export is taken after every read above, so the trail it holds is the one the vault's state must be explained by
    const { unrecorded } = unrecordedChanges(seen, (await call('ExportEvents', {})).Export);
    for (const u of unrecorded) u.detail += ` (${madeBy(model, u)})`;
    const verified = await call('VerifyEvents', {});
    for (const p of verified.Problems as { Seq?: number; Kind: string; Message: string }[]) problems.push(`the trail does not verify: ${p.Kind}: ${p.Message}`);
    if (!verified.Valid && verified.Problems.length === 0) problems.push(`the trail does not verify: ${verified.Summary}`);
    return {
      problems,
      unrecorded,
      stats: { keys: seen.keys.size, aliases: seen.aliases.size, records: verified.Records, decrypted, signedThrough: verified.SignedThrough, unsigned: verified.Records - verified.SignedThrough },
    };
  } finally {
    await vault.close();
  }
}

/** The calls that may have made an unrecorded change, as the model knows them. */
function madeBy(model: Model, u: Unrecorded): string {
  if (u.kind === 'alias') return `by ${model.aliases.get(u.subject)?.by ?? 'no call the workers acknowledged or started'}`;
  const k = model.keys.get(u.subject);
  if (!k) return 'a key no worker call made';
  if (u.kind === 'key') return `created by ${k.createdBy}`;
  if (u.kind === 'key policy') return `set by ${k.policyBy}`;
  if (u.kind === 'tag') return `set by ${k.tagBy}`;
  return `set by ${k.stateBy}`;
}

const emptyStats = (): CheckResult['stats'] => ({ keys: 0, aliases: 0, records: 0, decrypted: 0, signedThrough: 0, unsigned: 0 });
