// Wycheproof AES-KWP (RFC 5649) vectors against the import unwrapper
// (main/core/kms/import/wrapping.ts, @noble/ciphers), cross-checked against
// node:crypto's OpenSSL id-aes*-wrap-pad — the cipher `openssl enc
// -id-aes256-wrap-pad` uses when a partner wraps material for import.
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { aesKwpUnwrap } from '../../main/core/kms/import/wrapping.js';
import { expected, hex, label, loadWycheproof } from './wycheproof.js';

const AIV = Buffer.from('A65959A6', 'hex');

function opensslUnwrap(kek: Buffer, ct: Buffer): Buffer | undefined {
  try {
    const d = createDecipheriv(`id-aes${kek.length * 8}-wrap-pad`, kek, AIV);
    return Buffer.concat([d.update(ct), d.final()]);
  } catch {
    return undefined;
  }
}

describe('Wycheproof AES-KWP', () => {
  it('aes_kwp_test.json', () => {
    const file = loadWycheproof('aes_kwp_test.json');
    let n256 = 0;
    for (const g of file.testGroups) {
      for (const tc of g.tests) {
        const kek = hex(tc['key']);
        const ct = hex(tc['ct']);
        const ours = aesKwpUnwrap(kek, ct);
        const want = expected(tc);
        if (want === true) expect(ours?.toString('hex'), label('aes_kwp', tc)).toBe(tc['msg']);
        if (want === false) expect(ours, label('aes_kwp', tc)).toBeUndefined();
        // node:crypto (OpenSSL) agrees, and wraps valid messages to the same ciphertext
        expect(opensslUnwrap(kek, ct)?.toString('hex'), `${label('aes_kwp', tc)}: OpenSSL agrees`).toBe(ours?.toString('hex'));
        if (want === true) {
          const c = createCipheriv(`id-aes${kek.length * 8}-wrap-pad`, kek, AIV);
          expect(Buffer.concat([c.update(hex(tc['msg'])), c.final()]).toString('hex')).toBe(tc['ct']);
        }
        if (kek.length === 32) n256++;
      }
    }
    expect(n256).toBeGreaterThan(0);
  });
});
