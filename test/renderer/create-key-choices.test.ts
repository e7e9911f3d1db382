// The create-key wizard's choices (renderer/src/screens/create-key/choices.ts)
// against the core's own check (core/kms/key-specs.ts checkSpecUsage): the
// wizard offers a (spec, usage) pair exactly when CreateKey accepts it, and
// whatever was chosen before, fitting a type's choices gives a valid pair.
import { describe, expect, it } from 'vitest';
import { KEY_SPECS, KEY_USAGES } from '../../main/api/enums.js';
import { keyTypeOf } from '../../main/api/key-specs.js';
import { checkSpecUsage } from '../../main/core/kms/key-specs.js';
import { aliasNameOf, fitChoice, KEY_TYPES, specsFor, usagesFor } from '../../renderer/src/screens/create-key/choices.js';

const accepted = (spec: (typeof KEY_SPECS)[number], usage: (typeof KEY_USAGES)[number]) => {
  try {
    return checkSpecUsage(spec, usage) === usage;
  } catch {
    return false;
  }
};

describe('the create-key wizard offers exactly what CreateKey accepts', () => {
  it('every pair, offered or not', () => {
    const offered = new Set(KEY_TYPES.flatMap((t) => usagesFor(t.value).flatMap((u) => specsFor(t.value, u).map((s) => `${s} ${u}`))));
    for (const spec of KEY_SPECS) for (const usage of KEY_USAGES) expect(offered.has(`${spec} ${usage}`), `${spec} ${usage}`).toBe(accepted(spec, usage));
    // and the types are the console's: RSA is asymmetric with three usages' worth of choices, HMAC only MACs
    expect(usagesFor('symmetric')).toEqual(['ENCRYPT_DECRYPT']);
    expect(usagesFor('asymmetric')).toEqual(['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'KEY_AGREEMENT']);
    expect(usagesFor('hmac')).toEqual(['GENERATE_VERIFY_MAC']);
    expect(specsFor('asymmetric', 'ENCRYPT_DECRYPT')).toEqual(['RSA_2048', 'RSA_3072', 'RSA_4096']);
  });

  it('fitting a type keeps what still fits and otherwise takes the first valid pair', () => {
    for (const t of KEY_TYPES) {
      for (const spec of KEY_SPECS) {
        for (const usage of KEY_USAGES) {
          const fitted = fitChoice(t.value, usage, spec);
          expect(accepted(fitted.KeySpec, fitted.KeyUsage)).toBe(true);
          expect(keyTypeOf(fitted.KeySpec)).toBe(t.value);
          if (keyTypeOf(spec) === t.value && accepted(spec, usage)) expect(fitted).toEqual({ KeySpec: spec, KeyUsage: usage });
        }
      }
    }
    expect(fitChoice('asymmetric', 'SIGN_VERIFY', 'SYMMETRIC_DEFAULT')).toEqual({ KeyUsage: 'SIGN_VERIFY', KeySpec: 'RSA_2048' });
    expect(fitChoice('asymmetric', 'KEY_AGREEMENT', 'RSA_4096')).toEqual({ KeyUsage: 'KEY_AGREEMENT', KeySpec: 'ECC_NIST_P256' });
  });

  it('an alias typed without alias/ gets it; an empty one is none', () => {
    expect(aliasNameOf(' payroll ')).toBe('alias/payroll');
    expect(aliasNameOf('alias/payroll')).toBe('alias/payroll');
    expect(aliasNameOf('  ')).toBe('');
  });
});
