// The application menu: standard roles only, nothing that runs app code or
// opens a URL, and no reload or devtools in packaged builds.
import { describe, expect, it } from 'vitest';
import { menuTemplate } from '../../main/app/menu.js';

type MenuItemConstructorOptions = ReturnType<typeof menuTemplate>[number];

const PLATFORMS: NodeJS.Platform[] = ['darwin', 'win32', 'linux'];

/** Every item of a template, submenus included. */
function items(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? items(item.submenu) : [])]);
}
const roles = (template: MenuItemConstructorOptions[]) => items(template).map((i) => i.role).filter(Boolean);

describe('menuTemplate', () => {
  it.each(PLATFORMS)('on %s: every item is a standard role or a separator; no click handler, label, URL or accelerator of its own', (platform) => {
    for (const devTools of [false, true]) {
      for (const item of items(menuTemplate(platform, { devTools }))) {
        const keys = Object.keys(item).filter((k) => k !== 'submenu');
        if (item.type === 'separator') expect(keys).toEqual(['type']);
        else expect(keys).toEqual(['role']);
      }
    }
  });

  it.each(PLATFORMS)('on %s, packaged: no reload, force reload or devtools anywhere', (platform) => {
    const found = roles(menuTemplate(platform, { devTools: false }));
    expect(found).not.toContain('reload');
    expect(found).not.toContain('forceReload');
    expect(found).not.toContain('toggleDevTools');
    expect(found).toEqual(expect.arrayContaining(['fileMenu', 'editMenu', 'viewMenu', 'windowMenu', 'zoomIn', 'togglefullscreen']));
  });

  it.each(PLATFORMS)('on %s, development: reload and devtools are in the View menu', (platform) => {
    expect(roles(menuTemplate(platform, { devTools: true }))).toEqual(expect.arrayContaining(['reload', 'forceReload', 'toggleDevTools']));
  });

  it('the app menu on macOS; a Help menu holding only About elsewhere', () => {
    const mac = menuTemplate('darwin', { devTools: false });
    expect(mac[0]).toEqual({ role: 'appMenu' });
    expect(roles(mac)).not.toContain('help');
    for (const platform of ['win32', 'linux'] as const) {
      const template = menuTemplate(platform, { devTools: false });
      expect(roles(template)).not.toContain('appMenu');
      expect(template.at(-1)).toEqual({ role: 'help', submenu: [{ role: 'about' }] });
    }
  });
});
