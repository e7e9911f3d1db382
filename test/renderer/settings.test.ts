// The settings screen in Chromium over the real bridge and vault, with a
// real settings file (as the app keeps in its userData folder): a change
// within the contract's limits is saved to the file, survives a reload and
// is what the dispatcher's idle lock then goes by; a value outside the limits
// is named and not saved; the vault's status is shown.
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SettingsFile } from '../../main/session/app-settings.js';
import { VaultHost } from '../../main/session/vault-host.js';
import { startBrowserBridge } from '../support/browser-bridge.js';
import { checkScreen, launchChromium, signIn } from '../support/e2e.js';
import { makeVault } from '../support/vault.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => browser?.close());

describe('settings', () => {
  it('saves the idle lock and clipboard times to the settings file, within the contract’s limits', async () => {
    const t = await makeVault();
    const path = join(t.dir, 'settings.json');
    const clock = { now: Date.now() };
    const bridge = await startBrowserBridge({ host: VaultHost.of(t.vault), cwd: t.dir, now: () => clock.now, desktop: { settings: await SettingsFile.open(path) } });
    const page = await bridge.open(browser);
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    try {
      await signIn(page);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
      const idle = page.getByLabel('Lock after idle (minutes)');
      const clipboard = page.getByLabel('Clear the clipboard after (seconds)');
      await expect.poll(() => idle.inputValue()).toBe('5');
      expect(await clipboard.inputValue()).toBe('30');
      const status = page.getByRole('region', { name: 'Vault' });
      await expect.poll(() => status.textContent()).toContain(t.dir);
      expect(await status.textContent()).toContain('a vault passphrase');
      expect(await status.textContent()).toContain(t.vault.vaultId);
      await checkScreen(page, 'settings');

      // outside the contract's limits (1–120): named, and nothing is sent
      await idle.fill('121');
      expect(await idle.getAttribute('aria-invalid')).toBe('true');
      await page.getByRole('button', { name: 'Save settings' }).click();
      expect((await SettingsFile.open(path)).current.IdleLockMinutes).toBe(5);

      await idle.fill('15');
      await clipboard.fill('90');
      expect(await idle.getAttribute('aria-invalid')).toBe('false');
      await page.getByRole('button', { name: 'Save settings' }).click();
      await page.getByText('Settings saved.').waitFor();
      // durable in the file
      expect((await SettingsFile.open(path)).current).toEqual({ IdleLockMinutes: 15, ClipboardClearSeconds: 90 });
      // the dispatcher locks by it: not after 10 minutes (the old 5 would have), after 15
      clock.now += 10 * 60_000;
      bridge.dispatcher.lockIdle();
      await clipboard.fill('91'); // a call that works only while signed in
      await page.getByRole('button', { name: 'Save settings' }).click();
      await expect.poll(async () => (await SettingsFile.open(path)).current.ClipboardClearSeconds).toBe(91);
      clock.now += 15 * 60_000;
      bridge.dispatcher.lockIdle();
      await page.getByText('Locked (idle for too long): sign in again.').waitFor();

      await page.reload();
      await signIn(page);
      await page.evaluate("location.hash = '#/settings'");
      await expect.poll(() => page.getByLabel('Lock after idle (minutes)').inputValue()).toBe('15');
      expect(await page.getByLabel('Clear the clipboard after (seconds)').inputValue()).toBe('91');
      expect(problems).toEqual([]);
    } finally {
      await page.close();
      await bridge.close();
      await t.close();
    }
  });
});
