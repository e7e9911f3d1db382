// Planted secrets and the search for them: the fuzz tests give the vault
// known passphrases, plaintexts and key material, collect the data keys,
// private keys and shared secrets it hands back, and then look for every one
// of them in error messages, stderr, logs and the audit trail, in the forms
// text takes on the way out (raw text, hex, base64, base64url).

/** Shorter values are not searched for: a few bytes occur by chance in any base64 text. */
const MIN_BYTES = 12;
/** Search for the first 48 bytes (a multiple of 3, so their base64 is a prefix of the whole value's). */
const PREFIX_BYTES = 48;

const printable = (s: string) => /^[\x20-\x7e]+$/.test(s);

function formsOfBytes(b: Uint8Array): string[] {
  const aligned = Math.min(PREFIX_BYTES, Math.floor(b.length / 3) * 3);
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  const forms = [buf.subarray(0, PREFIX_BYTES).toString('hex'), buf.subarray(0, aligned).toString('base64'), buf.subarray(0, aligned).toString('base64url')];
  const text = buf.subarray(0, PREFIX_BYTES).toString('latin1');
  if (printable(text)) forms.push(text);
  return forms;
}

function formsOfText(s: string): string[] {
  return [s, ...formsOfBytes(Buffer.from(s, 'utf8'))];
}

/** Fields that carry secrets by design, in requests and responses (the names the audit redaction treats as secrets). */
const SECRET_FIELD = /plaintext|secret|privatekey/i;

/** Bytes worth searching for: not a run of one byte (zeros are everywhere), enough distinct values to be distinctive. */
const distinctive = (b: Uint8Array): boolean => new Set(b.subarray(0, PREFIX_BYTES)).size >= 6;

export class PlantedSecrets {
  readonly #entries: { label: string; forms: string[] }[] = [];
  readonly #seen = new Set<string>();

  /** Registers a secret; too-short values are ignored (see MIN_BYTES). */
  add(label: string, value: string | Uint8Array): void {
    const length = typeof value === 'string' ? Buffer.byteLength(value) : value.length;
    if (length < MIN_BYTES) return;
    const forms = typeof value === 'string' ? formsOfText(value) : formsOfBytes(value);
    const key = forms[0]!;
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    this.#entries.push({ label, forms });
  }

  /**
   * Registers the bytes a request or response carries under a secret's
   * name: plaintexts given to Encrypt, data keys, private keys, shared
   * secrets, decrypted plaintext.
   */
  addFrom(label: string, value: unknown, depth = 0): void {
    if (depth > 4 || value === null || typeof value !== 'object' || value instanceof Uint8Array) return;
    for (const [k, v] of Object.entries(value)) {
      if (v instanceof Uint8Array) {
        if (SECRET_FIELD.test(k) && distinctive(v)) this.add(`${label}.${k}`, v);
      } else if (typeof v === 'object') this.addFrom(label, v, depth + 1);
    }
  }

  /** The same for a response as the CLI prints it (JSON, blobs in base64). */
  addFromJson(label: string, text: string): void {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return;
    }
    const decode = (v: unknown, depth: number): unknown => {
      if (depth > 5 || v === null || typeof v !== 'object') return v;
      return Object.fromEntries(
        Object.entries(v).map(([k, x]) => [k, SECRET_FIELD.test(k) && typeof x === 'string' ? new Uint8Array(Buffer.from(x, 'base64')) : decode(x, depth + 1)]),
      );
    };
    this.addFrom(label, decode(value, 0));
  }

  get size(): number {
    return this.#entries.length;
  }

  /** The first planted secret found in `text`, if any: which one and in what form. */
  find(text: string): { label: string; form: string } | undefined {
    if (!text) return undefined;
    for (const { label, forms } of this.#entries) {
      for (const form of forms) if (text.includes(form)) return { label, form };
    }
    return undefined;
  }
}
