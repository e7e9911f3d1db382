// The renderer's Content-Security-Policy, in one place: the app:// handler
// sends it as a header on every response and the renderer's index.html
// carries it in a <meta> tag (built from CONTENT_SECURITY_POLICY_META).
// Electron security checklist #7, "Define a Content Security Policy"
// (https://www.electronjs.org/docs/latest/tutorial/security).
//
// Everything comes from the app's own origin: no 'unsafe-inline', no
// 'unsafe-eval', no remote origin. `data:` is allowed for images only (small
// icons a bundler inlines); it cannot run script. React's `style={{…}}` props
// set styles through the CSSOM, which style-src does not govern, so React needs
// no 'unsafe-inline'.

const DIRECTIVES: readonly (readonly [string, string])[] = [
  ['default-src', "'self'"],
  ['script-src', "'self'"],
  ['style-src', "'self'"],
  ['img-src', "'self' data:"],
  ['font-src', "'self'"],
  ['connect-src', "'self'"],
  ['object-src', "'none'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
  ['frame-ancestors', "'none'"],
];

const serialize = (directives: readonly (readonly [string, string])[]): string =>
  directives.map(([name, value]) => `${name} ${value}`).join('; ');

/** The policy the app:// handler sends as a response header. */
export const CONTENT_SECURITY_POLICY = serialize(DIRECTIVES);

/**
 * The same policy for index.html's <meta http-equiv="Content-Security-Policy">:
 * without frame-ancestors, which a <meta> policy may not carry (CSP Level 3
 * §3.3, "The <meta> element"; Chromium ignores it there with a console
 * warning). The header still
 * carries it.
 */
export const CONTENT_SECURITY_POLICY_META = serialize(DIRECTIVES.filter(([name]) => name !== 'frame-ancestors'));

/**
 * Headers on every app:// response, the 404s included.
 * - nosniff: a file is only ever run as the type we say it is.
 * - COOP/COEP same-origin/require-corp: the window shares its browsing-context
 *   group and process with nothing it did not load from app://strongroom.
 * - CORP same-origin: no other origin may embed the app's files.
 * - no-referrer: the app's URLs never leave in a Referer header.
 * - no-store: the renderer's files are not copied into the HTTP disk cache
 *   (they are local already; a new build is never shadowed by an old copy).
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};
