// The ceremony screen in Chromium over the real bridge and vault (issue 13):
// the operator runs a script file chosen in the desktop's dialog — a
// signing key confirmed by witness wendy, its public key exported, the
// trail verified — and sees each step's phase as it happens, then the
// result, the transcript and the index hash its audit record holds. The
// transcript then verifies on the screen with the tenant's audit key; after
// one step is edited on disk, the screen names that step. A wrong witness
// passphrase (the script pasted this time) stops the ceremony at the step
// she confirms: incomplete, with the error saying who could not confirm.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestHash } from '../../main/core/audit/digest.js';
import type { Transcript } from '../../main/ceremony/transcript.js';
import { checkScreen, launchChromium, openApp, signIn } from '../support/e2e.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => browser?.close());

const WENDY = 'passphrase of wendy 1';
const SCRIPT = `ceremony: Signing key 2026
operator: admin
witnesses: [wendy]
steps:
  - id: ksk
    type: create-key
    KeySpec: ECC_NIST_P256
    KeyUsage: SIGN_VERIFY
    Alias: alias/signing-2026
    confirm: [wendy]
  - id: pub
    type: export-public-key
    Key: ksk
    Format: pem
    Out: ksk.pem
  - id: audit
    type: verify-audit
`;

/** The steps table as the page shows it: [step, type, state] per row. */
const stepRows = (page: Page) =>
  page.evaluate<string[][]>(`[...document.querySelectorAll('table[aria-label="Ceremony steps"] tbody tr')].map((r) =>
    [...r.querySelectorAll('td')].slice(1).map((td) => (td.querySelector('.state') ?? td).textContent))`);

/** Records every state the live line and the steps table show, from now on, as the page renders them: "live line | step=state …". */
async function watchProgress(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(`(() => {
    const seen = (window.seen = []);
    const snapshot = () => {
      const live = document.querySelector('[data-testid="ceremony-live"]')?.textContent ?? '';
      const rows = [...document.querySelectorAll('.ceremony-steps tbody tr')].map((r) => r.children[1].textContent + '=' + r.querySelector('.state').textContent);
      const line = live + ' | ' + rows.join(' ');
      if (seen.at(-1) !== line) seen.push(line);
    };
    new MutationObserver(snapshot).observe(document.body, { subtree: true, childList: true, characterData: true });
  })()`);
  return () => page.evaluate<string[]>('window.seen');
}

describe('the ceremony screen', () => {
  it('runs a script with a witness and live step progress, verifies its transcript, names an edited step, and stops on a wrong witness passphrase', async () => {
    const paths: Record<string, string> = {};
    const app = await openApp(browser, {
      // the desktop's dialogs, answered as a person would: by what each asks for
      chooseFiles: async (request) => {
        if (request.Title === 'Save the transcript as') return [request.DefaultPath!];
        const chosen = { 'Ceremony script': paths.script, 'Output folder of the ceremony': paths.out }[request.Title ?? ''];
        return chosen ? [chosen] : [];
      },
    });
    try {
      const { page, t } = app;
      paths.script = join(t.dir, 'signing.yaml');
      paths.out = join(t.dir, 'ceremony-out');
      await writeFile(paths.script, SCRIPT);
      await t.call('CreateUser', { UserName: 'wendy' });
      await t.call('CreateLoginProfile', { UserName: 'wendy', Password: WENDY });

      await signIn(page);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Ceremony' }).click();
      await page.getByRole('heading', { name: 'Ceremonies', level: 1 }).waitFor();
      await checkScreen(page, 'ceremony');

      // nothing chosen yet: named, nothing runs
      await page.getByRole('button', { name: 'Run the ceremony' }).click();
      await page.getByText('ValidationException: Choose the script file, or paste the script.').waitFor();

      const run = page.getByRole('form', { name: 'Run a ceremony' });
      await run.getByRole('button', { name: 'Choose file… (Script file)' }).click();
      await expect.poll(() => run.getByRole('textbox', { name: 'Script file' }).inputValue()).toBe(paths.script);
      await run.getByRole('button', { name: 'Choose folder… (Output folder)' }).click();
      await expect.poll(() => run.getByLabel('Output folder').inputValue()).toBe(paths.out);
      // the save dialog proposes transcript.json in the output folder; taken as proposed
      await run.getByRole('button', { name: 'Save as… (Transcript)' }).click();
      const transcriptPath = join(paths.out, 'transcript.json');
      await expect.poll(() => run.getByLabel('Transcript', { exact: true }).inputValue()).toBe(transcriptPath);
      await run.getByLabel('Report (optional)').fill(join(paths.out, 'report.html'));
      await run.getByLabel('Witness 1 user name').fill('wendy');
      await run.getByLabel('Witness 1 passphrase').fill(WENDY);

      const seen = await watchProgress(page);
      await run.getByRole('button', { name: 'Run the ceremony' }).click();
      const result = page.getByRole('status', { name: 'Ceremony result' });
      await result.getByText('Signing key 2026: complete').waitFor();
      expect(await stepRows(page)).toEqual([
        ['ksk', 'create-key', 'Done'],
        ['pub', 'export-public-key', 'Done'],
        ['audit', 'verify-audit', 'Done'],
      ]);
      // the page showed each step as it went: the live line per phase, the later steps still waiting
      const states = await seen();
      // (how many renders a burst of events takes is the browser's affair: the phases each step went through are in ceremony-run.test.ts)
      const inProgress = states.findIndex((l) => /^Step 1 of 3, ksk \(create-key\): (Witnesses confirming…|Running…) \| ksk=(Witnesses confirming…|Running…) —=Waiting —=Waiting$/.test(l));
      const firstDone = states.findIndex((l) => /^Step [12] of 3, .* \| ksk=Done .*—=Waiting$/.test(l));
      const lastStep = states.findIndex((l) => /^Step 3 of 3, audit \(verify-audit\): (Running…|Done) \| /.test(l));
      expect([inProgress >= 0, firstDone > inProgress, lastStep > firstDone], states.join('\n')).toEqual([true, true, true]);
      expect(states.at(-1)).toBe(' | ksk=Done pub=Done audit=Done');
      // the witness's passphrase is not kept after the run
      expect(await run.getByLabel('Witness 1 passphrase').inputValue()).toBe('');

      // the transcript and report are on disk; the hash shown is the signed index's
      const transcript = JSON.parse(await readFile(transcriptPath, 'utf8')) as Transcript;
      expect(transcript.header.status).toBe('complete');
      expect(transcript.steps.find((s) => s.id === 'ksk')!.confirmations.map((c) => c.userName)).toEqual(['wendy']);
      expect(await page.getByTestId('index-sha256').textContent()).toBe(digestHash(transcript.index));
      expect(await readFile(join(paths.out, 'report.html'), 'utf8')).toMatch(/^<!DOCTYPE html>/i);
      expect(await result.textContent()).toContain(transcriptPath);
      await checkScreen(page, 'ceremony-run');

      // verify it on the screen, with this tenant's audit key as the trusted one
      await result.getByRole('button', { name: 'Verify this transcript' }).click();
      const verify = page.getByRole('form', { name: 'Verify a transcript' });
      await expect.poll(() => verify.getByLabel('Transcript file').inputValue()).toBe(transcriptPath);
      await verify.getByRole('button', { name: 'Use this tenant’s audit key' }).click();
      const { PublicKey } = await t.call('GetAuditPublicKey', {});
      await expect.poll(() => verify.getByLabel('Trusted audit public key (PEM, optional)').inputValue()).toBe(PublicKey);
      await verify.getByRole('button', { name: 'Verify the transcript' }).click();
      const verdict = page.getByRole('status', { name: 'Transcript verification' });
      await verdict.getByText('Transcript valid', { exact: true }).waitFor();
      expect(await verdict.textContent()).toMatch(/Signing key 2026 \(complete\), account \d{12}\. 3 steps; 1 file checked\.Signed with the trusted audit key: the transcript comes from that tenant\.$/);
      await checkScreen(page, 'ceremony-verify');

      // one step edited on disk: the screen names it
      const edited = structuredClone(transcript);
      edited.steps.find((s) => s.id === 'pub')!.inputs = { ...edited.steps.find((s) => s.id === 'pub')!.inputs, Format: 'der' };
      await writeFile(transcriptPath, JSON.stringify(edited));
      await verify.getByRole('button', { name: 'Verify the transcript' }).click();
      await verdict.getByText('Transcript NOT valid').waitFor();
      expect(await verdict.getByRole('list', { name: 'Problems' }).locator('li').allTextContents()).toEqual(["Step 'pub' was changed (inputs)."]);
      await checkScreen(page, 'ceremony-verify-edited');

      // the script pasted this time, and a wrong witness passphrase: the ceremony stops at wendy's step, incomplete, and says who could not confirm
      await run.getByRole('radio', { name: 'Paste the script' }).check();
      await run.getByLabel('Script (JSON or YAML)').fill(SCRIPT);
      await run.getByLabel('Transcript', { exact: true }).fill(join(paths.out, 'second.json'));
      await run.getByLabel('Report (optional)').fill('');
      await run.getByLabel('Witness 1 passphrase').fill('not the passphrase of wendy');
      await run.getByRole('button', { name: 'Run the ceremony' }).click();
      await result.getByText('Signing key 2026: incomplete').waitFor();
      expect(await result.textContent()).toContain("step 'ksk' failed, and the steps after it did not run");
      expect(await stepRows(page)).toEqual([
        ['ksk', 'create-key', 'Failed'],
        ['pub', 'export-public-key', 'Not run'],
        ['audit', 'verify-audit', 'Not run'],
      ]);
      await page
        .getByRole('table', { name: 'Ceremony steps' })
        .getByText("AccessDeniedException: Witness wendy could not confirm step 'ksk': Sign-in failed: unknown tenant or user, or wrong passphrase. The step did not run.")
        .waitFor();
      const second = JSON.parse(await readFile(join(paths.out, 'second.json'), 'utf8')) as Transcript;
      expect(second.header).toMatchObject({ status: 'incomplete', failure: { step: 'ksk', error: { name: 'AccessDeniedException' } } });
      // only the first run's key exists
      expect((await t.call('ListKeys', {})).Keys).toHaveLength(1);
      await checkScreen(page, 'ceremony-incomplete');
      expect(app.problems).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
