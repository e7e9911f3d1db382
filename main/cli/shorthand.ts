// The AWS CLI's shorthand syntax (AWS CLI User Guide, "Using shorthand
// syntax"; grammar in awscli/shorthand.py), the subset KMS parameters use:
//
//   --encryption-context purpose=backup,team=ops         a map
//   --tags TagKey=env,TagValue=prod                       one structure
//   --tag-keys env,team                                   a list of scalars
//   Key="a,b"  Key='a,b'  Key=a\,b                        quoting, escapes
//   Key=[a,b]  Key={Inner=x}  Key=a,b                     nested values
//
// Nested values nest no deeper than JSON input may (core/service/input-bounds.ts):
// this parser recurses, and so does the code that reads its result.
//
// Keys run up to `=`; unquoted values run up to the next `,` (or the `]`/`}`
// closing an explicit list or hash) and are trimmed. `Key=a,b` makes
// Key a list [a, b], as in the AWS CLI, because `b` is not followed by `=`.

import { validation } from '../core/errors.js';
import { MAX_INPUT_DEPTH, tooDeepMessage } from '../core/service/input-bounds.js';

export type ShorthandValue = string | ShorthandValue[] | { [key: string]: ShorthandValue };

export class ShorthandError extends Error {
  override readonly name = 'ShorthandError';
}

class Parser {
  #i = 0;
  #depth = 0;
  constructor(
    readonly text: string,
    /** what the text is, for the refusal of one nested too deep */
    readonly what: string,
  ) {}

  get done(): boolean {
    return this.#i >= this.text.length;
  }
  #peek(): string | undefined {
    return this.text[this.#i];
  }
  #ws(): void {
    while (this.#i < this.text.length && /\s/.test(this.text[this.#i] ?? '')) this.#i++;
  }
  #fail(expected: string): never {
    const at = this.#i >= this.text.length ? 'at the end' : `at position ${this.#i} ('${this.text.slice(this.#i, this.#i + 10)}')`;
    throw new ShorthandError(`expected ${expected} ${at} of: ${this.text}`);
  }
  #expect(ch: string): void {
    this.#ws();
    if (this.#peek() !== ch) this.#fail(`'${ch}'`);
    this.#i++;
  }

  /** key=value[,key=value…] up to the end of the text or `end`. */
  keyValues(end?: string): { [key: string]: ShorthandValue } {
    const out: { [key: string]: ShorthandValue } = {};
    for (;;) {
      this.#ws();
      const start = this.#i;
      while (this.#i < this.text.length && !'=,{}[]'.includes(this.#peek() ?? '')) this.#i++;
      const key = this.text.slice(start, this.#i).trim();
      if (key === '' || this.#peek() !== '=') this.#fail(key === '' ? 'a key' : `'=' after key '${key}'`);
      this.#i++;
      // defineProperty, not assignment: `__proto__=x` must stay a key, not replace the prototype.
      Object.defineProperty(out, key, { value: this.#value(end, true), enumerable: true, writable: true, configurable: true });
      this.#ws();
      if (this.done || this.#peek() === end) return out;
      this.#expect(',');
    }
  }

  /** value[,value…]: a list of scalars (or explicit lists / hashes). */
  list(end?: string): ShorthandValue[] {
    const out: ShorthandValue[] = [];
    this.#ws();
    if (this.done || this.#peek() === end) return out;
    for (;;) {
      out.push(this.#value(end ?? ',', false));
      this.#ws();
      if (this.done || this.#peek() === end) return out;
      this.#expect(',');
    }
  }

  #value(end: string | undefined, csv: boolean): ShorthandValue {
    this.#ws();
    const c = this.#peek();
    if (c === '[' || c === '{') {
      // the hash or list the whole text makes is the first level
      if (++this.#depth >= MAX_INPUT_DEPTH) throw validation(tooDeepMessage(this.what));
      this.#i++;
      const inner = c === '[' ? this.list(']') : this.keyValues('}');
      this.#expect(c === '[' ? ']' : '}');
      this.#depth--;
      return inner;
    }
    const first = this.#scalar(end);
    if (!csv || !this.#continuesList(end)) return first;
    const items: ShorthandValue[] = [first];
    while (this.#continuesList(end)) {
      this.#i++; // the comma
      items.push(this.#scalar(end));
    }
    return items;
  }

  /** At a `,` followed by another bare value (not `key=`)? */
  #continuesList(end: string | undefined): boolean {
    let j = this.#i;
    while (j < this.text.length && /\s/.test(this.text[j] ?? '')) j++;
    if (this.text[j] !== ',') return false;
    j++;
    while (j < this.text.length && /\s/.test(this.text[j] ?? '')) j++;
    const c = this.text[j];
    if (c === '"' || c === "'") return true;
    for (; j < this.text.length; j++) {
      const ch = this.text[j];
      if (ch === '\\') j++;
      else if (ch === '=') return false;
      else if (ch === ',' || ch === end) return true;
    }
    return true;
  }

  #scalar(end: string | undefined): string {
    this.#ws();
    const q = this.#peek();
    if (q === '"' || q === "'") {
      this.#i++;
      let s = '';
      for (;;) {
        const ch = this.#peek();
        if (ch === undefined) this.#fail(`a closing ${q}`);
        this.#i++;
        if (ch === q) return s;
        if (ch === '\\' && (this.#peek() === q || this.#peek() === '\\')) {
          s += this.#peek();
          this.#i++;
        } else s += ch;
      }
    }
    let s = '';
    while (!this.done) {
      const ch = this.#peek() ?? '';
      if (ch === ',' || (end !== undefined && ch === end)) break;
      this.#i++;
      if (ch === '\\' && !this.done) {
        s += this.#peek();
        this.#i++;
      } else s += ch;
    }
    return s.trim();
  }
}

/** `k=v,k2=v2` → { k: 'v', k2: 'v2' } */
export function parseShorthandHash(text: string, what = 'The shorthand value'): { [key: string]: ShorthandValue } {
  const p = new Parser(text, what);
  const out = p.keyValues();
  if (!p.done) throw new ShorthandError(`unexpected text after the last value in: ${text}`);
  return out;
}

/** `a,b,c` → ['a', 'b', 'c'] (also `[a,b,c]`) */
export function parseShorthandList(text: string, what = 'The shorthand value'): ShorthandValue[] {
  const trimmed = text.trim();
  const p = new Parser(trimmed.startsWith('[') && trimmed.endsWith(']') ? trimmed.slice(1, -1) : trimmed, what);
  const out = p.list();
  if (!p.done) throw new ShorthandError(`unexpected text after the last value in: ${text}`);
  return out;
}
