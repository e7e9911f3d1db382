// Canonical encoding of an EncryptionContext so it can be the AEAD's
// associated data: the same map always encodes to the same bytes whatever
// the order its pairs were given in. Pairs are sorted by key (UTF-8 byte
// order) and each string is length-prefixed, so no two maps share an encoding.
import { validation } from '../errors.js';

export type EncryptionContext = Readonly<Record<string, string>>;

/** AWS limits an encryption context to 8 KiB of keys and values together. */
const MAX_CONTEXT_BYTES = 8192;

export function canonicalContext(ctx: EncryptionContext | undefined): Buffer {
  const entries = Object.entries(ctx ?? {}).map(([k, v]) => [Buffer.from(k, 'utf8'), Buffer.from(v, 'utf8')] as const);
  entries.sort((a, b) => Buffer.compare(a[0], b[0]));
  let total = 0;
  for (const [k, v] of entries) total += k.length + v.length;
  if (total > MAX_CONTEXT_BYTES) {
    throw validation(`EncryptionContext is ${total} bytes; the limit is ${MAX_CONTEXT_BYTES} bytes of keys and values.`);
  }
  const out = Buffer.alloc(4 + entries.reduce((n, [k, v]) => n + 8 + k.length + v.length, 0));
  let o = out.writeUInt32BE(entries.length, 0);
  for (const [k, v] of entries) {
    o = out.writeUInt32BE(k.length, o);
    o += k.copy(out, o);
    o = out.writeUInt32BE(v.length, o);
    o += v.copy(out, o);
  }
  return out;
}
