// What the end-to-end tests of the renderer share: one Chromium per file, a
// real vault and the browser bridge per test (browser-bridge.ts), signing in
// through the screens, an accessibility check of the screen shown
// (axe-core: no serious or critical violation), and a screenshot of it under
// dist/screenshots/ (not committed) for a reviewer to look at.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { VaultHost } from '../../main/session/vault-host.js';
import { launchChromium, startBrowserBridge, type BrowserBridge, type BrowserBridgeOptions } from './browser-bridge.js';
import { ADMIN_PASSPHRASE, makeVault, type TestVault } from './vault.js';

export const SCREENSHOTS = join(process.cwd(), 'dist', 'screenshots');

export interface AppUnderTest {
  readonly t: TestVault;
  readonly bridge: BrowserBridge;
  readonly page: Page;
  /** console errors and page errors seen so far (a CSP violation is one) */
  readonly problems: string[];
  close(): Promise<void>;
}

/** A real vault (open, passphrase custody), the bridge over it, and a page showing the app's first screen. */
export async function openApp(browser: Browser, options: Pick<BrowserBridgeOptions, 'idleLockMs' | 'desktop' | 'chooseFiles' | 'droppedFilePaths'> = {}): Promise<AppUnderTest> {
  const t = await makeVault();
  const bridge = await startBrowserBridge({ host: VaultHost.of(t.vault), cwd: t.dir, ...options });
  const page = await bridge.open(browser);
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  return {
    t,
    bridge,
    page,
    problems,
    async close() {
      await page.close();
      await bridge.close();
      await t.close();
    },
  };
}

/** Signs in through the sign-in screen and waits for the shell. */
export async function signIn(page: Page, user = 'admin', passphrase = ADMIN_PASSPHRASE, tenant?: string): Promise<void> {
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  if (tenant !== undefined) await page.getByLabel('Tenant').fill(tenant);
  await page.getByLabel('User').fill(user);
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

/** axe-core over the page as it is: no serious or critical violation; then a screenshot named `name`. */
export async function checkScreen(page: Page, name: string): Promise<void> {
  const results = await new AxeBuilder({ page: page as never }).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`), name).toEqual([]);
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

export { launchChromium };
