// The renderer's CSP and the headers every app:// response carries.
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_META, SECURITY_HEADERS } from '../../main/app/content-policy.js';

const directives = (policy: string): Map<string, string> =>
  new Map(policy.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values.join(' ')]));

describe('the content security policy', () => {
  it('is the strict policy: self only, no inline script or style, no eval, nothing remote', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    for (const policy of [CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_META]) {
      expect(policy).not.toMatch(/unsafe-|https?:|wss?:|\*|blob:/);
    }
  });

  it('the <meta> form is the same policy without frame-ancestors, which a <meta> policy cannot carry', () => {
    const header = directives(CONTENT_SECURITY_POLICY);
    const meta = directives(CONTENT_SECURITY_POLICY_META);
    header.delete('frame-ancestors');
    expect(meta).toEqual(header);
  });

  it('every response carries the policy, nosniff and the cross-origin isolation headers', () => {
    expect(SECURITY_HEADERS).toMatchObject({
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cross-Origin-Resource-Policy': 'same-origin',
    });
  });
});
