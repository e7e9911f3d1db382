// The parent's model of what the vault must hold: every acknowledged call of
// every worker, applied in the order the worker acknowledged them (a worker
// never has two calls in flight on one key or alias, so that is the order
// they took effect). A call in flight at a kill may or may not have landed:
// the object it touched may then be in either state, and it is handed to no
// worker until a check has seen which (settle). A key created by a call in
// flight is unknown until a check finds it.
import { prng, type Call, type KeyState, type Line, type Plan, type Spec } from './protocol.js';

export interface KeyModel {
  keyId: string;
  arn: string;
  spec: Spec;
  /** the states the key may be in: one when certain; more after a call in flight at a kill */
  states: Set<KeyState>;
  /** the policy ids it may have ('default': the one CreateKey wrote) */
  policies: Set<string>;
  /** the values the crash tag may have (null: none) */
  tags: Set<string | null>;
  /** the call that created it, and the ones that set each field, for messages */
  createdBy: string;
  stateBy: string;
  policyBy: string;
  tagBy: string;
  uncertain: boolean;
}

export interface AliasModel {
  aliasName: string;
  /** the keys it may point at (null: it may not exist, its CreateAlias was in flight) */
  targets: Set<string | null>;
  by: string;
  uncertain: boolean;
}

export interface Ciphertext {
  keyId: string;
  blob: string;
  by: string;
}

/** What a check read from the vault after a kill. */
export interface Observed {
  keys: Map<string, { arn: string; spec: string; state: string; policyId?: string; tag?: string | null }>;
  aliases: Map<string, string>;
}

const NEXT_STATE: Partial<Record<Call['op'], KeyState>> = {
  ScheduleKeyDeletion: 'PendingDeletion',
  CancelKeyDeletion: 'Disabled',
  DisableKey: 'Disabled',
  EnableKey: 'Enabled',
};

const show = (xs: Iterable<string | null>) => [...xs].map((x) => x ?? '(none)').join(' or ');

export class Model {
  readonly keys = new Map<string, KeyModel>();
  readonly aliases = new Map<string, AliasModel>();
  /** acknowledged ciphertexts not yet decrypted by a check */
  ciphertexts: Ciphertext[] = [];
  /** ciphertexts a check decrypted (later checks decrypt a sample again) */
  readonly decrypted: Ciphertext[] = [];
  readonly counts = { acknowledged: 0, refused: 0, inFlight: 0, createdInFlight: 0 };
  /** calls the vault refused: with the model right, none should be */
  readonly refusals: string[] = [];

  /** Applies one worker's lines, in order; the calls they leave open were in flight when it was killed. */
  applyWorker(worker: number, lines: readonly Line[]): void {
    const open = new Map<number, Call>();
    for (const line of lines) {
      if ('start' in line) {
        const { start, ...c } = line;
        open.set(start, c as Call);
      } else if ('ack' in line) {
        const c = open.get(line.ack);
        if (!c) throw new Error(`worker ${worker} acknowledged call ${line.ack}, which it never started`);
        open.delete(line.ack);
        this.counts.acknowledged++;
        this.#acknowledged(c, line, `${c.op} (worker ${worker}, call ${line.ack})`);
      } else if ('fail' in line) {
        const c = open.get(line.fail);
        open.delete(line.fail);
        this.counts.refused++;
        this.refusals.push(`worker ${worker} call ${line.fail} ${JSON.stringify(c)} was refused: ${line.name}: ${line.message}`);
      }
    }
    for (const [n, c] of open) {
      this.counts.inFlight++;
      this.#inFlight(c, `${c.op} (worker ${worker}, call ${n}, in flight at the kill)`);
    }
  }

  #acknowledged(c: Call, result: Extract<Line, { ack: number }>, by: string): void {
    switch (c.op) {
      case 'CreateKey':
        this.keys.set(result.keyId!, {
          keyId: result.keyId!,
          arn: result.keyArn!,
          spec: c.spec,
          states: new Set(['Enabled']),
          policies: new Set(['default']),
          tags: new Set([null]),
          createdBy: by,
          stateBy: by,
          policyBy: by,
          tagBy: by,
          uncertain: false,
        });
        return;
      case 'CreateAlias':
      case 'UpdateAlias':
        this.aliases.set(c.aliasName, { aliasName: c.aliasName, targets: new Set([c.keyId]), by, uncertain: false });
        return;
      case 'Encrypt':
        this.ciphertexts.push({ keyId: c.keyId, blob: result.ciphertext!, by });
        return;
      case 'PutKeyPolicy':
        Object.assign(this.#key(c.keyId), { policies: new Set([c.policyId]), policyBy: by });
        return;
      case 'TagResource':
        Object.assign(this.#key(c.keyId), { tags: new Set([c.value]), tagBy: by });
        return;
      default:
        Object.assign(this.#key(c.keyId), { states: new Set([NEXT_STATE[c.op]!]), stateBy: by });
    }
  }

  #inFlight(c: Call, by: string): void {
    const also = (k: KeyModel, field: 'states' | 'policies' | 'tags', byField: 'stateBy' | 'policyBy' | 'tagBy', value: any) => {
      k[field].add(value);
      k[byField] += ` or ${by}`;
      k.uncertain = true;
    };
    switch (c.op) {
      case 'CreateKey':
        this.counts.createdInFlight++;
        return;
      case 'Encrypt':
        return;
      case 'CreateAlias':
      case 'UpdateAlias': {
        const a = this.aliases.get(c.aliasName) ?? { aliasName: c.aliasName, targets: new Set([null]), by: '(no acknowledged call)', uncertain: true };
        a.targets.add(c.keyId);
        a.by += ` or ${by}`;
        a.uncertain = true;
        this.aliases.set(c.aliasName, a);
        return;
      }
      case 'PutKeyPolicy':
        return also(this.#key(c.keyId), 'policies', 'policyBy', c.policyId);
      case 'TagResource':
        return also(this.#key(c.keyId), 'tags', 'tagBy', c.value);
      default:
        return also(this.#key(c.keyId), 'states', 'stateBy', NEXT_STATE[c.op]!);
    }
  }

  #key(keyId: string): KeyModel {
    const k = this.keys.get(keyId);
    if (!k) throw new Error(`a worker changed key ${keyId}, which it was never given`);
    return k;
  }

  /**
   * Compares the vault with the model: every acknowledged key, alias, state,
   * policy and tag must be there, as the last acknowledged call (or one in
   * flight after it) left it. Returns what was lost; then takes what was
   * observed as certain (keys created in flight join the model), so later
   * workers may use everything again.
   */
  settle(seen: Observed): string[] {
    const lost: string[] = [];
    for (const [keyId, k] of this.keys) {
      const o = seen.keys.get(keyId);
      if (!o) {
        lost.push(`key ${k.arn} is gone; it was created by ${k.createdBy}`);
        this.keys.delete(keyId);
        continue;
      }
      if (!k.states.has(o.state as KeyState)) lost.push(`key ${k.arn} is ${o.state}; acknowledged calls left it ${show(k.states)} (${k.stateBy})`);
      if (o.policyId !== undefined && !k.policies.has(o.policyId)) lost.push(`key ${k.arn} has policy ${o.policyId}; acknowledged calls left ${show(k.policies)} (${k.policyBy})`);
      if (o.tag !== undefined && !k.tags.has(o.tag)) lost.push(`key ${k.arn} has tag ${o.tag ?? '(none)'}; acknowledged calls left ${show(k.tags)} (${k.tagBy})`);
      k.states = new Set([o.state as KeyState]);
      if (o.policyId !== undefined) k.policies = new Set([o.policyId]);
      if (o.tag !== undefined) k.tags = new Set([o.tag]);
      k.uncertain = false;
    }
    for (const [keyId, o] of seen.keys) {
      if (this.keys.has(keyId)) continue;
      // created by a CreateKey in flight at a kill: never touched since, so default policy, no tag
      const by = 'CreateKey (in flight at a kill, found by a check)';
      this.keys.set(keyId, {
        keyId,
        arn: o.arn,
        spec: o.spec as Spec,
        states: new Set([o.state as KeyState]),
        policies: new Set(['default']),
        tags: new Set([null]),
        createdBy: by,
        stateBy: by,
        policyBy: by,
        tagBy: by,
        uncertain: false,
      });
    }
    for (const [name, a] of this.aliases) {
      const target = seen.aliases.get(name) ?? null;
      if (!a.targets.has(target)) lost.push(`${name} points at ${target ?? '(no alias)'}; acknowledged calls left it at ${show(a.targets)} (${a.by})`);
      if (target === null) this.aliases.delete(name);
      else Object.assign(a, { targets: new Set([target]), uncertain: false });
    }
    for (const [name, target] of seen.aliases) {
      if (!this.aliases.has(name)) lost.push(`${name} (pointing at ${target}) exists, but no call created it`);
    }
    return lost;
  }

  /** A worker's plan: a random sample of the keys and aliases whose state is certain. */
  planFor(worker: number, seed: number, lanes: number, vaultDir: string): Plan {
    const rand = prng(seed ^ 0x5eed);
    const sample = <T>(xs: T[], n: number): T[] => {
      for (let i = xs.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [xs[i], xs[j]] = [xs[j]!, xs[i]!];
      }
      return xs.slice(0, n);
    };
    const keys = sample(
      [...this.keys.values()].filter((k) => !k.uncertain),
      48,
    ).map((k) => ({ keyId: k.keyId, spec: k.spec, state: [...k.states][0]! }));
    const aliases = sample(
      [...this.aliases.values()].filter((a) => !a.uncertain && this.keys.has([...a.targets][0]!)),
      24,
    ).map((a) => {
      const keyId = [...a.targets][0]!;
      return { aliasName: a.aliasName, keyId, spec: this.keys.get(keyId)!.spec };
    });
    return { vaultDir, worker, seed, lanes, keys, aliases };
  }
}
