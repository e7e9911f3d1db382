// Refusals for every webContents and session: navigation, new windows,
// <webview>, permissions, devices, screen capture, downloads and any request
// that does not go to app://strongroom. Numbers are the items of Electron's
// security checklist, https://www.electronjs.org/docs/latest/tutorial/security.
//
// Plain module: the parameters are the parts of Electron's interfaces these
// functions touch (type imports only), so test/app/harden.test.ts drives them
// with recording fakes and checks each decision.
import type { App, Session, WebContents, WebRequest } from 'electron';
import { APP_HOST, APP_SCHEME } from './origin.js';

export type HardenableContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;
export type HardenableSession = Pick<
  Session,
  | 'on'
  | 'setPermissionRequestHandler'
  | 'setPermissionCheckHandler'
  | 'setDevicePermissionHandler'
  | 'setDisplayMediaRequestHandler'
  | 'setSpellCheckerEnabled'
> & { readonly webRequest: Pick<WebRequest, 'onBeforeRequest'> };
export type HardenableApp = Pick<App, 'on'>;

export interface HardenSettings {
  /** Devtools on (development builds): their own devtools:// pages may load too. */
  devTools: boolean;
}

// Each object is hardened once, whoever asks first (hardenApp for every
// webContents, the window factory for its own): registering twice would only
// duplicate listeners.
const hardenedContents = new WeakSet<object>();
const hardenedSessions = new WeakSet<object>();

/**
 * #13, #14, #12. Every navigation is refused, to app:// pages too: the
 * renderer is one page loaded by loadURL (which emits no will-navigate) and
 * routes in-page (history API, which emits none either), so a navigation is
 * always a link, a form or `location` leaving the app, or reloading it without
 * its session. Redirects come only from servers the app never talks to.
 */
export function hardenWebContents(contents: HardenableContents): void {
  if (hardenedContents.has(contents)) return;
  hardenedContents.add(contents);
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-frame-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  // #14: window.open and target=_blank open nothing, in the app or outside it
  // (#15: the app never hands a renderer's URL to shell.openExternal).
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  // #12: no <webview> is ever attached (webviewTag is off as well).
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/**
 * The only requests a session lets through: the app's own files, `data:`
 * images its CSP allows, and devtools' own pages when devtools are on. No
 * remote content (#1), no file:// (#18), no other host of app://.
 */
export function isAllowedRequest(url: string, { devTools }: HardenSettings): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === `${APP_SCHEME}:`) return parsed.host === APP_HOST;
  if (parsed.protocol === 'data:') return true;
  return devTools && parsed.protocol === 'devtools:';
}

/**
 * #5: every permission request and check is refused; the app needs none (its
 * clipboard writes go through the main process, clipboard-guard.ts). Device
 * pickers (HID, serial, USB, Bluetooth) get no listener, which Electron
 * documents as cancelling every request; devices already granted are refused
 * too. Downloads are all cancelled: the app saves files from the main process
 * (file jobs, audit export), never through a Chromium download.
 */
export function hardenSession(session: HardenableSession, settings: HardenSettings): void {
  if (hardenedSessions.has(session)) return;
  hardenedSessions.add(session);
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.setDisplayMediaRequestHandler((_request, callback) => callback(null));
  session.on('will-download', (event) => event.preventDefault());
  session.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isAllowedRequest(details.url, settings) }));
  // No dictionary downloads (spellcheck is off in every window too).
  session.setSpellCheckerEnabled(false);
}

/**
 * Hardens every webContents the app ever gets, including ones it did not
 * create itself (devtools, a window some code path opens), and each one's
 * session, before their first load.
 */
export function hardenApp(app: HardenableApp, settings: HardenSettings): void {
  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents);
    hardenSession(contents.session, settings);
  });
}
