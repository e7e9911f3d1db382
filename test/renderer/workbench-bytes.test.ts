// The workbench's byte helpers (renderer/src/screens/workbench/bytes.ts):
// base64 as Node reads and writes it, UTF-8 text or not, sizes, and
// encryption contexts from the rows a person filled in.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { contextOf, formatBytes, fromBase64, textOf, toBase64, utf8 } from '../../renderer/src/screens/workbench/bytes.js';

describe('workbench bytes', () => {
  it('base64 round-trips any bytes, as Node encodes them, including long ones', () => {
    for (const n of [0, 1, 2, 3, 100, 70_000]) {
      const bytes = new Uint8Array(randomBytes(n));
      expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
      if (n > 0) expect(fromBase64(toBase64(bytes) + '\n')).toEqual(bytes);
    }
    expect(fromBase64('')).toMatch(/Paste a base64 value/);
    expect(fromBase64('not base64!')).toMatch(/not base64/);
    expect(fromBase64('abcde')).toMatch(/not base64/);
  });

  it('text is UTF-8; other bytes are not text', () => {
    expect(textOf(utf8('héllo ✓'))).toBe('héllo ✓');
    expect(textOf(new Uint8Array([0xff, 0xfe, 0x00]))).toBeUndefined();
  });

  it('sizes read like a person says them', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(32 * 1024 * 1024)).toBe('32.0 MiB');
  });

  it('an encryption context skips empty rows and names a missing or repeated key', () => {
    expect(contextOf([{ key: 'purpose', value: 'test' }, { key: '', value: '' }, { key: 'team', value: '' }])).toEqual({ purpose: 'test', team: '' });
    expect(contextOf([{ key: '', value: 'x' }])).toBe('Every encryption context value needs a key.');
    expect(contextOf([{ key: 'a', value: '1' }, { key: 'a', value: '2' }])).toBe('The encryption context names a twice.');
  });
});
