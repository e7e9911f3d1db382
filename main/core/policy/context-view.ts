// The request as conditions see it (IAM "The request context").
import { EC_PREFIX } from './condition-keys.js';

export type ContextValue = string | readonly string[] | undefined;
/** The request's condition keys, keyed by lower-cased key name (the context-key part of kms:EncryptionContext:<k> as in the request). */
export type RequestContext = Readonly<Record<string, ContextValue>>;

/** How conditions read the request; `lowerKey` is always lower-case. */
export interface ConditionContext {
  get(lowerKey: string): ContextValue;
}

/**
 * Case-insensitive view of a request context. Keys are expected lower-case;
 * a caller that passes mixed case is still matched (a Deny must not be
 * dodged by spelling). For kms:EncryptionContext:<k> the <k> part is
 * compared case-insensitively as the KMS guide specifies; two request keys
 * differing only by case both answer, as a multi-valued result.
 */
export class ContextView implements ConditionContext {
  readonly #raw: RequestContext;
  readonly #fallback: ((lowerKey: string) => ContextValue) | undefined;
  #folded: Map<string, ContextValue> | undefined;
  #ec: Map<string, string[]> | undefined;

  constructor(raw: RequestContext, fallback?: (lowerKey: string) => ContextValue) {
    this.#raw = raw;
    this.#fallback = fallback;
  }

  get(lowerKey: string): ContextValue {
    if (lowerKey.startsWith(EC_PREFIX)) {
      const values = this.#encryptionContext().get(lowerKey.slice(EC_PREFIX.length));
      return values === undefined ? undefined : values.length === 1 ? values[0] : values;
    }
    let v = Object.hasOwn(this.#raw, lowerKey) ? this.#raw[lowerKey] : undefined;
    if (v === undefined) v = this.#foldedKeys().get(lowerKey);
    if (v === undefined && this.#fallback) v = this.#fallback(lowerKey);
    return v;
  }

  #foldedKeys(): Map<string, ContextValue> {
    if (!this.#folded) {
      this.#folded = new Map();
      for (const [k, v] of Object.entries(this.#raw)) if (v !== undefined) this.#folded.set(k.toLowerCase(), v);
    }
    return this.#folded;
  }

  #encryptionContext(): Map<string, string[]> {
    if (!this.#ec) {
      this.#ec = new Map();
      for (const [k, v] of Object.entries(this.#raw)) {
        if (k.length <= EC_PREFIX.length || k.slice(0, EC_PREFIX.length).toLowerCase() !== EC_PREFIX || v === undefined) continue;
        const part = k.slice(EC_PREFIX.length).toLowerCase();
        const list = this.#ec.get(part) ?? [];
        if (typeof v === 'string') list.push(v);
        else list.push(...v);
        this.#ec.set(part, list);
      }
    }
    return this.#ec;
  }
}
