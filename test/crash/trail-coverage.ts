// "Every change has its audit record": reads the tenant's exported trail
// (JSON Lines, docs/audit-format.md §4) and, for each key and alias in the
// vault, asks whether the trail explains what the vault holds. For each
// successful record, in seq order, the trail's view of a key is set by the
// last change recorded for it:
//   CreateKey → exists, Enabled          (its ARN in resources[])
//   DisableKey → Disabled, EnableKey → Enabled,
//   ScheduleKeyDeletion → PendingDeletion, CancelKeyDeletion → Disabled
//   PutKeyPolicy → its policy's Id,  TagResource → its crash tag's value
//   CreateAlias / UpdateAlias → requestParameters.AliasName points at
//                               requestParameters.TargetKeyId
// A key, alias or state the trail does not explain is a change that
// committed without its record.
import { policyIdOf, TAG_KEY } from './protocol.js';
import type { Observed } from './model.js';

/** What kind of change is missing its record; the order is the order of the report. */
export const UNRECORDED_KINDS = [
  'key',
  'alias',
  'scheduled deletion',
  'disabled key',
  'enabled key',
  'cancelled deletion',
  'key policy',
  'tag',
] as const;
export type UnrecordedKind = (typeof UNRECORDED_KINDS)[number];
const PLURAL: Record<UnrecordedKind, string> = {
  key: 'keys',
  alias: 'aliases',
  'scheduled deletion': 'scheduled deletions',
  'disabled key': 'disabled keys',
  'enabled key': 'enabled keys',
  'cancelled deletion': 'cancelled deletions',
  'key policy': 'key policies',
  tag: 'tags',
};

export interface Unrecorded {
  kind: UnrecordedKind;
  /** the key id or alias name */
  subject: string;
  /** the key or alias, and what the trail says instead */
  detail: string;
}

interface TrailView {
  records: number;
  created: Set<string>;
  state: Map<string, string>;
  policy: Map<string, string>;
  tag: Map<string, string>;
  alias: Map<string, string | null>;
}

const STATE_AFTER: Record<string, string> = {
  CreateKey: 'Enabled',
  EnableKey: 'Enabled',
  DisableKey: 'Disabled',
  ScheduleKeyDeletion: 'PendingDeletion',
  CancelKeyDeletion: 'Disabled',
};

/** A key id from a TargetKeyId (a key id or key ARN). */
const keyIdOf = (ref: string) => (ref.startsWith('arn:') ? ref.slice(ref.lastIndexOf('/') + 1) : ref);

/** The trail's view of every key and alias, from an export's text. */
export function readTrail(exportText: string): TrailView {
  const view: TrailView = { records: 0, created: new Set(), state: new Map(), policy: new Map(), tag: new Map(), alias: new Map() };
  for (const text of exportText.split('\n')) {
    if (text === '') continue;
    const line = JSON.parse(text) as { seq?: number; event?: any };
    if (line.seq === undefined || !line.event) continue; // header, digests, export digest
    view.records++;
    const e = line.event;
    if (e.errorCode !== undefined) continue; // a refused call changed nothing
    const arns: string[] = (Array.isArray(e.resources) ? e.resources : []).map((r: { ARN: string }) => r.ARN);
    const params = e.requestParameters ?? {};
    const name: string = e.eventName;
    if (name === 'CreateKey') for (const arn of arns) view.created.add(arn);
    if (name in STATE_AFTER) for (const arn of arns) view.state.set(arn, STATE_AFTER[name]!);
    if (name === 'PutKeyPolicy' && typeof params.Policy === 'string') for (const arn of arns) view.policy.set(arn, policyIdOf(params.Policy));
    if (name === 'TagResource' && Array.isArray(params.Tags)) {
      for (const t of params.Tags) if (t?.TagKey === TAG_KEY) for (const arn of arns) view.tag.set(arn, t.TagValue);
    }
    if ((name === 'CreateAlias' || name === 'UpdateAlias') && typeof params.AliasName === 'string' && typeof params.TargetKeyId === 'string') {
      view.alias.set(params.AliasName, keyIdOf(params.TargetKeyId));
    }
    if (name === 'DeleteAlias' && typeof params.AliasName === 'string') view.alias.set(params.AliasName, null);
  }
  return view;
}

/** The kind of change that is missing when the vault holds `actual` and the trail's last record says `recorded`. */
function stateKind(actual: string, recorded: string): UnrecordedKind {
  if (actual === 'PendingDeletion') return 'scheduled deletion';
  if (actual === 'Enabled') return 'enabled key';
  return recorded === 'PendingDeletion' ? 'cancelled deletion' : 'disabled key';
}

/** Every key, alias, key state, policy and tag in the vault that the trail does not explain. */
export function unrecordedChanges(seen: Observed, exportText: string): { records: number; unrecorded: Unrecorded[] } {
  const trail = readTrail(exportText);
  const out: Unrecorded[] = [];
  for (const [keyId, k] of seen.keys) {
    if (!trail.created.has(k.arn)) out.push({ kind: 'key', subject: keyId, detail: `${k.arn}: no CreateKey record names it` });
    // (a key whose CreateKey record is missing is counted once, above, and taken as created Enabled)
    const recorded = trail.state.get(k.arn) ?? 'Enabled';
    if (recorded !== k.state) {
      out.push({ kind: stateKind(k.state, recorded), subject: keyId, detail: `${k.arn} is ${k.state}; its last recorded state change left it ${recorded}` });
    }
    if (k.policyId !== undefined && k.policyId !== (trail.policy.get(k.arn) ?? 'default')) {
      out.push({ kind: 'key policy', subject: keyId, detail: `${keyId} has policy ${k.policyId}; the last PutKeyPolicy record says ${trail.policy.get(k.arn) ?? '(none)'}` });
    }
    if (k.tag !== undefined && k.tag !== (trail.tag.get(k.arn) ?? null)) {
      out.push({ kind: 'tag', subject: keyId, detail: `${keyId} has ${TAG_KEY}=${k.tag ?? '(none)'}; the last TagResource record says ${trail.tag.get(k.arn) ?? '(none)'}` });
    }
  }
  for (const [name, keyId] of seen.aliases) {
    const recorded = trail.alias.get(name);
    if (recorded !== keyId) out.push({ kind: 'alias', subject: name, detail: `${name} points at ${keyId}; the last CreateAlias/UpdateAlias record says ${recorded ?? '(no record)'}` });
  }
  return { records: trail.records, unrecorded: out };
}

/** "12 keys, 3 aliases, 1 scheduled deletion" */
export function countUnrecorded(unrecorded: readonly Unrecorded[]): string {
  const parts: string[] = [];
  for (const kind of UNRECORDED_KINDS) {
    const n = unrecorded.filter((u) => u.kind === kind).length;
    if (n === 0) continue;
    parts.push(`${n} ${n === 1 ? kind : PLURAL[kind]}`);
  }
  return parts.join(', ');
}
