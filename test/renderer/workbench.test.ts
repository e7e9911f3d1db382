// The workbench (#/workbench) in Chromium over the real bridge and vault:
// text encrypted in the page decrypts outside it and the other way round,
// with an encryption context; data keys (plaintext only on request, copied
// through the app's clipboard), signatures and MACs; files chosen with the
// file dialogs (ChooseFiles: open, folder and save, answered here as a
// person would) or dropped (pathForFile), encrypted and decrypted with
// progress shown, and a cancelled job leaving no output file.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkScreen, launchChromium, openApp, signIn, type AppUnderTest } from '../support/e2e.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => browser?.close());

async function openWorkbench(app: AppUnderTest): Promise<void> {
  await signIn(app.page);
  await app.page.getByRole('link', { name: 'Workbench' }).click();
  await app.page.getByRole('heading', { name: 'Workbench', level: 1 }).waitFor();
}

const form = (page: Page, name: string) => page.getByRole('form', { name });
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

describe('workbench: text', () => {
  it('encrypts text the vault decrypts, decrypts what the vault encrypted, both with an encryption context; a wrong context is named', async () => {
    const app = await openApp(browser);
    try {
      const { page, t } = app;
      const { KeyMetadata } = await t.call('CreateKey', {});
      await t.call('CreateAlias', { AliasName: 'alias/bench', TargetKeyId: KeyMetadata.KeyId });
      await openWorkbench(app);
      await checkScreen(page, 'workbench');

      const enc = form(page, 'Encrypt text');
      await enc.getByLabel('Key', { exact: true }).fill('alias/bench');
      await enc.getByLabel('Plaintext').fill('the payroll for November ✓');
      await enc.getByRole('button', { name: 'Add pair' }).click();
      await enc.getByLabel('Encryption context key 1').fill('purpose');
      await enc.getByLabel('Encryption context value 1').fill('payroll');
      await enc.getByRole('button', { name: 'Encrypt', exact: true }).click();
      const out = enc.getByLabel('Ciphertext (base64)');
      await out.waitFor();
      const blob = new Uint8Array(Buffer.from(await out.inputValue(), 'base64'));
      const decrypted = await t.call('Decrypt', { CiphertextBlob: blob, EncryptionContext: { purpose: 'payroll' } });
      expect(Buffer.from(decrypted.Plaintext).toString('utf8')).toBe('the payroll for November ✓');
      expect(decrypted.KeyId).toBe(KeyMetadata.Arn);

      // a ciphertext made outside the page
      const made = await t.call('Encrypt', { KeyId: KeyMetadata.KeyId, Plaintext: Buffer.from('made by the CLI'), EncryptionContext: { team: 'finance' } });
      const dec = form(page, 'Decrypt text');
      await dec.getByLabel('Ciphertext (base64)').fill(b64(made.CiphertextBlob));
      await dec.getByRole('button', { name: 'Decrypt', exact: true }).click();
      await expect.poll(() => dec.getByRole('alert').textContent()).toMatch(/^InvalidCiphertextException: /);
      await dec.getByRole('button', { name: 'Add pair' }).click();
      await dec.getByLabel('Encryption context to decrypt with key 1').fill('team');
      await dec.getByLabel('Encryption context to decrypt with value 1').fill('finance');
      await dec.getByRole('button', { name: 'Decrypt', exact: true }).click();
      await expect.poll(() => dec.getByLabel('Decrypted text').inputValue()).toBe('made by the CLI');
      await checkScreen(page, 'workbench-text');
      expect(app.problems).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('an RSA key offers its algorithms: text encrypted with the one chosen, decrypted by the vault and, with the key named, by the page', async () => {
    const app = await openApp(browser);
    try {
      const { page, t } = app;
      const { KeyMetadata } = await t.call('CreateKey', { KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' });
      await openWorkbench(app);
      const enc = form(page, 'Encrypt text');
      await enc.getByLabel('Key', { exact: true }).fill(KeyMetadata.KeyId);
      const algorithm = enc.getByLabel('Encryption algorithm');
      await expect.poll(() => algorithm.locator('option').allTextContents()).toEqual(['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256']);
      await algorithm.selectOption('RSAES_OAEP_SHA_1');
      await enc.getByLabel('Plaintext').fill('a short secret');
      await enc.getByRole('button', { name: 'Encrypt', exact: true }).click();
      const out = enc.getByLabel('Ciphertext (base64)');
      await out.waitFor();
      const blob = new Uint8Array(Buffer.from(await out.inputValue(), 'base64'));
      expect(blob.length).toBe(256);
      // the algorithm chosen is the one used: OAEP with SHA-256 does not open it
      await expect(t.call('Decrypt', { CiphertextBlob: blob, KeyId: KeyMetadata.KeyId, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })).rejects.toMatchObject({ name: 'InvalidCiphertextException' });
      const opened = await t.call('Decrypt', { CiphertextBlob: blob, KeyId: KeyMetadata.KeyId, EncryptionAlgorithm: 'RSAES_OAEP_SHA_1' });
      expect(Buffer.from(opened.Plaintext).toString('utf8')).toBe('a short secret');

      await enc.getByRole('button', { name: 'Use to decrypt' }).click();
      const dec = form(page, 'Decrypt text');
      expect(await dec.getByLabel('Key, for an RSA ciphertext (optional)').inputValue()).toBe(KeyMetadata.KeyId);
      await expect.poll(() => dec.getByLabel('Encryption algorithm').inputValue()).toBe('RSAES_OAEP_SHA_1');
      await dec.getByRole('button', { name: 'Decrypt', exact: true }).click();
      await expect.poll(() => dec.getByLabel('Decrypted text').inputValue()).toBe('a short secret');
      expect(app.problems).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('data keys show their plaintext only on request and copy through the clipboard; signatures and MACs verify', async () => {
    const copied: string[] = [];
    const app = await openApp(browser, { desktop: { clipboard: { copy: async (text) => void copied.push(text) } } });
    try {
      const { page, t } = app;
      const symmetric = (await t.call('CreateKey', {})).KeyMetadata.KeyId;
      const signing = (await t.call('CreateKey', { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' })).KeyMetadata.KeyId;
      const hmac = (await t.call('CreateKey', { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' })).KeyMetadata.KeyId;
      await openWorkbench(app);

      const dk = form(page, 'Generate a data key');
      await dk.getByLabel('Key', { exact: true }).fill(symmetric);
      await dk.getByRole('button', { name: 'Generate data key' }).click();
      const encrypted = dk.getByLabel('Encrypted data key (base64)');
      await encrypted.waitFor();
      await dk.getByText('Hidden.', { exact: false }).waitFor();
      await dk.getByRole('button', { name: 'Copy plaintext data key' }).click();
      await expect.poll(() => copied.length).toBe(1);
      const plaintext = copied[0]!;
      expect(await page.content()).not.toContain(plaintext); // not on the page until asked for
      await dk.getByRole('button', { name: 'Show plaintext' }).click();
      await expect.poll(() => dk.getByLabel('Plaintext data key (base64)').textContent()).toBe(plaintext);
      const unwrapped = await t.call('Decrypt', { CiphertextBlob: new Uint8Array(Buffer.from(await encrypted.inputValue(), 'base64')) });
      expect(b64(unwrapped.Plaintext)).toBe(plaintext);
      expect(unwrapped.Plaintext).toHaveLength(32);

      const sign = form(page, 'Sign and verify');
      await sign.getByLabel('Key', { exact: true }).fill(signing);
      await expect.poll(() => sign.getByLabel('Signing algorithm').inputValue()).toBe('ECDSA_SHA_256');
      await sign.getByLabel('Message').fill('pay 100 to bob');
      await sign.getByRole('button', { name: 'Sign', exact: true }).click();
      await expect.poll(() => sign.getByLabel('Signature (base64)').inputValue()).not.toBe('');
      const signature = new Uint8Array(Buffer.from(await sign.getByLabel('Signature (base64)').inputValue(), 'base64'));
      expect((await t.call('Verify', { KeyId: signing, Message: Buffer.from('pay 100 to bob'), Signature: signature, SigningAlgorithm: 'ECDSA_SHA_256' })).SignatureValid).toBe(true);
      await sign.getByRole('button', { name: 'Verify', exact: true }).click();
      await sign.getByText('The signature is valid (ECDSA_SHA_256).').waitFor();
      await sign.getByLabel('Message').fill('pay 900 to bob');
      await sign.getByRole('button', { name: 'Verify', exact: true }).click();
      await expect.poll(() => sign.getByRole('alert').textContent()).toMatch(/^KMSInvalidSignatureException: /);

      const mac = form(page, 'MACs');
      await mac.getByLabel('Key', { exact: true }).fill(hmac);
      await mac.getByText('MAC algorithm: HMAC_SHA_256').waitFor();
      await mac.getByLabel('Message').fill('ledger line 7');
      await mac.getByRole('button', { name: 'Generate MAC' }).click();
      await expect.poll(() => mac.getByLabel('MAC (base64)').inputValue()).not.toBe('');
      const { Mac } = await t.call('GenerateMac', { KeyId: hmac, Message: Buffer.from('ledger line 7'), MacAlgorithm: 'HMAC_SHA_256' });
      expect(await mac.getByLabel('MAC (base64)').inputValue()).toBe(b64(Mac));
      await mac.getByRole('button', { name: 'Verify MAC' }).click();
      await mac.getByText('The MAC is valid.').waitFor();
      await checkScreen(page, 'workbench-keys');
      expect(app.problems).toEqual([]);
    } finally {
      await app.close();
    }
  });
});

describe('workbench: files', () => {
  /** Records, in the page, every status line a running job shows (a fast job may come and go between two polls). */
  const recordJobStatus = (page: Page) =>
    page.evaluate(`window.jobStatus = []; new MutationObserver(() => {
      const s = document.querySelector('[data-testid=job-status]');
      if (s && document.querySelector('progress#file-progress')) window.jobStatus.push(s.textContent);
    }).observe(document.body, { subtree: true, childList: true, characterData: true })`);

  it('a file chosen with the file dialog encrypts into the chosen folder with progress shown, and decrypts back to the file Save as names; a dropped file is taken by its path', async () => {
    let answer: string[] = [];
    const asked: unknown[] = [];
    const app = await openApp(browser, {
      chooseFiles: async (request, windowId) => (asked.push([request, windowId]), answer),
      droppedFilePaths: { 'dropped.txt': '/nonexistent/dropped.txt' },
    });
    try {
      const { page, t } = app;
      const { KeyMetadata } = await t.call('CreateKey', {});
      await t.call('CreateAlias', { AliasName: 'alias/files', TargetKeyId: KeyMetadata.KeyId });
      const original = randomBytes(3 * 1024 * 1024 + 17);
      const input = join(t.dir, 'ledger.bin');
      writeFileSync(input, original);
      const sealed = join(t.dir, 'sealed');
      const back = join(t.dir, 'back');
      mkdirSync(back);
      await openWorkbench(app);
      const files = form(page, 'Encrypt or decrypt files');

      // dropping: the page gets the path from the preload's pathForFile; a File that is no file on disk is named
      const dropped = await page.evaluateHandle(`(() => {
        const d = new DataTransfer();
        d.items.add(new File(['x'], 'dropped.txt'));
        d.items.add(new File(['y'], 'made-in-the-page.txt'));
        return d;
      })()`);
      await files.getByTestId('drop-zone').dispatchEvent('drop', { dataTransfer: dropped });
      await files.getByRole('list', { name: 'Input files' }).getByText('/nonexistent/dropped.txt').waitFor();
      await expect.poll(() => files.getByRole('alert').textContent()).toBe('ValidationException: made-in-the-page.txt: not a file on disk; drop files from your file manager.');
      await files.getByRole('button', { name: 'Remove /nonexistent/dropped.txt' }).click();

      answer = [input];
      await files.getByRole('button', { name: 'Choose files…' }).click();
      await files.getByRole('list', { name: 'Input files' }).getByText(input).waitFor();
      answer = [sealed];
      await files.getByRole('button', { name: 'Choose folder…' }).click();
      await expect.poll(() => files.getByLabel('Output folder').inputValue()).toBe(sealed);
      expect(asked).toEqual([
        [{ Purpose: 'open', Multiple: true, Title: 'Files to encrypt' }, expect.any(Number)],
        [{ Purpose: 'open', Directory: true, Title: 'Output folder' }, expect.any(Number)],
      ]);
      await files.getByLabel('Key', { exact: true }).fill('alias/files');
      await files.getByRole('button', { name: 'Add pair' }).click();
      await files.getByLabel('File encryption context key 1').fill('ledger');
      await files.getByLabel('File encryption context value 1').fill('2026');
      await recordJobStatus(page);
      await files.getByRole('button', { name: 'Encrypt files' }).click();
      await files.getByText('Encrypted 1 file:').waitFor();
      const shown = await page.evaluate<string[]>('window.jobStatus');
      expect(shown.some((s) => /^[\d.]+ (B|KiB|MiB) of 3\.0 MiB · [\d.]+ (B|KiB|MiB|GiB)\/s$/.test(s) && !s.startsWith('0 B'))).toBe(true);
      expect(readdirSync(sealed)).toEqual(['ledger.bin.sr']);
      await checkScreen(page, 'workbench-files');

      await files.getByLabel('Decrypt files').check();
      await files.getByRole('button', { name: `Remove ${input}` }).click();
      answer = [join(sealed, 'ledger.bin.sr')];
      await files.getByRole('button', { name: 'Choose files…' }).click();
      // one input: the save dialog may name the one output file (Out) instead of a folder
      answer = [join(back, 'ledger.copy')];
      await files.getByRole('button', { name: 'Save as…' }).click();
      await expect.poll(() => files.getByLabel('Output file').textContent()).toBe(join(back, 'ledger.copy'));
      expect(asked.at(-1)).toEqual([{ Purpose: 'save', Title: 'Save the decrypted file as', DefaultPath: 'ledger.bin' }, expect.any(Number)]);
      await files.getByRole('button', { name: 'Decrypt files' }).click();
      await files.getByText('Decrypted 1 file:').waitFor();
      expect(readdirSync(back)).toEqual(['ledger.copy']);
      expect(readFileSync(join(back, 'ledger.copy')).equals(original)).toBe(true);
      expect(app.problems).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('Cancel on the first progress stops a big job and leaves no output file', async () => {
    let answer: string[] = [];
    const app = await openApp(browser, { chooseFiles: async () => answer });
    try {
      const { page, t } = app;
      const { KeyMetadata } = await t.call('CreateKey', {});
      const input = join(t.dir, 'big.bin');
      writeFileSync(input, '');
      truncateSync(input, 2 * 1024 * 1024 * 1024); // 2 GiB, sparse: far more than can be encrypted before the cancel lands
      const out = join(t.dir, 'out');
      await openWorkbench(app);
      const files = form(page, 'Encrypt or decrypt files');
      answer = [input];
      await files.getByRole('button', { name: 'Choose files…' }).click();
      answer = [out];
      await files.getByRole('button', { name: 'Choose folder…' }).click();
      await files.getByLabel('Key', { exact: true }).fill(KeyMetadata.KeyId);
      // in the page, at once: Cancel is pressed as soon as the first progress shows
      await page.evaluate(`new MutationObserver((_, observer) => {
        const cancel = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Cancel');
        if (cancel && document.querySelector('[data-testid=job-status]')?.textContent.endsWith('/s')) { observer.disconnect(); window.cancelledAt = document.querySelector('[data-testid=job-status]').textContent; cancel.click(); }
      }).observe(document.body, { subtree: true, childList: true, characterData: true })`);
      await files.getByRole('button', { name: 'Encrypt files' }).click();
      await expect.poll(() => files.getByRole('alert').textContent(), { timeout: 20_000 }).toBe('AbortError: The job was cancelled; the file it was writing was removed.');
      expect(await page.evaluate<string>('window.cancelledAt')).toMatch(/ of 2\.0 GiB · /);
      expect(readdirSync(out)).toEqual([]);
      expect(readdirSync(t.dir).filter((f) => f.includes('big') && f !== 'big.bin')).toEqual([]);
      await checkScreen(page, 'workbench-files-cancelled');
      expect(app.problems).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
