// The app:// scheme's privileges: only what the renderer needs.
import { describe, expect, it } from 'vitest';
import { APP_ORIGIN, APP_SCHEME, APP_URL } from '../../main/app/origin.js';
import { APP_SCHEME_REGISTRATION } from '../../main/app/scheme.js';

describe('the app:// scheme', () => {
  it('is standard and secure with fetch, and grants nothing else (no bypassCSP, no CORS, no service workers)', () => {
    expect(APP_SCHEME_REGISTRATION).toEqual({
      scheme: 'app',
      privileges: { standard: true, secure: true, supportFetchAPI: true },
    });
  });

  it('names one origin and the page inside it', () => {
    expect(APP_ORIGIN).toBe(`${APP_SCHEME}://strongroom`);
    expect(APP_URL).toBe(`${APP_ORIGIN}/index.html`);
  });
});
