// The app:// protocol handler's logic: serves only regular files inside the
// built renderer folder, each with its type and the security headers.
// Electron security checklist #18 (custom protocol instead of file://) and
// #7 (CSP), https://www.electronjs.org/docs/latest/tutorial/security.
//
// Every refusal is the same bare 404, whatever the reason (traversal, a
// symlink out, a directory, a missing file, another host or method, an I/O
// error): the page learns nothing about the disk from it.
//
// Chromium already canonicalizes app:// URLs (dot segments, backslashes)
// before the handler sees them, and so does the WHATWG URL parser; the checks
// below do not rely on either.
import { promises as fs } from 'node:fs';
import { extname, join, sep } from 'node:path';
import { SECURITY_HEADERS } from './content-policy.js';
import { APP_HOST, APP_SCHEME } from './origin.js';

/**
 * The types the renderer's build emits. Any other extension is refused: a
 * file of unknown type is not something the app put there on purpose.
 */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

const INDEX = 'index.html';

const notFound = (): Response =>
  new Response('Not found', { status: 404, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });

/**
 * The path segments a URL path names, decoded once, or undefined when it is
 * not a plain relative file path: encoded separators (%2f, %5c) or NUL,
 * anything still percent-encoded after one decoding (double encoding), a
 * backslash or drive colon (separators on Windows), empty segments (`//x`
 * would be absolute), and `.`/`..`/dot-files.
 */
export function requestedSegments(encodedPath: string): string[] | undefined {
  // `/` (or no path at all, as WHATWG URL parses app://strongroom) is the app's page.
  if (encodedPath === '' || encodedPath === '/') return [INDEX];
  if (!encodedPath.startsWith('/')) return undefined;
  if (/%(2f|5c|00)/i.test(encodedPath)) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(encodedPath);
  } catch {
    return undefined; // malformed percent-encoding
  }
  if (/[%\\:\0]/.test(decoded)) return undefined;
  const segments = decoded.slice(1).split('/');
  if (segments.some((s) => s === '' || s.startsWith('.'))) return undefined;
  return segments;
}

/**
 * The real path of the file a URL names, or undefined unless it is a regular
 * file whose real path (symlinks resolved) lies inside the real root. A
 * symlink that stays inside the folder is followed; one that leaves it is
 * refused. The root is resolved too, so a root reached through a symlink
 * (macOS /tmp → /private/tmp) works. (A link swapped between this check and
 * the read would need write access to the app's own folder, inside the signed
 * asar archive once packaged: whoever has that owns the app already.)
 */
async function fileInside(root: string, segments: string[]): Promise<string | undefined> {
  const realRoot = await fs.realpath(root);
  const real = await fs.realpath(join(realRoot, ...segments));
  const inside = realRoot.endsWith(sep) ? realRoot : realRoot + sep;
  if (!real.startsWith(inside)) return undefined;
  return (await fs.stat(real)).isFile() ? real : undefined;
}

/**
 * Answers one app:// request from `root`, the built renderer folder. GET and
 * HEAD only, host APP_HOST only.
 *
 * (Reads use the `fs.promises` object, not named imports, so Electron's asar
 * support, which patches that object, applies inside a packaged app.)
 */
export async function serveAppRequest(root: string, request: Request): Promise<Response> {
  try {
    if (request.method !== 'GET' && request.method !== 'HEAD') return notFound();
    const url = new URL(request.url);
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST || url.username || url.password) return notFound();
    const segments = requestedSegments(url.pathname);
    if (!segments) return notFound();
    const file = await fileInside(root, segments);
    if (!file) return notFound();
    // The type of the file served (a symlink's target), not of the name asked for.
    const type = CONTENT_TYPES[extname(file).toLowerCase()];
    if (!type) return notFound();
    const body = await fs.readFile(file);
    const headers = { ...SECURITY_HEADERS, 'Content-Type': type, 'Content-Length': String(body.byteLength) };
    return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers });
  } catch {
    // ENOENT, ENOTDIR, ELOOP, EACCES, EIO…: the same 404 as every refusal.
    return notFound();
  }
}
