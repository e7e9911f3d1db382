// THE window factory (DESIGN §7): every window the app opens comes from here,
// with one preset, its webContents hardened (harden.ts) before its page
// loads, and shown only once it has painted. Numbers are the items of
// Electron's security checklist,
// https://www.electronjs.org/docs/latest/tutorial/security.
//
// Plain module: the BrowserWindow class is passed in (window.ts passes
// Electron's), so test/app/window-factory.test.ts checks the options it is
// constructed with. The options are written out at the `new BrowserWindow`
// call on purpose: electronegativity (`npm run lint`'s scan) reads them there
// and cannot follow a helper function or an import.
import type { BrowserWindow, BrowserWindowConstructorOptions } from 'electron';
import { hardenWebContents, type HardenableContents } from './harden.js';
import { APP_URL } from './origin.js';

/** What the factory uses of a window (Electron's BrowserWindow has it all). */
export type FactoryWindow = Pick<BrowserWindow, 'once' | 'show' | 'loadURL' | 'destroy'> & { readonly webContents: HardenableContents };
export type WindowClass<W extends FactoryWindow> = new (options: BrowserWindowConstructorOptions) => W;

export interface WindowSettings<W> {
  /** Absolute path of the built preload script (CommonJS: a sandboxed preload cannot be an ES module). */
  preload: string;
  /** Devtools are for development builds only; packaged builds pass false. */
  devTools: boolean;
  /**
   * Runs once the window exists and before its page loads, e.g. to give the
   * window its session, so the page's first IPC call already finds it.
   */
  beforeLoad?: (window: W) => void;
}

/** The page background, painted before the renderer's first frame. */
export const WINDOW_BACKGROUND = '#f5f5f4';

/**
 * Opens a window on the app's page and resolves once the page has loaded.
 * A window whose page fails to load is destroyed and the error rethrown.
 */
export async function openWindow<W extends FactoryWindow>(BrowserWindow: WindowClass<W>, settings: WindowSettings<W>): Promise<W> {
  const { preload, devTools, beforeLoad } = settings;
  const win = new BrowserWindow({
    title: 'Strongroom',
    width: 1200,
    height: 800,
    minWidth: 800,
    minHeight: 560,
    show: false, // until 'ready-to-show' below: never a blank frame
    backgroundColor: WINDOW_BACKGROUND,
    webPreferences: {
      // Reviewed (electronegativity asks for a review of every preload): preload/preload.ts exposes one frozen object
      // of functions over the contract, never ipcRenderer or the event object; test/preload/ checks it.
      preload, // eng-disable PRELOAD_JS_CHECK
      // #2: no Node.js in the page, its workers or its frames.
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      // #3: the preload's world is separate from the page's.
      contextIsolation: true,
      // #4: the renderer runs in Chromium's OS-level sandbox.
      sandbox: true,
      // #6: same-origin policy on.
      webSecurity: true,
      // #8: no http:// content in an app:// page.
      allowRunningInsecureContent: false,
      // #9; #10: no enableBlinkFeatures, and middle-click (auxclick) cannot
      // open links in new windows.
      experimentalFeatures: false,
      disableBlinkFeatures: 'Auxclick',
      // #12: no <webview> at all (harden.ts also refuses will-attach-webview).
      webviewTag: false,
      // #13: dropping a file or link on the window must not navigate away.
      navigateOnDragDrop: false,
      // Dictionaries are downloaded outside macOS; the app has no prose to check.
      spellcheck: false,
      // Web APIs the app does not use, out of the page's reach.
      enableWebSQL: false,
      webgl: false,
      plugins: false,
      // A page that loops on alert() gets a checkbox to stop it.
      safeDialogs: true,
      devTools,
    },
  });
  hardenWebContents(win.webContents);
  win.once('ready-to-show', () => win.show());
  try {
    beforeLoad?.(win);
    await win.loadURL(APP_URL);
  } catch (error) {
    win.destroy();
    throw error;
  }
  return win;
}
