// The Electron main process (package.json "main"): the one place that wires
// the desktop app together. Read top to bottom, it is the app's life:
//
//   - one instance per user (a second launch focuses the first window);
//   - app:// registered before ready, then served from the built renderer
//     (protocol.ts); every webContents and the session hardened (harden.ts);
//     a menu of standard roles (menu.ts);
//   - the vault at STRONGROOM_VAULT or the same default folder as the CLI
//     (both can use it at once: they coordinate through SQLite), opened at
//     once when its master key is in the OS keychain, or later by the unlock
//     screen (UnlockVault) when it is kept under a passphrase;
//   - the dispatcher (main/bridge) behind the two IPC channels (ipc.ts),
//     with one session per window, the idle lock from the settings, and the
//     OS screen lock and suspend locking every session (power-events.ts);
//   - what the app copies leaves the clipboard after the settings' delay
//     (clipboard-guard.ts); ChooseFiles shows Electron's file dialogs
//     (file-dialogs.ts); on quit, the clipboard is cleared of it and the
//     vault closed (its audit trail's closing digests written).
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { app, BrowserWindow, clipboard, Menu, powerMonitor, session } from 'electron';
import { Dispatcher } from '../bridge/dispatcher.js';
import { SettingsFile } from '../session/app-settings.js';
import { VaultHost } from '../session/vault-host.js';
import { defaultVaultDir } from '../vault/paths.js';
import { ClipboardGuard } from './clipboard-guard.js';
import { chooseFiles } from './file-dialogs.js';
import { hardenApp, hardenSession } from './harden.js';
import { emitToWindow, registerIpc } from './ipc.js';
import { menuTemplate } from './menu.js';
import { APP_ORIGIN } from './origin.js';
import { watchPower } from './power-events.js';
import { registerAppScheme, serveRenderer } from './protocol.js';
import { createWindow } from './window.js';

const BUILT = join(fileURLToPath(import.meta.url), '..', '..', '..'); // dist/
const RENDERER = join(BUILT, 'renderer');
const PRELOAD = join(BUILT, 'preload', 'preload.cjs');
const devTools = !app.isPackaged;
const log = (message: string, error?: unknown) => console.error(`strongroom: ${message}`, error ?? '');

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerAppScheme();
  app.on('second-instance', () => {
    const [first] = BrowserWindow.getAllWindows();
    if (first?.isMinimized()) first.restore();
    first?.focus();
  });
  app.whenReady().then(start, (e: unknown) => {
    log('the app could not start', e);
    app.exit(1);
  });
}

async function start(): Promise<void> {
  hardenApp(app, { devTools });
  hardenSession(session.defaultSession, { devTools });
  serveRenderer(RENDERER);
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(process.platform, { devTools })));

  const settings = await SettingsFile.open(join(app.getPath('userData'), 'settings.json'), log);
  const clipboardGuard = new ClipboardGuard(clipboard);
  const host = new VaultHost(process.env.STRONGROOM_VAULT ?? defaultVaultDir(), { log });
  // A keychain vault opens now; a passphrase vault (or a keychain that says no) waits for the unlock screen.
  if (host.exists) await host.open().catch(() => undefined);

  const dispatcher = new Dispatcher({ host, origin: APP_ORIGIN, emit: emitToWindow, desktop: { settings, clipboard: clipboardGuard, chooseFiles }, cwd: app.getPath('home'), log });
  registerIpc(dispatcher);
  const stopIdleTimer = dispatcher.startIdleTimer();
  const stopWatchingPower = watchPower(powerMonitor, (reason) => dispatcher.lock(reason));

  const openWindow = async () => {
    const window = await createWindow({ preload: PRELOAD, devTools });
    const id = window.webContents.id;
    window.on('closed', () => dispatcher.closeWindow(id));
  };
  await openWindow();
  app.on('activate', () => void (BrowserWindow.getAllWindows().length === 0 && openWindow()));
  app.on('window-all-closed', () => app.quit());

  let quitting = false;
  app.on('will-quit', (event) => {
    if (quitting) return;
    quitting = true;
    event.preventDefault();
    stopIdleTimer();
    stopWatchingPower();
    void Promise.allSettled([clipboardGuard.dispose(), host.close()]).then((results) => {
      for (const r of results) if (r.status === 'rejected') log('closing down failed', r.reason);
      app.exit(0);
    });
  });
}
