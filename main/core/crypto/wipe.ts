// Overwriting secrets no one will read again: the one walk over a response's
// byte arrays (plaintexts, data keys, signatures) that the CLI runs after
// printing and a dry run runs on the output it never returns.

/** Overwrites every byte array in `value` (Uint8Array, within arrays and objects) with zeros. */
export function wipeBytes(value: unknown): void {
  if (value instanceof Uint8Array) value.fill(0);
  else if (Array.isArray(value)) value.forEach(wipeBytes);
  else if (value && typeof value === 'object' && !(value instanceof Date)) Object.values(value).forEach(wipeBytes);
}
