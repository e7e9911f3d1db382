// The Keys screen (#/keys) in Chromium over the real bridge and vault:
// search, filters and sorting agree with the keys the vault holds; it is
// usable by keyboard; its empty, error and region-switch states; and with
// thousands of keys only the rows in view are in the DOM, while scrolling to
// the end and filtering still reach every key.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutputOf } from '../../main/api/index.js';
import { checkScreen, launchChromium, openApp, signIn, type AppUnderTest } from '../support/e2e.js';
import { newUser, passphraseOf } from '../support/iam.js';
import { adminIn } from '../support/kms.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => browser?.close());

type Metadata = OutputOf<'DescribeKey'>['KeyMetadata'];

/** The key ids of the rows in the DOM, in order. */
const rowIds = (page: Page) => page.locator('tbody tr[data-key-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key-id')!));

/** Every key of the vault's admin in local-1, as DescribeKey says. */
async function vaultKeys(app: AppUnderTest): Promise<Metadata[]> {
  const { Keys } = await app.t.call('ListKeys', { Limit: 1000 });
  return Promise.all(Keys.map(async (k) => (await app.t.call('DescribeKey', { KeyId: k.KeyId })).KeyMetadata));
}

async function showsExactly(page: Page, ids: string[]): Promise<void> {
  await expect.poll(async () => (await rowIds(page)).toSorted()).toEqual(ids.toSorted());
}

/** Presses Tab until the focused element matches, or fails after `max` presses. */
async function tabTo(page: Page, matches: string, max = 40): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate<boolean>(`document.activeElement?.matches(${JSON.stringify(matches)}) ?? false`)) return;
  }
  throw new Error(`Tab never reached ${matches}`);
}

describe('the Keys screen', () => {
  it("search, filters and sorting agree with the vault's keys", async () => {
    const app = await openApp(browser);
    const { t, page } = app;
    try {
      const payroll = (await t.call('CreateKey', { Description: 'Payroll exports' })).KeyMetadata;
      const signer = (await t.call('CreateKey', { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY', Description: 'Release signing' })).KeyMetadata;
      const mac = (await t.call('CreateKey', { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' })).KeyMetadata;
      const external = (await t.call('CreateKey', { Origin: 'EXTERNAL', Description: 'Bring your own' })).KeyMetadata;
      const disabled = (await t.call('CreateKey', { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' })).KeyMetadata;
      const doomed = (await t.call('CreateKey', { Description: 'Old archive' })).KeyMetadata;
      await t.call('DisableKey', { KeyId: disabled.KeyId });
      await t.call('ScheduleKeyDeletion', { KeyId: doomed.KeyId, PendingWindowInDays: 7 });
      await t.call('CreateAlias', { AliasName: 'alias/salaries', TargetKeyId: payroll.KeyId });

      await signIn(page);
      await page.getByRole('heading', { name: 'Keys' }).waitFor();
      const keys = await vaultKeys(app);
      expect(keys).toHaveLength(6);
      await showsExactly(page, keys.map((k) => k.KeyId));
      await page.getByText('6 keys in local-1.').waitFor();
      // each row shows what the vault says of its key, and links to its detail screen
      const row = page.locator(`tr[data-key-id="${payroll.KeyId}"]`);
      expect(await row.locator('td').allTextContents()).toEqual(['alias/salaries', payroll.KeyId, 'Enabled', 'SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT', 'AWS_KMS', expect.any(String), 'Payroll exports']);
      expect(await row.getByRole('link').getAttribute('href')).toBe(`#/keys/${payroll.KeyId}`);
      await checkScreen(page, 'keys');

      const search = page.getByLabel('Search');
      // by alias, by part of a key id (any case), by description
      await search.fill('SALARIES');
      await showsExactly(page, [payroll.KeyId]);
      await search.fill(signer.KeyId.slice(9, 18).toUpperCase());
      await showsExactly(page, [signer.KeyId]);
      await search.fill('archive');
      await showsExactly(page, [doomed.KeyId]);
      await search.fill('no key is called this');
      await page.getByText('No keys match these filters.').waitFor();
      await page.getByText('0 of 6 keys match.').waitFor();
      await search.fill('');

      // each filter against the vault's own metadata
      const filters: [string, string, (k: Metadata) => boolean][] = [
        ['State', 'Disabled', (k) => k.KeyState === 'Disabled'],
        ['State', 'PendingDeletion', (k) => k.KeyState === 'PendingDeletion'],
        ['State', 'PendingImport', (k) => k.KeyState === 'PendingImport'],
        ['Spec', 'RSA_2048', (k) => k.KeySpec === 'RSA_2048'],
        ['Usage', 'SIGN_VERIFY', (k) => k.KeyUsage === 'SIGN_VERIFY'],
        ['Usage', 'GENERATE_VERIFY_MAC', (k) => k.KeyUsage === 'GENERATE_VERIFY_MAC'],
        ['Origin', 'EXTERNAL', (k) => k.Origin === 'EXTERNAL'],
      ];
      for (const [label, value, wanted] of filters) {
        await page.getByLabel(label, { exact: true }).selectOption(value);
        const expected = keys.filter(wanted).map((k) => k.KeyId);
        expect(expected.length).toBeGreaterThan(0);
        await showsExactly(page, expected);
        await page.getByLabel(label, { exact: true }).selectOption('');
      }
      expect(keys.filter((k) => k.KeyUsage === 'SIGN_VERIFY').map((k) => k.KeyId).toSorted()).toEqual([signer.KeyId, disabled.KeyId].toSorted());
      expect(keys.find((k) => k.KeyId === mac.KeyId)!.KeySpec).toBe('HMAC_256');
      expect(keys.find((k) => k.KeyId === external.KeyId)!.KeyState).toBe('PendingImport');
      // filters combine: enabled symmetric keys
      await page.getByLabel('State', { exact: true }).selectOption('Enabled');
      await page.getByLabel('Spec', { exact: true }).selectOption('SYMMETRIC_DEFAULT');
      await showsExactly(page, keys.filter((k) => k.KeyState === 'Enabled' && k.KeySpec === 'SYMMETRIC_DEFAULT').map((k) => k.KeyId));
      await page.getByRole('button', { name: 'Clear filters' }).click();
      await showsExactly(page, keys.map((k) => k.KeyId));

      // sorting: ascending, descending, then back to the vault's order
      const header = page.getByRole('columnheader', { name: 'Key id' });
      await header.getByRole('button').click();
      expect(await header.getAttribute('aria-sort')).toBe('ascending');
      expect(await rowIds(page)).toEqual(keys.map((k) => k.KeyId).toSorted());
      await header.getByRole('button').click();
      expect(await header.getAttribute('aria-sort')).toBe('descending');
      expect(await rowIds(page)).toEqual(keys.map((k) => k.KeyId).toSorted().reverse());
      const description = page.getByRole('columnheader', { name: 'Description' });
      await description.getByRole('button').click();
      expect(await header.getAttribute('aria-sort')).toBe('none');
      const byDescription = await page.locator('tbody tr[data-key-id] td:nth-child(8)').allTextContents();
      expect(byDescription).toEqual(keys.map((k) => k.Description).toSorted((a, b) => a.localeCompare(b)));
      expect(app.problems).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('every control is reached and used by keyboard', async () => {
    const app = await openApp(browser);
    const { t, page } = app;
    try {
      const a = (await t.call('CreateKey', { Description: 'first' })).KeyMetadata;
      const b = (await t.call('CreateKey', { Description: 'second' })).KeyMetadata;
      await signIn(page);
      await showsExactly(page, [a.KeyId, b.KeyId]);
      await page.getByRole('link', { name: 'Keys' }).focus();
      await tabTo(page, 'a[href="#/create-key"]');
      await tabTo(page, 'input[list="known-regions"]');
      await tabTo(page, 'input[type="text"]:not([list])');
      await page.keyboard.type('second');
      await showsExactly(page, [b.KeyId]);
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Backspace');
      await tabTo(page, 'select');
      await tabTo(page, '.key-scroll');
      // the sort buttons in the headers, then the rows' links
      await tabTo(page, 'th:nth-child(8) button.sort');
      await page.keyboard.press('Enter');
      expect(await page.getByRole('columnheader', { name: 'Description' }).getAttribute('aria-sort')).toBe('ascending');
      await page.keyboard.press('Enter');
      expect(await page.getByRole('columnheader', { name: 'Description' }).getAttribute('aria-sort')).toBe('descending');
      await tabTo(page, 'tbody a');
      expect(await page.evaluate<string>('document.activeElement.textContent')).toBe(b.KeyId);
      // Enter follows the link to the key's detail screen (the routes the hash went through are recorded: #/keys/<id> is another screen's)
      await page.evaluate("window.__hashes = []; addEventListener('hashchange', (e) => window.__hashes.push(new URL(e.newURL).hash))");
      await page.keyboard.press('Enter');
      await expect.poll(() => page.evaluate<string[]>('window.__hashes')).toContain(`#/keys/${b.KeyId}`);
      expect(app.problems).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('empty and error states; switching region shows that region’s keys', async () => {
    const app = await openApp(browser);
    const { t, page } = app;
    try {
      await newUser(t, 'otto'); // no policy: may not even ListKeys
      await signIn(page, 'otto', passphraseOf('otto'));
      await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/^AccessDeniedException: User: .*otto is not authorized to perform: kms:List(Keys|Aliases)/); // the screen reads both at once: whichever is refused first
      await page.getByRole('button', { name: 'Try again' }).waitFor();
      await checkScreen(page, 'keys-error');
      await page.getByRole('button', { name: 'Sign out' }).click();

      await signIn(page);
      await page.getByText('No keys in this region yet.').waitFor();
      await checkScreen(page, 'keys-empty');
      const elsewhere = await adminIn(t, 'eu-west-9');
      const far = (await t.call('CreateKey', { Description: 'far away' }, elsewhere)).KeyMetadata;

      const region = page.getByLabel('Region', { exact: true });
      await region.fill('Not A Region');
      await page.getByRole('button', { name: 'Switch region' }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/^ValidationException: Region 'Not A Region' is not valid/);

      await region.fill('eu-west-9');
      await page.getByRole('button', { name: 'Switch region' }).click();
      await showsExactly(page, [far.KeyId]);
      await page.getByText('Now in eu-west-9').waitFor();
      await page.getByText(/admin · \d{12} · eu-west-9/).waitFor();
      // the main side's session moved too: what the page now runs is in eu-west-9
      expect(await page.evaluate("window.strongroom.call('GetSession', {})")).toMatchObject({ ok: true, value: { Session: { Region: 'eu-west-9' } } });

      await region.fill('local-1');
      await page.getByRole('button', { name: 'Switch region' }).click();
      await page.getByText('No keys in this region yet.').waitFor();
      expect(app.problems).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('10,000 keys: only the rows in view are in the DOM; scrolling reaches the last key and a filter finds every match', async () => {
    const app = await openApp(browser);
    const { t, page } = app;
    try {
      const N = 10_000;
      const expected: string[] = [];
      let next = 0;
      // seeded through the service, 16 calls in flight (about 25 s here)
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          while (next < N) {
            const i = next++;
            const { KeyMetadata } = await t.call('CreateKey', i % 10 === 0 ? { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC', Description: `mac ${i}` } : { Description: `bulk ${i}` });
            if (KeyMetadata.KeyUsage === 'GENERATE_VERIFY_MAC') expected.push(KeyMetadata.KeyId);
          }
        }),
      );
      const ids: string[] = [];
      for (let marker: string | undefined, first = true; first || marker; first = false) {
        const page = await t.call('ListKeys', { Limit: 1000, ...(marker ? { Marker: marker } : {}) });
        ids.push(...page.Keys.map((k) => k.KeyId));
        marker = page.NextMarker;
      }
      expect(ids).toHaveLength(N);

      await signIn(page);
      await page.getByText('10,000 keys in local-1.').waitFor({ timeout: 60_000 });
      const rendered = await rowIds(page);
      expect(rendered.length).toBeGreaterThan(5);
      expect(rendered.length).toBeLessThan(80);
      expect(rendered).toEqual(ids.slice(0, rendered.length));
      expect(await page.locator('table.key-table').getAttribute('aria-rowcount')).toBe(String(N + 1));

      // scroll to the end: the last key is there, with its place in the table
      await page.locator('.key-scroll').evaluate((el) => el.scrollTo(0, el.scrollHeight));
      await expect.poll(async () => (await rowIds(page)).at(-1)).toBe(ids.at(-1));
      expect(await page.locator(`tr[data-key-id="${ids.at(-1)}"]`).getAttribute('aria-rowindex')).toBe(String(N + 1));
      expect((await rowIds(page)).length).toBeLessThan(80);

      // a filter over all 10,000: every HMAC key and nothing else (scrolling through the filtered list)
      await page.getByLabel('Usage', { exact: true }).selectOption('GENERATE_VERIFY_MAC');
      await page.getByText('1,000 of 10,000 keys match.').waitFor();
      const seen = new Set<string>();
      const scroller = page.locator('.key-scroll');
      await scroller.evaluate((el) => el.scrollTo(0, 0));
      for (let y = 0; ; y += 600) {
        await scroller.evaluate((el, top) => el.scrollTo(0, top), y);
        await page.waitForTimeout(30);
        for (const id of await rowIds(page)) seen.add(id);
        if (await scroller.evaluate((el) => el.scrollTop + el.clientHeight >= el.scrollHeight - 1)) break;
      }
      await page.waitForTimeout(50);
      for (const id of await rowIds(page)) seen.add(id);
      expect(expected).toHaveLength(1000);
      expect([...seen].toSorted()).toEqual(expected.toSorted());
      expect(app.problems).toEqual([]);
    } finally {
      await app.close();
    }
  }, 300_000);
});
