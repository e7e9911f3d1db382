// The audit screen in Chromium over the real bridge and vault: the chain's
// verification at a glance, filters (event name, time, outcome) that find
// what the test did, pages, one event's CloudTrail JSON, and the export to
// a file that the offline verifier accepts.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyExportText } from '../../main/session/audit-files.js';
import { DB_FILE } from '../../main/vault/paths.js';
import { checkScreen, launchChromium, openApp, signIn } from '../support/e2e.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => browser?.close());

describe('audit', () => {
  it('shows a valid chain, finds a CreateKey by event name, shows its JSON, and exports the trail', async () => {
    const app = await openApp(browser);
    try {
      const { page, t } = app;
      const { KeyMetadata } = await t.call('CreateKey', { Description: 'made by the audit test' });
      await signIn(page);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit' }).click();
      await expect.poll(() => page.getByRole('status', { name: 'Audit chain verification' }).textContent()).toMatch(/^Chain verified: /);
      await page.getByRole('table', { name: 'Audit events' }).waitFor();

      await page.getByLabel('Event name').fill('CreateKey');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      const rows = page.getByRole('table', { name: 'Audit events' }).getByRole('row');
      await expect.poll(() => rows.count()).toBe(2); // the header and the one CreateKey
      expect(await rows.nth(1).getByRole('cell').nth(1).textContent()).toBe('CreateKey');
      expect(await rows.nth(1).getByRole('cell').nth(3).textContent()).toContain(KeyMetadata.KeyId);
      await checkScreen(page, 'audit');

      await rows.nth(1).getByRole('button', { name: /^Details of CreateKey/ }).click();
      const json = JSON.parse((await page.getByLabel('CloudTrail record (JSON)').textContent()) ?? '');
      expect(json).toMatchObject({ eventName: 'CreateKey', eventSource: expect.stringMatching(/^kms\./) });
      expect(JSON.stringify(json)).toContain(KeyMetadata.KeyId);
      await checkScreen(page, 'audit-event');

      // a time range after every event finds nothing
      await page.getByLabel('From').fill('2026-12-01T00:00');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.getByText('No events match these filters.').waitFor();

      // the export lands where the path says (relative: the app's cwd, the home folder in the app) and verifies offline
      await page.getByLabel('Export file').fill('trail.jsonl');
      await page.getByRole('button', { name: 'Export', exact: true }).click();
      await page.getByText(/^Exported \d+ records and \d+ signed digests to /).waitFor();
      const path = join(t.dir, 'trail.jsonl');
      expect(existsSync(path)).toBe(true);
      const { PublicKey } = await t.call('GetAuditPublicKey');
      const verified = verifyExportText(readFileSync(path, 'utf8'), PublicKey);
      expect([verified.Valid, verified.PublicKeySource, verified.Records]).toEqual([true, 'trusted', Number(/^Exported (\d+)/.exec((await page.getByText(/^Exported/).textContent()) ?? '')?.[1])]);
      expect(app.problems).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('filters by outcome from the CloudTrail record, and pages through more events than a page holds', async () => {
    const app = await openApp(browser);
    try {
      const { page, t } = app;
      for (let i = 0; i < 55; i++) await t.call('GenerateRandom', { NumberOfBytes: 8 });
      await t.dispatch('DescribeKey', { KeyId: 'alias/no-such-key' }).catch(() => undefined);
      await signIn(page);
      await page.evaluate("location.hash = '#/audit'");
      const rows = page.getByRole('table', { name: 'Audit events' }).getByRole('row');

      await page.getByLabel('Outcome').selectOption('failure');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await expect.poll(() => rows.count()).toBeGreaterThan(1);
      for (const outcome of await rows.locator('td:nth-child(5)').allTextContents()) expect(outcome).not.toBe('Success');
      expect(await rows.locator('td:nth-child(2)').allTextContents()).toContain('DescribeKey');

      await page.getByRole('button', { name: 'Clear filters' }).click();
      await page.getByLabel('Event name').fill('GenerateRandom');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await expect.poll(() => rows.count()).toBe(51);
      await page.getByRole('button', { name: 'Older' }).click();
      await expect.poll(() => rows.count()).toBe(6);
      await page.getByText('Page 2').waitFor();
      expect(await page.getByRole('button', { name: 'Older' }).isDisabled()).toBe(true);
      await page.getByRole('button', { name: 'Newer' }).click();
      await expect.poll(() => rows.count()).toBe(51);
      expect(app.problems).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('says so at a glance when the stored chain was tampered with', async () => {
    const app = await openApp(browser);
    try {
      const { page, t } = app;
      await t.call('CreateKey', {});
      // what an attacker with the file can do: drop the append-only trigger and hide a record from the user filter
      const sql = "DROP TRIGGER audit_events_append_only_update; UPDATE audit_events SET user_name = 'nobody' WHERE seq = 1;";
      execFileSync('sqlite3', [join(t.dir, DB_FILE), sql]);
      await signIn(page);
      await page.evaluate("location.hash = '#/audit'");
      const verification = page.getByRole('status', { name: 'Audit chain verification' });
      await expect.poll(() => verification.textContent()).toMatch(/^Chain NOT valid: /);
      expect(await verification.getByRole('listitem').first().textContent()).toBe('#1 edited: record 1 was edited (its lookup columns no longer match its event)');
      await checkScreen(page, 'audit-invalid');
      expect(app.problems).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
