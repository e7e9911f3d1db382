// The desktop app in real Chromium, without Electron (DESIGN §7, §8): the
// built renderer (dist/renderer), the built preload (dist/preload) and the
// real dispatcher over a real vault; only the transport differs. An HTTP
// server on 127.0.0.1 serves the renderer through the app:// handler's own
// logic (main/app/app-files.ts, so the same files, types and CSP headers),
// and carries the preload's two IPC calls: `invoke` as a POST, events as a
// server-sent event stream. In the page, the preload bundle runs as an init
// script with a stand-in `electron` whose ipcRenderer speaks that transport
// and whose contextBridge puts the object on window, as Electron's does;
// its webUtils and the file dialogs answer with paths the test chose.
//
// Blobs and dates cross as tagged JSON ({"$bytes": base64}, {"$date": ISO}),
// which structured clone carries natively in Electron.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { APP_ORIGIN } from '../../main/app/origin.js';
import { serveAppRequest } from '../../main/app/app-files.js';
import type { SessionEvent } from '../../main/api/bridge.js';
import { Dispatcher, type DispatcherOptions } from '../../main/bridge/dispatcher.js';
import type { FileChooser } from '../../main/session/app-handler.js';

// from the project's root (where vitest and npm run bench run), so this file works from test/ and compiled into dist/test/ (the benchmarks)
const RENDERER = join(process.cwd(), 'dist', 'renderer');
const PRELOAD = join(process.cwd(), 'dist', 'preload', 'preload.cjs');
/** A test's request bodies are small; this only keeps a runaway test from filling memory. */
const MAX_BODY = 8 * 1024 * 1024;

export interface BrowserBridge {
  readonly url: string;
  readonly dispatcher: Dispatcher;
  /** opens a page (a window) with the preload installed, at the app's first page */
  open(browser: Browser): Promise<Page>;
  close(): Promise<void>;
}

export const encode = (value: unknown): string =>
  JSON.stringify(value, function (this: Record<string, unknown>, key, v) {
    const raw = this[key];
    if (raw instanceof Uint8Array) return { $bytes: Buffer.from(raw).toString('base64') };
    if (raw instanceof Date) return { $date: raw.toISOString() };
    return v;
  });

export const decode = (text: string): unknown =>
  JSON.parse(text, (_key, v) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const keys = Object.keys(v);
      if (keys.length === 1 && typeof v.$bytes === 'string') return new Uint8Array(Buffer.from(v.$bytes, 'base64'));
      if (keys.length === 1 && typeof v.$date === 'string') return new Date(v.$date);
    }
    return v;
  });

export interface BrowserBridgeOptions extends Omit<DispatcherOptions, 'origin' | 'emit'> {
  /**
   * ChooseFiles' answers: what a person would pick in the file dialog, given
   * the request (default: no dialogs, as where there are none). The app uses
   * Electron's dialogs (main/app/file-dialogs.ts).
   */
  readonly chooseFiles?: FileChooser;
  /**
   * Where the files a test drops are on disk, by file name: Chromium gives a
   * page's File no path, Electron's webUtils.getPathForFile does (the
   * preload's pathForFile); the stand-in answers from this table, '' otherwise.
   */
  readonly droppedFilePaths?: Readonly<Record<string, string>>;
}

export async function startBrowserBridge({ chooseFiles, droppedFilePaths = {}, ...options }: BrowserBridgeOptions): Promise<BrowserBridge> {
  const streams = new Map<number, ServerResponse[]>();
  const server = createServer((req, res) => void route(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dispatcher = new Dispatcher({
    ...options,
    ...(chooseFiles ? { desktop: { ...options.desktop, chooseFiles } } : {}),
    origin,
    emit: (windowId: number, event: SessionEvent) => {
      for (const res of streams.get(windowId) ?? []) res.write(`data: ${encode(event)}\n\n`);
    },
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const bridge = /^\/__bridge\/(\d+)(\/events)?$/.exec(url.pathname);
    if (bridge) {
      const windowId = Number(bridge[1]);
      if (bridge[2]) {
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' });
        res.write(': open\n\n');
        streams.set(windowId, [...(streams.get(windowId) ?? []), res]);
        req.on('close', () => streams.set(windowId, (streams.get(windowId) ?? []).filter((r) => r !== res)));
        return;
      }
      const body = await readBody(req);
      const { channel, message } = decode(body) as { channel: string; message: unknown };
      const sender = { windowId, url: String(req.headers['x-strongroom-frame'] ?? ''), isMainFrame: req.headers['x-strongroom-main-frame'] === 'true' };
      const result = await dispatcher.handle(sender, channel, message);
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(encode(result));
      return;
    }
    // everything else is the renderer, answered by the app:// handler's logic
    const answer = await serveAppRequest(RENDERER, new Request(`${APP_ORIGIN}${url.pathname}`, { method: req.method ?? 'GET' }));
    res.writeHead(answer.status, Object.fromEntries(answer.headers));
    res.end(Buffer.from(await answer.arrayBuffer()));
  }

  const preload = readFileSync(PRELOAD, 'utf8');
  const contexts: BrowserContext[] = [];
  let windows = 0;
  return {
    url: `${origin}/index.html`,
    dispatcher,
    async open(browser) {
      // a context of its own per window (axe-core needs a page made this way), closed with the bridge
      const context = await browser.newContext();
      contexts.push(context);
      const page = await context.newPage();
      await page.addInitScript({ content: pageScript(++windows, preload, droppedFilePaths) });
      await page.goto(`${origin}/index.html`);
      return page;
    },
    async close() {
      await Promise.all(contexts.map((c) => c.close()));
      for (const list of streams.values()) for (const res of list) res.end();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('request body too large for the test transport');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The page's stand-in for `electron`, then the preload bundle, in the main frame and every subframe. */
function pageScript(windowId: number, preload: string, droppedFilePaths: Readonly<Record<string, string>>): string {
  return `(() => {
  const windowId = ${windowId};
  const droppedFilePaths = ${JSON.stringify(droppedFilePaths)};
  const webUtils = { getPathForFile: (file) => (Object.hasOwn(droppedFilePaths, file.name) ? droppedFilePaths[file.name] : '') };
  const toBase64 = (bytes) => { let s = ''; for (const b of bytes) s += String.fromCharCode(b); return btoa(s); };
  const fromBase64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  const encode = (value) => JSON.stringify(value, function (key, v) {
    const raw = this[key];
    if (raw instanceof Uint8Array) return { $bytes: toBase64(raw) };
    if (raw instanceof Date) return { $date: raw.toISOString() };
    return v;
  });
  const decode = (text) => JSON.parse(text, (key, v) => {
    if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1) {
      if (typeof v.$bytes === 'string') return fromBase64(v.$bytes);
      if (typeof v.$date === 'string') return new Date(v.$date);
    }
    return v;
  });
  const ipcRenderer = {
    async invoke(channel, message) {
      const response = await fetch('/__bridge/' + windowId, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Strongroom-Frame': location.href, 'X-Strongroom-Main-Frame': String(window === window.top) },
        body: encode({ channel, message }),
      });
      if (!response.ok) throw new Error('the transport answered ' + response.status);
      return decode(await response.text());
    },
    on(channel, listener) {
      const events = new EventSource('/__bridge/' + windowId + '/events');
      events.onmessage = (e) => listener({ sender: ipcRenderer }, decode(e.data));
    },
  };
  const contextBridge = { exposeInMainWorld: (key, api) => Object.defineProperty(window, key, { value: api, enumerable: true }) };
  const require = (id) => { if (id === 'electron') return { ipcRenderer, contextBridge, webUtils }; throw new Error('a sandboxed preload cannot require ' + id); };
  const module = { exports: {} };
  (function (require, module, exports) {
${preload}
  })(require, module, module.exports);
})();`;
}

/** Debian's Chromium, headless, with the flags DESIGN §8 gives for these machines. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
