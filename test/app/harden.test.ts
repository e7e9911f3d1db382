// What the hardening decides, driven through recording fakes of the parts of
// webContents, session and app it touches: each navigation, window, webview,
// permission, device, capture, download and request is tried and the test
// checks it was refused (and that the app's own requests still pass).
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import {
  hardenApp,
  hardenSession,
  hardenWebContents,
  isAllowedRequest,
  type HardenableApp,
  type HardenableContents,
  type HardenableSession,
} from '../../main/app/harden.js';

/** An Electron-style event: records whether a handler called preventDefault. */
class FakeEvent {
  defaultPrevented = false;
  constructor(readonly url = '') {}
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

type Handler = (...args: any[]) => unknown;

class FakeContents extends EventEmitter {
  windowOpenHandler: Handler | undefined;
  readonly session = new FakeSession();
  setWindowOpenHandler(handler: Handler): void {
    this.windowOpenHandler = handler;
  }
  /** Emits like Electron and returns the event, to read the decision. */
  try(name: string, url = '', ...rest: unknown[]): FakeEvent {
    const event = new FakeEvent(url);
    this.emit(name, event, url, ...rest);
    return event;
  }
}

class FakeSession extends EventEmitter {
  permissionRequest: Handler | undefined;
  permissionCheck: Handler | undefined;
  devicePermission: Handler | undefined;
  displayMedia: Handler | undefined;
  beforeRequest: Handler | undefined;
  spellChecker: boolean | undefined;
  readonly webRequest = {
    onBeforeRequest: (listener: Handler) => {
      this.beforeRequest = listener;
    },
  };
  setPermissionRequestHandler(h: Handler): void {
    this.permissionRequest = h;
  }
  setPermissionCheckHandler(h: Handler): void {
    this.permissionCheck = h;
  }
  setDevicePermissionHandler(h: Handler): void {
    this.devicePermission = h;
  }
  setDisplayMediaRequestHandler(h: Handler): void {
    this.displayMedia = h;
  }
  setSpellCheckerEnabled(enabled: boolean): void {
    this.spellChecker = enabled;
  }
  /** Asks the request filter about `url`; true when it let the request through. */
  request(url: string): boolean {
    let answer: { cancel?: boolean } | undefined;
    this.beforeRequest!({ url, method: 'GET', resourceType: 'script' }, (response: { cancel?: boolean }) => (answer = response));
    expect(answer).toBeDefined();
    return answer!.cancel !== true;
  }
}

// The fakes implement the members the hardening uses; Electron's overloaded
// signatures (one per event name) are wider than a fake can spell out.
const asContents = (c: FakeContents) => c as unknown as HardenableContents;
const asSession = (s: FakeSession) => s as unknown as HardenableSession;

// Every permission name Electron 45 passes to the permission handlers.
const PERMISSIONS = [
  'clipboard-read', 'clipboard-sanitized-write', 'deprecated-sync-clipboard-read', 'display-capture', 'fileSystem',
  'fullscreen', 'geolocation', 'hid', 'idle-detection', 'keyboardLock', 'local-fonts', 'media', 'mediaKeySystem',
  'midi', 'midiSysex', 'notifications', 'openExternal', 'pointerLock', 'serial', 'storage-access', 'usb',
  'window-management', 'unknown',
];

const REMOTE_AND_LOCAL = [
  'https://example.com/',
  'http://127.0.0.1:5173/index.html',
  'wss://example.com/socket',
  'file:///etc/passwd',
  'ftp://example.com/x',
  'blob:app://strongroom/123',
  'app://other-host/index.html',
  'chrome://settings',
  'not a url',
];

describe('hardenWebContents', () => {
  it('refuses every navigation and redirect, to remote pages and to app:// pages alike', () => {
    const contents = new FakeContents();
    hardenWebContents(asContents(contents));
    for (const url of ['https://example.com/', 'file:///etc/passwd', 'app://strongroom/index.html', 'app://strongroom/other.html']) {
      expect(contents.try('will-navigate', url).defaultPrevented).toBe(true);
      expect(contents.try('will-frame-navigate', url).defaultPrevented).toBe(true);
      expect(contents.try('will-redirect', url).defaultPrevented).toBe(true);
    }
  });

  it('denies window.open and refuses to attach a <webview>', () => {
    const contents = new FakeContents();
    hardenWebContents(asContents(contents));
    for (const url of ['https://example.com/', 'app://strongroom/index.html', 'about:blank']) {
      expect(contents.windowOpenHandler!({ url, frameName: '', features: '', disposition: 'new-window' })).toEqual({ action: 'deny' });
    }
    const webPreferences = { nodeIntegration: true };
    expect(contents.try('will-attach-webview', '', webPreferences, { src: 'https://example.com' }).defaultPrevented).toBe(true);
  });

  it('hardens a webContents once, however many times it is asked', () => {
    const contents = new FakeContents();
    hardenWebContents(asContents(contents));
    hardenWebContents(asContents(contents));
    expect(contents.listenerCount('will-navigate')).toBe(1);
  });
});

describe('hardenSession', () => {
  it('refuses every permission request and check', () => {
    const session = new FakeSession();
    hardenSession(asSession(session), { devTools: false });
    for (const permission of PERMISSIONS) {
      let granted: boolean | undefined;
      session.permissionRequest!({}, permission, (answer: boolean) => (granted = answer), { requestingUrl: 'app://strongroom/index.html' });
      expect(granted, permission).toBe(false);
      expect(session.permissionCheck!({}, permission, 'app://strongroom', { requestingUrl: 'app://strongroom/index.html' }), permission).toBe(false);
    }
  });

  it('refuses devices, screen capture and every download', () => {
    const session = new FakeSession();
    hardenSession(asSession(session), { devTools: false });
    expect(session.devicePermission!({ deviceType: 'usb', origin: 'app://strongroom', device: {} })).toBe(false);
    let streams: unknown = 'not answered';
    session.displayMedia!({ securityOrigin: 'app://strongroom', videoRequested: true, audioRequested: false }, (s: unknown) => (streams = s));
    expect(streams).toBeNull();
    const download = new FakeEvent();
    session.emit('will-download', download, { getURL: () => 'app://strongroom/x' }, {});
    expect(download.defaultPrevented).toBe(true);
    expect(session.spellChecker).toBe(false);
  });

  it('lets through only the app’s own files and data: images; nothing remote, no file://, no other app:// host', () => {
    const session = new FakeSession();
    hardenSession(asSession(session), { devTools: false });
    expect(session.request('app://strongroom/index.html')).toBe(true);
    expect(session.request('app://strongroom/assets/index-3f2a.js')).toBe(true);
    expect(session.request('data:image/png;base64,iVBORw0KGgo=')).toBe(true);
    for (const url of [...REMOTE_AND_LOCAL, 'devtools://devtools/bundled/devtools_app.html']) {
      expect(session.request(url), url).toBe(false);
    }
  });

  it('with devtools on, lets devtools:// load too, and still nothing remote', () => {
    const session = new FakeSession();
    hardenSession(asSession(session), { devTools: true });
    expect(session.request('devtools://devtools/bundled/devtools_app.html')).toBe(true);
    for (const url of REMOTE_AND_LOCAL) expect(session.request(url), url).toBe(false);
    expect(isAllowedRequest('https://chrome-devtools-frontend.appspot.com/x', { devTools: true })).toBe(false);
  });
});

describe('hardenApp', () => {
  it('hardens every webContents the app gets, and its session, before it loads anything', () => {
    const app = new EventEmitter();
    hardenApp(app as unknown as HardenableApp, { devTools: false });
    const contents = new FakeContents();
    app.emit('web-contents-created', new FakeEvent(), contents);
    expect(contents.try('will-navigate', 'https://example.com/').defaultPrevented).toBe(true);
    expect(contents.windowOpenHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(contents.session.request('https://example.com/')).toBe(false);
    let granted: boolean | undefined;
    contents.session.permissionRequest!({}, 'media', (answer: boolean) => (granted = answer), {});
    expect(granted).toBe(false);
  });

  it('a session shared by several webContents is hardened once', () => {
    const app = new EventEmitter();
    hardenApp(app as unknown as HardenableApp, { devTools: false });
    const first = new FakeContents();
    const second = Object.assign(new FakeContents(), { session: first.session });
    app.emit('web-contents-created', new FakeEvent(), first);
    app.emit('web-contents-created', new FakeEvent(), second);
    expect(first.session.listenerCount('will-download')).toBe(1);
    expect(second.try('will-redirect', 'https://example.com/').defaultPrevented).toBe(true);
  });
});
