// The desktop app's ceremony operations (issue 13) in an AppSession over a
// real vault: RunCeremony runs a script file (or its text) as the signed-in
// operator with the witnesses' passphrases, reports progress per step, and
// writes the transcript and its printable form; VerifyCeremonyTranscript
// checks it offline with the files beside it, naming a changed step.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppSession } from '../../main/session/app-session.js';
import { refused } from '../support/kms.js';
import { ADMIN_PASSPHRASE } from '../support/vault.js';
import { ceremonyVault, CUSTODIANS, KSK_SCRIPT, WITNESSES } from '../ceremony/support.js';

let t: Awaited<ReturnType<typeof ceremonyVault>>;
let s: AppSession;
beforeEach(async () => {
  t = await ceremonyVault();
  s = new AppSession(t.vault, 'desktop', t.work);
  await s.run('SignIn', { UserName: 'admin', Passphrase: ADMIN_PASSPHRASE });
  writeFileSync(join(t.work, 'ksk.json'), JSON.stringify(KSK_SCRIPT));
});
afterEach(async () => t.close());

const witnesses = Object.entries(WITNESSES).map(([UserName, Passphrase]) => ({ UserName, Passphrase }));

describe('RunCeremony and VerifyCeremonyTranscript', () => {
  it('runs a script file with progress per step, writes the transcript and its report, and the transcript verifies', async () => {
    const progress: unknown[] = [];
    const out = await s.run('RunCeremony', { ScriptPath: 'ksk.json', OutDir: 'out', TranscriptPath: 'out/ksk.transcript.json', ReportPath: 'out/ksk.html', Witnesses: witnesses }, { onCeremonyProgress: (p) => progress.push(p) });
    expect(out).toEqual({
      Ceremony: 'KSK 2026',
      Status: 'complete',
      TranscriptPath: join(t.out, 'ksk.transcript.json'),
      ReportPath: join(t.out, 'ksk.html'),
      IndexSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      Steps: [
        { Id: 'ksk', Type: 'create-key', Status: 'done' },
        { Id: 'pub', Type: 'export-public-key', Status: 'done' },
        { Id: 'split', Type: 'split-recovery', Status: 'done' },
        { Id: 'audit', Type: 'verify-audit', Status: 'done' },
      ],
    });
    expect(progress).toEqual([
      { StepIndex: 0, StepCount: 4, StepId: 'ksk', Type: 'create-key', Phase: 'confirming' },
      { StepIndex: 0, StepCount: 4, StepId: 'ksk', Type: 'create-key', Phase: 'running' },
      { StepIndex: 0, StepCount: 4, StepId: 'ksk', Type: 'create-key', Phase: 'done' },
      { StepIndex: 1, StepCount: 4, StepId: 'pub', Type: 'export-public-key', Phase: 'running' },
      { StepIndex: 1, StepCount: 4, StepId: 'pub', Type: 'export-public-key', Phase: 'done' },
      { StepIndex: 2, StepCount: 4, StepId: 'split', Type: 'split-recovery', Phase: 'confirming' },
      { StepIndex: 2, StepCount: 4, StepId: 'split', Type: 'split-recovery', Phase: 'running' },
      { StepIndex: 2, StepCount: 4, StepId: 'split', Type: 'split-recovery', Phase: 'done' },
      { StepIndex: 3, StepCount: 4, StepId: 'audit', Type: 'verify-audit', Phase: 'running' },
      { StepIndex: 3, StepCount: 4, StepId: 'audit', Type: 'verify-audit', Phase: 'done' },
    ]);
    const html = readFileSync(join(t.out, 'ksk.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('Ceremony transcript: KSK 2026');
    for (const secret of [...Object.values(WITNESSES), ...Object.values(CUSTODIANS)]) expect(readFileSync(join(t.out, 'ksk.transcript.json'), 'utf8')).not.toContain(secret);

    const { PublicKey } = await t.call('GetAuditPublicKey', {});
    expect(await s.run('VerifyCeremonyTranscript', { TranscriptPath: 'out/ksk.transcript.json', PublicKey })).toEqual({
      Valid: true,
      Ceremony: 'KSK 2026',
      Account: t.admin.account,
      Status: 'complete',
      PublicKeySource: 'trusted',
      Steps: 4,
      FilesChecked: 4,
      FilesMissing: [],
      Problems: [],
    });
    // the transcript edited: the step is named
    const path = join(t.out, 'ksk.transcript.json');
    writeFileSync(path, readFileSync(path, 'utf8').replace('"Out": "ksk.pem"', '"Out": "other.pem"'));
    expect(await s.run('VerifyCeremonyTranscript', { TranscriptPath: path })).toMatchObject({
      Valid: false,
      PublicKeySource: 'file',
      Problems: [{ Step: 'pub', Part: 'step', Message: "step 'pub' was changed (inputs)" }],
    });
  });

  it("runs a script given as text (its relative paths start in OutDir); a witness's missing passphrase stops it before the step", async () => {
    const script = JSON.stringify({ ...KSK_SCRIPT, steps: [KSK_SCRIPT.steps[0], KSK_SCRIPT.steps[3]] });
    const out = await s.run('RunCeremony', { Script: script, OutDir: 'out', TranscriptPath: 'out/t.json', Witnesses: [] });
    expect(out).toMatchObject({ Status: 'incomplete', Steps: [{ Id: 'ksk', Status: 'failed', Error: { Name: 'AccessDeniedException', Message: expect.stringMatching(/Witness wendy gave no passphrase/) } }, { Id: 'audit', Status: 'not-run' }] });
    expect((await t.call('ListKeys', {})).Keys).toEqual([]);
    expect(await s.run('VerifyCeremonyTranscript', { TranscriptPath: 'out/t.json' })).toMatchObject({ Valid: true, Status: 'incomplete' });
  });

  it('runs a backup step: the session hands the ceremony its vault, and the transcript checks the backup file', async () => {
    const script = JSON.stringify({ ...KSK_SCRIPT, steps: [{ id: 'bak', type: 'backup', Out: 'vault.srb' }] });
    const out = await s.run('RunCeremony', { Script: script, OutDir: 'out', TranscriptPath: 'out/b.json', Witnesses: [] });
    expect(out).toMatchObject({ Status: 'complete', Steps: [{ Id: 'bak', Type: 'backup', Status: 'done' }] });
    expect(readFileSync(join(t.out, 'vault.srb')).subarray(0, 4).toString('latin1')).toBe('\x89SRB');
    expect(await s.run('VerifyCeremonyTranscript', { TranscriptPath: 'out/b.json' })).toMatchObject({ Valid: true, FilesChecked: 1, FilesMissing: [] });
  });

  it('refuses bad input before anything runs, and needs a signed-in session', async () => {
    await refused(s.dispatch('RunCeremony', { OutDir: 'out', TranscriptPath: 'out/t.json' }), 'ValidationException');
    await refused(s.dispatch('RunCeremony', { Script: '{}', ScriptPath: 'ksk.json', OutDir: 'out', TranscriptPath: 'out/t.json' }), 'ValidationException');
    const e = await refused(s.run('RunCeremony', { Script: JSON.stringify({ ...KSK_SCRIPT, steps: [{ id: 'b', type: 'snapshot' }] }), OutDir: 'out', TranscriptPath: 'out/t.json' }), 'ValidationException');
    expect(e.message).toMatch(/step 'b': unknown step type "snapshot"/);
    await refused(s.run('RunCeremony', { ScriptPath: 'ksk.json', OutDir: 'out', TranscriptPath: 'out/t.json', Witnesses: [{ UserName: 'mallory', Passphrase: 'x' }] }), 'ValidationException');
    await refused(s.run('VerifyCeremonyTranscript', { TranscriptPath: 'no-such-file.json' }), 'ValidationException');
    // a transcript that could not be written: refused before any step runs
    const before = (await t.call('LookupEvents', { EventName: 'CeremonyStep' })).Events.length;
    await refused(s.run('RunCeremony', { ScriptPath: 'ksk.json', OutDir: 'out', TranscriptPath: 'no-such-folder/t.json', Witnesses: witnesses }), 'ValidationException');
    expect((await t.call('LookupEvents', { EventName: 'CeremonyStep' })).Events.length).toBe(before);
    expect((await t.call('ListKeys', {})).Keys).toEqual([]);
    await s.run('SignOut', {});
    await refused(s.run('RunCeremony', { ScriptPath: 'ksk.json', OutDir: 'out', TranscriptPath: 'out/t.json' }), 'AccessDeniedException');
  });
});
