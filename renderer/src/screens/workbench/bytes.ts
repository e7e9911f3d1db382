// Bytes as the workbench shows and reads them: UTF-8 text and base64 (what
// the AWS CLI prints for blobs). Plain functions, tested in
// test/renderer/workbench-bytes.test.ts.

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** The text the bytes hold, or undefined when they are not UTF-8 (show them as base64 then). */
export function textOf(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** Base64 (whitespace ignored) to bytes; a sentence saying what is wrong otherwise. */
export function fromBase64(text: string): Uint8Array | string {
  const clean = text.replace(/\s+/g, '');
  if (clean === '') return 'Paste a base64 value.';
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1) return 'This is not base64: use A–Z, a–z, 0–9, + and /, with = padding.';
  try {
    return Uint8Array.from(atob(clean), (c) => c.charCodeAt(0));
  } catch {
    return 'This is not base64: use A–Z, a–z, 0–9, + and /, with = padding.';
  }
}

/** 1536 → "1.5 KiB". */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

/** An encryption context from the rows a person filled in: empty rows skipped; a repeated key is a sentence. */
export function contextOf(rows: readonly { key: string; value: string }[]): Record<string, string> | string {
  const out: Record<string, string> = {};
  for (const { key, value } of rows) {
    if (key === '' && value === '') continue;
    if (key === '') return 'Every encryption context value needs a key.';
    if (Object.hasOwn(out, key)) return `The encryption context names ${key} twice.`;
    out[key] = value;
  }
  return out;
}
