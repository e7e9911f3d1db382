// The application menu: standard roles only, so no item runs app code, opens
// a URL or reaches the network (Electron's default menu has Help items that
// open electronjs.org). Reload and devtools exist only in development builds.
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuSettings {
  devTools: boolean;
}

/** View without reload/devtools (packaged), or with them (development). */
function viewMenu(devTools: boolean): MenuItemConstructorOptions {
  const develop: MenuItemConstructorOptions[] = devTools
    ? [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }]
    : [];
  return {
    role: 'viewMenu',
    submenu: [...develop, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }],
  };
}

export function menuTemplate(platform: NodeJS.Platform, { devTools }: MenuSettings): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  // macOS: the app menu (About, Hide, Quit) and File > Close Window;
  // elsewhere File > Quit.
  const appMenu: MenuItemConstructorOptions[] = mac ? [{ role: 'appMenu' }] : [];
  // About is in the app menu on macOS; elsewhere Help holds it and nothing
  // else (no links to websites).
  const help: MenuItemConstructorOptions[] = mac ? [] : [{ role: 'help', submenu: [{ role: 'about' }] }];
  return [...appMenu, { role: 'fileMenu' }, { role: 'editMenu' }, viewMenu(devTools), { role: 'windowMenu' }, ...help];
}
