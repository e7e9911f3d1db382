// The one window factory, given a recording stand-in for BrowserWindow: the
// options every window is built with, checked against Electron's security
// checklist (https://www.electronjs.org/docs/latest/tutorial/security, item
// numbers below), and what happens to the window before and after its page loads.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { APP_URL } from '../../main/app/origin.js';
import { openWindow, type FactoryWindow, type WindowClass } from '../../main/app/window-factory.js';

const PRELOAD = '/opt/strongroom/dist/preload/index.cjs';

class FakeContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => unknown) | undefined;
  setWindowOpenHandler(handler: (details: { url: string }) => unknown): void {
    this.windowOpenHandler = handler;
  }
}

/** Records what the factory does to it; `failLoad` makes loadURL reject like a page that cannot load. */
function fakeWindowClass(failLoad = false) {
  const made: FakeWindow[] = [];
  class FakeWindow extends EventEmitter {
    readonly webContents = new FakeContents();
    readonly log: string[] = [];
    constructor(readonly options: any) {
      super();
      made.push(this);
    }
    show(): void {
      this.log.push('show');
    }
    destroy(): void {
      this.log.push('destroy');
    }
    async loadURL(url: string): Promise<void> {
      this.log.push(`load ${url}`);
      if (failLoad) throw new Error('ERR_FILE_NOT_FOUND');
    }
  }
  // Electron's overloaded `once` and `loadURL` signatures are wider than a fake spells out.
  return { BrowserWindow: FakeWindow as unknown as WindowClass<FactoryWindow & FakeWindow>, made };
}

describe('openWindow: the options every window is built with', () => {
  it('lock the renderer down: checklist items 2, 3, 4, 6, 8, 9, 10, 12, 13', async () => {
    const { BrowserWindow, made } = fakeWindowClass();
    await openWindow(BrowserWindow, { preload: PRELOAD, devTools: false });
    const prefs = made[0]!.options.webPreferences;
    expect(prefs).toEqual({
      preload: PRELOAD,
      nodeIntegration: false, // #2
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      contextIsolation: true, // #3
      sandbox: true, // #4
      webSecurity: true, // #6
      allowRunningInsecureContent: false, // #8
      experimentalFeatures: false, // #9
      disableBlinkFeatures: 'Auxclick', // #10: and no enableBlinkFeatures (toEqual: no other key)
      webviewTag: false, // #12
      navigateOnDragDrop: false, // #13
      spellcheck: false,
      enableWebSQL: false,
      webgl: false,
      plugins: false,
      safeDialogs: true,
      devTools: false,
    });
  });

  it('turn devtools on only when asked (development builds)', async () => {
    const { BrowserWindow, made } = fakeWindowClass();
    await openWindow(BrowserWindow, { preload: PRELOAD, devTools: true });
    expect(made[0]!.options.webPreferences).toMatchObject({ devTools: true, contextIsolation: true, sandbox: true });
  });

  it('keep the window hidden until ready-to-show, with a background colour and a usable size', async () => {
    const { BrowserWindow, made } = fakeWindowClass();
    await openWindow(BrowserWindow, { preload: PRELOAD, devTools: false });
    const options = made[0]!.options;
    expect(options.show).toBe(false);
    expect(options.backgroundColor).toMatch(/^#[0-9a-f]{6}$/);
    expect(options.width).toBeGreaterThanOrEqual(options.minWidth);
    expect(options.height).toBeGreaterThanOrEqual(options.minHeight);
  });
});

describe('openWindow: the window’s life', () => {
  it('hardens the webContents, runs beforeLoad, then loads the app page; shows the window only on ready-to-show', async () => {
    const { BrowserWindow, made } = fakeWindowClass();
    const win = await openWindow(BrowserWindow, {
      preload: PRELOAD,
      devTools: false,
      beforeLoad: (w) => {
        // already hardened when the caller gets it
        expect(w.webContents.windowOpenHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
        w.log.push('beforeLoad');
      },
    });
    expect(win).toBe(made[0]);
    expect(win.log).toEqual(['beforeLoad', `load ${APP_URL}`]);
    const navigation = { defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
    win.webContents.emit('will-navigate', navigation, 'https://example.com/');
    expect(navigation.defaultPrevented).toBe(true);
    win.emit('ready-to-show');
    expect(win.log.at(-1)).toBe('show');
  });

  it('a page that fails to load: the window is destroyed and the error reaches the caller', async () => {
    const { BrowserWindow, made } = fakeWindowClass(true);
    await expect(openWindow(BrowserWindow, { preload: PRELOAD, devTools: false })).rejects.toThrow('ERR_FILE_NOT_FOUND');
    expect(made[0]!.log).toEqual([`load ${APP_URL}`, 'destroy']);
  });

  it('a beforeLoad that throws: the window is destroyed before anything loads', async () => {
    const { BrowserWindow, made } = fakeWindowClass();
    const beforeLoad = () => {
      throw new Error('no session for this window');
    };
    await expect(openWindow(BrowserWindow, { preload: PRELOAD, devTools: false, beforeLoad })).rejects.toThrow('no session');
    expect(made[0]!.log).toEqual(['destroy']);
  });
});
