// The little DER (ITU-T X.690) the vault needs to read and write key
// containers itself: SubjectPublicKeyInfo (RFC 5280 §4.1), PKCS#8
// PrivateKeyInfo (RFC 5208/5958), ECPrivateKey (RFC 5915), for the curves
// and ML-DSA that node:crypto (or Electron's BoringSSL) cannot parse.
// Definite lengths only; every read checks bounds and refuses trailing data.

export const TAG = { INTEGER: 0x02, BIT_STRING: 0x03, OCTET_STRING: 0x04, NULL: 0x05, OID: 0x06, SEQUENCE: 0x30 } as const;

export class DerError extends Error {
  override readonly name = 'DerError';
}

interface Tlv {
  tag: number;
  /** the contents octets */
  value: Uint8Array;
  /** offset just past this element */
  end: number;
}

/** Reads one element at `offset`. */
export function readTlv(buf: Uint8Array, offset = 0): Tlv {
  if (offset + 2 > buf.length) throw new DerError('DER: truncated element');
  const tag = buf[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('DER: multi-byte tags are not supported');
  let len = buf[offset + 1]!;
  let p = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new DerError('DER: unsupported length encoding');
    if (p + n > buf.length) throw new DerError('DER: truncated length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p + i]!;
    if (len < 0x80 || buf[p] === 0) throw new DerError('DER: non-minimal length');
    p += n;
  }
  if (p + len > buf.length) throw new DerError('DER: element longer than its container');
  return { tag, value: buf.subarray(p, p + len), end: p + len };
}

/** Reads a whole buffer as exactly one element with the expected tag. */
export function readOnly(buf: Uint8Array, tag: number): Uint8Array {
  const t = readTlv(buf);
  if (t.tag !== tag) throw new DerError(`DER: expected tag 0x${tag.toString(16)}, got 0x${t.tag.toString(16)}`);
  if (t.end !== buf.length) throw new DerError('DER: trailing data');
  return t.value;
}

/** The elements of a constructed value, in order. */
export function children(value: Uint8Array): Tlv[] {
  const out: Tlv[] = [];
  let p = 0;
  while (p < value.length) {
    const t = readTlv(value, p);
    out.push(t);
    p = t.end;
  }
  return out;
}

export function expectTag(t: Tlv | undefined, tag: number, what: string): Uint8Array {
  if (!t || t.tag !== tag) throw new DerError(`DER: ${what} missing or of the wrong type`);
  return t.value;
}

/** A BIT STRING's bytes; only whole-byte strings (no unused bits) are accepted. */
export function bitStringBytes(value: Uint8Array): Uint8Array {
  if (value.length < 1 || value[0] !== 0) throw new DerError('DER: BIT STRING with unused bits');
  return value.subarray(1);
}

export function decodeOid(value: Uint8Array): string {
  if (value.length === 0) throw new DerError('DER: empty OID');
  const parts: number[] = [];
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    n = n * 128 + (value[i]! & 0x7f);
    if (!(value[i]! & 0x80)) {
      if (parts.length === 0) parts.push(n < 80 ? Math.floor(n / 40) : 2, n < 80 ? n % 40 : n - 80);
      else parts.push(n);
      n = 0;
    } else if (i === value.length - 1) throw new DerError('DER: truncated OID');
  }
  return parts.join('.');
}

// ---- encoding ----

function lengthBytes(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  while (n > 0) {
    out.unshift(n & 0xff);
    n = Math.floor(n / 256);
  }
  return [0x80 | out.length, ...out];
}

function tlv(tag: number, ...contents: Uint8Array[]): Buffer {
  const body = Buffer.concat(contents);
  return Buffer.concat([Buffer.from([tag, ...lengthBytes(body.length)]), body]);
}

export const seq = (...items: Uint8Array[]) => tlv(TAG.SEQUENCE, ...items);
export const octets = (b: Uint8Array) => tlv(TAG.OCTET_STRING, b);
export const bitString = (b: Uint8Array) => tlv(TAG.BIT_STRING, Buffer.from([0]), b);
/** [n] EXPLICIT (constructed) or IMPLICIT primitive context-specific tag */
export const contextTag = (n: number, constructed: boolean, b: Uint8Array) => tlv(0x80 | (constructed ? 0x20 : 0) | n, b);

/** A non-negative INTEGER from small numbers. */
export const smallInt = (n: number) => tlv(TAG.INTEGER, Buffer.from([n]));

export function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const first = parts[0]! * 40 + parts[1]!;
  const bytes: number[] = [];
  for (const p of [first, ...parts.slice(2)]) {
    const enc = [p & 0x7f];
    let v = Math.floor(p / 128);
    while (v > 0) {
      enc.unshift((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    bytes.push(...enc);
  }
  return tlv(TAG.OID, Buffer.from(bytes));
}
