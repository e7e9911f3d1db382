// The app:// handler over real files in a temp folder, with real symlinks:
// every way out of the renderer folder is a bare 404; the app's own files come
// back with their type and the security headers.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestedSegments, serveAppRequest } from '../../main/app/app-files.js';
import { CONTENT_SECURITY_POLICY } from '../../main/app/content-policy.js';
import { APP_URL } from '../../main/app/origin.js';

let base: string; // holds `renderer` (the served root) and `outside` (must never be served)
let root: string;
const SECRET = 'the vault master key is not here, but nothing outside the folder may be served';

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'strongroom-app-files-'));
  root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  mkdirSync(join(base, 'outside'));
  writeFileSync(join(base, 'secret.txt'), SECRET);
  writeFileSync(join(base, 'outside', 'secret.txt'), SECRET);
  writeFileSync(join(base, 'outside', 'evil.js'), 'alert(1)');
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Strongroom</title>');
  const files: Record<string, string> = {
    'assets/index-3f2a.js': 'export const x = 1;',
    'assets/index-3f2a.mjs': 'export const y = 2;',
    'assets/index-3f2a.css': 'body{margin:0}',
    'assets/logo.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
    'assets/logo.png': '\x89PNG',
    'assets/inter.woff2': 'wOF2',
    'assets/data.json': '{}',
    'favicon.ico': '\0\0\x01\0',
    'assets/argon2.wasm': '\0asm',
    'assets/index-3f2a.js.map': '{"version":3}',
    'assets/notes.unknown': 'no type for this',
    '.env': 'SECRET=1',
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, name), text);
  // symlinks that leave the folder, by file and by directory, relative and absolute
  symlinkSync('../secret.txt', join(root, 'link-out.txt'));
  symlinkSync(join(base, 'outside'), join(root, 'dir-out'));
  symlinkSync('../../outside/evil.js', join(root, 'assets', 'evil.js'));
  // a symlink that stays inside the folder
  symlinkSync('index-3f2a.js', join(root, 'assets', 'alias.js'));
  // a symlink loop
  symlinkSync('loop-b.js', join(root, 'loop-a.js'));
  symlinkSync('loop-a.js', join(root, 'loop-b.js'));
  // the served folder itself reached through a symlink
  symlinkSync(root, join(base, 'renderer-link'));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

const get = (url: string, init?: RequestInit) => serveAppRequest(root, new Request(url, init));

async function expectNotFound(response: Response): Promise<void> {
  expect(response.status).toBe(404);
  const body = await response.text();
  expect(body).toBe('Not found'); // no path, no reason
  expect(response.headers.get('Content-Security-Policy')).toBe(CONTENT_SECURITY_POLICY);
  expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
}

describe('serveAppRequest: refused with a bare 404', () => {
  const traversals = [
    'app://strongroom/../secret.txt', // normalized by URL parsing to /secret.txt, absent from the folder
    'app://strongroom/assets/../../secret.txt',
    'app://strongroom/%2e%2e/secret.txt',
    'app://strongroom/%2E%2E/%2e%2e/secret.txt',
    'app://strongroom/..%2fsecret.txt',
    'app://strongroom/..%2Fsecret.txt',
    'app://strongroom/..%5csecret.txt',
    'app://strongroom/..%5Csecret.txt',
    'app://strongroom/..\\secret.txt',
    'app://strongroom/%252e%252e%252fsecret.txt', // double encoding
    'app://strongroom/%252e%252e/secret.txt',
    'app://strongroom/..%252fsecret.txt',
    'app://strongroom/%2fetc%2fpasswd', // absolute, encoded
    'app://strongroom//etc/passwd', // absolute, as an empty first segment
    'app://strongroom/C:%5cWindows%5cwin.ini',
    'app://strongroom/C:/Windows/win.ini',
    'app://strongroom/index.html%00.png', // NUL byte
    'app://strongroom/index.html%00',
    'app://strongroom/%E0%A4%A', // malformed encoding
    'app://strongroom/.env', // dot-file
    'app://strongroom/./index.html%2f',
  ];
  it.each(traversals)('%s', async (url) => expectNotFound(await get(url)));

  it('the absolute path of a real file outside the folder, encoded', async () => {
    await expectNotFound(await get('app://strongroom/' + encodeURIComponent(join(base, 'secret.txt'))));
    await expectNotFound(await get('app://strongroom/' + join(base, 'secret.txt').split('/').map(encodeURIComponent).join('/')));
  });

  it('symlinks that lead out of the folder, by file, by directory, relative or absolute, and symlink loops', async () => {
    for (const path of ['link-out.txt', 'dir-out/secret.txt', 'dir-out/evil.js', 'assets/evil.js', 'loop-a.js']) {
      await expectNotFound(await get(`app://strongroom/${path}`));
    }
  });

  it('unknown hosts, other schemes and user info', async () => {
    for (const url of ['app://evil/index.html', 'app://strongroom.evil/index.html', 'app://STRONGROOM/index.html', 'app://strongroom:8080/index.html', 'file:///index.html', 'https://strongroom/index.html']) {
      await expectNotFound(await get(url));
    }
    // undici refuses to build a Request with credentials; Chromium would pass one on
    const withUserInfo = { method: 'GET', url: 'app://user:pw@strongroom/index.html' } as Request;
    await expectNotFound(await serveAppRequest(root, withUserInfo));
  });

  it('methods other than GET and HEAD', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH']) {
      await expectNotFound(await get(APP_URL, { method, ...(method === 'POST' || method === 'PUT' || method === 'PATCH' ? { body: 'x' } : {}) }));
    }
  });

  it('directories, missing files and files of an unknown type', async () => {
    for (const path of ['assets', 'assets/', 'missing.js', 'assets/missing.css', 'assets/notes.unknown', 'index.html/x']) {
      await expectNotFound(await get(`app://strongroom/${path}`));
    }
  });

  it('a root that does not exist serves nothing', async () => {
    await expectNotFound(await serveAppRequest(join(base, 'no-such-folder'), new Request(APP_URL)));
  });
});

describe('serveAppRequest: the app’s own files', () => {
  const types: [string, string][] = [
    ['index.html', 'text/html; charset=utf-8'],
    ['assets/index-3f2a.js', 'text/javascript; charset=utf-8'],
    ['assets/index-3f2a.mjs', 'text/javascript; charset=utf-8'],
    ['assets/index-3f2a.css', 'text/css; charset=utf-8'],
    ['assets/logo.svg', 'image/svg+xml'],
    ['assets/logo.png', 'image/png'],
    ['assets/inter.woff2', 'font/woff2'],
    ['assets/data.json', 'application/json; charset=utf-8'],
    ['favicon.ico', 'image/x-icon'],
    ['assets/argon2.wasm', 'application/wasm'],
    ['assets/index-3f2a.js.map', 'application/json; charset=utf-8'],
  ];
  it.each(types)('%s is served as %s with the security headers', async (path, type) => {
    const response = await get(`app://strongroom/${path}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe(type);
    expect(response.headers.get('Content-Security-Policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(response.headers.get('Cross-Origin-Resource-Policy')).toBe('same-origin');
    expect((await response.arrayBuffer()).byteLength).toBe(Number(response.headers.get('Content-Length')));
  });

  it('/ and the app URL serve index.html; a query or fragment is ignored', async () => {
    for (const url of ['app://strongroom/', 'app://strongroom', APP_URL, `${APP_URL}?x=1#/keys`]) {
      const response = await get(url);
      expect(response.status, url).toBe(200);
      expect(await response.text()).toContain('<title>Strongroom</title>');
    }
  });

  it('a symlink that stays inside the folder is followed, and the root may itself be reached through one', async () => {
    const alias = await get('app://strongroom/assets/alias.js');
    expect(alias.status).toBe(200);
    expect(await alias.text()).toBe('export const x = 1;');
    const viaLink = await serveAppRequest(join(base, 'renderer-link'), new Request(APP_URL));
    expect(viaLink.status).toBe(200);
    // and the checks still hold when the root is a link
    await expectNotFound(await serveAppRequest(join(base, 'renderer-link'), new Request('app://strongroom/link-out.txt')));
  });

  it('HEAD answers the headers without a body', async () => {
    const response = await get(APP_URL, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(await response.text()).toBe('');
  });
});

describe('requestedSegments, before any URL parser normalizes the path', () => {
  it('refuses dot segments, encoded or not, and every separator trick', () => {
    for (const path of ['/..', '/../x', '/a/../x', '/./x', '/%2e%2e/x', '/.%2e/x', '/a%2fb', '/a%5cb', '/a\\b', '/%252e%252e', '//x', '/a//b', 'x', '/a%00b', '/C:/x']) {
      expect(requestedSegments(path), path).toBeUndefined();
    }
  });

  it('splits a plain path, decoded once', () => {
    expect(requestedSegments('/')).toEqual(['index.html']);
    expect(requestedSegments('/assets/index-3f2a.js')).toEqual(['assets', 'index-3f2a.js']);
    expect(requestedSegments('/assets/caf%C3%A9.svg')).toEqual(['assets', 'café.svg']);
  });
});
