// Ceremony scripts run end to end against a real vault (issue 13): a
// signing key with an alias, its public key to a file, a 2-of-3 recovery
// split among passphrase-file custodians, a backup of the vault (which the
// split's shares open), the trail verified; the signed
// transcript verifies offline with the files beside it, lists the audit
// records each step produced (as the tenant's trail holds them), and never
// holds a passphrase. Witnesses confirm with their own passphrases; a wrong
// one stops the ceremony before the step; a failed step yields a signed,
// incomplete transcript.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { digestHash } from '../../main/core/audit/digest.js';
import { newAuditSigningKey } from '../../main/core/audit/digest.js';
import { restoreBackup } from '../../main/backup/restore.js';
import { transcriptReport } from '../../main/ceremony/report.js';
import { runCeremony, type CeremonyProgress } from '../../main/ceremony/run.js';
import { parseScript } from '../../main/ceremony/script.js';
import { openShareWithPassphrase } from '../../main/custody/recovery/sealed-share.js';
import { transcriptText, verifyTranscript, type Transcript } from '../../main/ceremony/transcript.js';
import { beside, ceremonyVault, CUSTODIANS, KSK_SCRIPT, run, WITNESSES } from './support.js';

let t: Awaited<ReturnType<typeof ceremonyVault>>;
beforeEach(async () => {
  t = await ceremonyVault();
});
afterEach(async () => t.close());

const YAML_SCRIPT = `# the same ceremony, in YAML
ceremony: KSK 2026
operator: admin
witnesses: [wendy, walter]
steps:
  - id: ksk
    type: create-key
    KeySpec: ECC_NIST_P256
    KeyUsage: SIGN_VERIFY
    Alias: alias/ksk-2026
    Description: Key signing key 2026
    confirm: [wendy]
  - id: pub
    type: export-public-key
    Key: ksk
    Format: pem
    Out: ksk.pem
  - id: split
    type: split-recovery
    Threshold: 2
    OutDir: shares
    Custodians:
      - { Name: carol, Delivery: passphrase, PassphraseFile: carol.pass }
      - { Name: dave, Delivery: passphrase, PassphraseFile: dave.pass }
      - { Name: erin, Delivery: passphrase, PassphraseFile: erin.pass }
    confirm: [wendy, walter]
  - id: audit
    type: verify-audit
`;

/** The trail's records by seq, from its export. */
async function trail(): Promise<Map<number, { hash: string; event: { eventID: string; eventName: string; userIdentity: { userName?: string }; responseElements: Record<string, unknown> | null } }>> {
  const { Export } = await t.call('ExportEvents', {});
  const lines = Export.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { seq?: number; hash: string; event: never });
  return new Map(lines.filter((l) => l.seq !== undefined).map((l) => [l.seq!, { hash: l.hash, event: l.event }]));
}

const check = (tr: Transcript | string, opts: { publicKeyPem?: string } = {}) => verifyTranscript(typeof tr === 'string' ? tr : transcriptText(tr), { ...opts, readFile: beside(t.out) });
const edited = (tr: Transcript, edit: (copy: Transcript) => void): string => {
  const copy = JSON.parse(transcriptText(tr)) as Transcript;
  edit(copy);
  return JSON.stringify(copy);
};

describe('a ceremony script, end to end', () => {
  it('runs every step as the operator, with witnesses, and its transcript verifies offline with the files beside it', async () => {
    const progress: CeremonyProgress[] = [];
    const tr = await run(t, JSON.stringify(KSK_SCRIPT), { progress });
    expect(tr.header).toMatchObject({ ceremony: 'KSK 2026', vaultId: t.vault.vaultId, account: t.admin.account, status: 'complete', operator: { userName: 'admin', arn: t.admin.arn } });
    expect(tr.header.witnesses.map((w) => w.arn)).toEqual([`arn:strongroom:iam::${t.admin.account}:user/wendy`, `arn:strongroom:iam::${t.admin.account}:user/walter`]);
    expect(tr.steps.map((s) => [s.id, s.status])).toEqual([['ksk', 'done'], ['pub', 'done'], ['split', 'done'], ['audit', 'done']]);
    expect(progress.filter((p) => p.StepId === 'split').map((p) => p.Phase)).toEqual(['confirming', 'running', 'done']);

    // the key exists with its alias; the public key file is the key's, and openssl reads it
    const [ksk, pub, split] = tr.steps;
    const keyId = ksk!.outputs!.KeyId as string;
    expect((await t.call('DescribeKey', { KeyId: 'alias/ksk-2026' })).KeyMetadata.KeyId).toBe(keyId);
    expect(pub!.files).toEqual([{ path: 'ksk.pem', sha256: expect.stringMatching(/^[0-9a-f]{64}$/), bytes: readFileSync(join(t.out, 'ksk.pem')).length }]);
    expect(execFileSync('openssl', ['pkey', '-pubin', '-in', join(t.out, 'ksk.pem'), '-noout', '-text'], { encoding: 'utf8' })).toMatch(/prime256v1|P-256/);
    expect(split!.files.map((f) => f.path)).toEqual(['shares/carol.share', 'shares/dave.share', 'shares/erin.share']);
    expect((await t.vault.service.call(t.admin, 'ListAliases', {})).Aliases.some((a) => a.AliasName === 'alias/ksk-2026')).toBe(true);

    // witnesses confirmed the steps that named them
    expect(ksk!.confirmations.map((c) => c.userName)).toEqual(['wendy']);
    expect(split!.confirmations.map((c) => c.userName)).toEqual(['wendy', 'walter']);

    // each step's audit records are the trail's own, with their hashes: the witnesses' confirmations too
    const records = await trail();
    for (const s of tr.steps) {
      expect(s.audit.records.map((r) => r.seq)).toEqual(Array.from({ length: s.audit.toSeq - s.audit.fromSeq + 1 }, (_, i) => s.audit.fromSeq + i));
      for (const r of s.audit.records) expect([r.eventID, r.hash]).toEqual([records.get(r.seq)!.event.eventID, records.get(r.seq)!.hash]);
    }
    const names = (i: number) => tr.steps[i]!.audit.records.map((r) => `${r.eventName}:${r.userName}`);
    expect(names(0)).toEqual(['CeremonyStep:admin', 'ConfirmCeremonyStep:wendy', 'CreateKey:admin', 'CreateAlias:admin']);
    expect(names(1)).toEqual(['CeremonyStep:admin', 'ExportPublicKey:admin']);
    expect(names(2)).toEqual(['CeremonyStep:admin', 'ConfirmCeremonyStep:wendy', 'ConfirmCeremonyStep:walter', 'SplitRecoveryKey:admin']);
    expect(names(3)).toEqual(['CeremonyStep:admin', 'VerifyEvents:admin']);
    // the signing is audited too, and its record holds the SHA-256 of the signed index
    const last = [...records.values()].find((r) => r.event.eventName === 'SignCeremonyTranscript')!.event;
    expect(Math.max(...tr.steps.map((s) => s.audit.toSeq)) + 1).toBe([...records].find(([, r]) => r.event === last)![0]);
    expect(last.responseElements).toMatchObject({ IndexSha256: digestHash(tr.index), Status: 'complete' });

    // verifies offline: with its own key, and with the tenant's key from GetAuditPublicKey
    const { PublicKey } = await t.call('GetAuditPublicKey', {});
    expect(check(tr)).toMatchObject({ valid: true, status: 'complete', publicKeySource: 'file', steps: 4, filesChecked: 4, filesMissing: [], problems: [] });
    expect(check(tr, { publicKeyPem: PublicKey })).toMatchObject({ valid: true, publicKeySource: 'trusted' });
    // another tenant's key (or anyone's) does not verify it
    const other = check(tr, { publicKeyPem: newAuditSigningKey().publicSpkiPem });
    expect(other.valid).toBe(false);
    expect(other.problems.map((p) => p.part)).toEqual(['signature', 'header']);
    // without its files: still verifies, naming what it could not check
    expect(verifyTranscript(transcriptText(tr), { readFile: () => undefined })).toMatchObject({ valid: true, filesChecked: 0, filesMissing: ['ksk.pem', 'shares/carol.share', 'shares/dave.share', 'shares/erin.share'] });

    // no passphrase anywhere in it, nor in its printable forms
    const text = transcriptText(tr);
    for (const secret of [...Object.values(WITNESSES), ...Object.values(CUSTODIANS)]) {
      expect(text).not.toContain(secret);
      expect(transcriptReport(tr, 'html')).not.toContain(secret);
    }
    expect(split!.inputs).toMatchObject({ Custodians: [{ Name: 'carol', PassphraseFile: '[redacted]' }, expect.anything(), expect.anything()] });
    const report = transcriptReport(tr, 'text');
    expect(report).toContain('Ceremony transcript: KSK 2026');
    expect(report).toContain(`Signed index SHA-256      ${digestHash(tr.index)}`);
    expect(report).toMatch(/File\s+ksk\.pem\s+\d+ bytes\s+SHA-256 [0-9a-f]{64}/);
    expect(report).toMatch(/Confirmed by\s+arn:strongroom:iam::\d{12}:user\/walter/);
  });

  it('runs the same ceremony written in YAML', async () => {
    const tr = await run(t, YAML_SCRIPT);
    expect(tr.header.script.format).toBe('yaml');
    expect(tr.steps.map((s) => [s.id, s.type, s.status])).toEqual([
      ['ksk', 'create-key', 'done'],
      ['pub', 'export-public-key', 'done'],
      ['split', 'split-recovery', 'done'],
      ['audit', 'verify-audit', 'done'],
    ]);
    expect(check(tr).valid).toBe(true);
  });
});

describe('a backup step', () => {
  const BACKUP_SCRIPT = {
    ...KSK_SCRIPT,
    steps: [KSK_SCRIPT.steps[2], { id: 'backup', type: 'backup', Out: 'backups/vault.srb', confirm: ['walter'] }, KSK_SCRIPT.steps[3]],
  };

  it("backs the vault up as the operator, after the split: the transcript holds the file's SHA-256, verify checks it, and the split's shares open it", async () => {
    const tr = await run(t, JSON.stringify(BACKUP_SCRIPT));
    expect(tr.steps.map((s) => [s.id, s.type, s.status])).toEqual([
      ['split', 'split-recovery', 'done'],
      ['backup', 'backup', 'done'],
      ['audit', 'verify-audit', 'done'],
    ]);
    const step = tr.steps[1]!;
    const file = readFileSync(join(t.out, 'backups', 'vault.srb'));
    const sha256 = createHash('sha256').update(file).digest('hex');
    expect(step.files).toEqual([{ path: 'backups/vault.srb', sha256, bytes: file.length }]);
    expect(step.outputs).toEqual({ VaultId: t.vault.vaultId, CreatedAt: new Date(t.clock.now).toISOString(), SchemaVersion: expect.any(Number), Bytes: file.length, Sha256: sha256, KeySlots: ['vmk', 'recovery'] });
    expect(step.inputs).toEqual({ Out: 'backups/vault.srb' });
    expect(step.audit.records.map((r) => `${r.eventName}:${r.userName}`)).toEqual(['CeremonyStep:admin', 'ConfirmCeremonyStep:walter', 'CreateBackup:admin']);
    // the trail's CreateBackup record names the same file
    const records = await trail();
    const created = records.get(step.audit.records[2]!.seq)!.event;
    expect(created.responseElements).toMatchObject({ Sha256: sha256, OutPath: join(t.out, 'backups', 'vault.srb') });

    expect(check(tr)).toMatchObject({ valid: true, status: 'complete', filesChecked: 4, filesMissing: [] });
    // the backup opens with two of the three custodians' shares the ceremony's split step made
    const shares = await Promise.all(['carol', 'erin'].map(async (n) => openShareWithPassphrase(readFileSync(join(t.out, 'shares', `${n}.share`), 'utf8'), CUSTODIANS[n]!)));
    const restored = await restoreBackup({ inPath: join(t.out, 'backups', 'vault.srb'), dir: join(t.work, 'restored'), shares: { records: shares }, custody: { kind: 'passphrase', passphrase: 'restored vault passphrase' } });
    expect(restored).toMatchObject({ VaultId: t.vault.vaultId, OpenedWith: 'RecoveryShares', Backup: { Sha256: sha256 } });

    // the backup changed beside the transcript: verify names it
    file[file.length - 1]! ^= 1;
    writeFileSync(join(t.out, 'backups', 'vault.srb'), file);
    const changed = check(tr);
    expect(changed.valid).toBe(false);
    expect(changed.problems.map((p) => p.message)).toEqual([expect.stringMatching(/^file backups\/vault\.srb of step 'backup' does not match the transcript/)]);
  });

  it('a runner without the vault itself (only its service) fails the step, and says why', async () => {
    const tr = await run(t, JSON.stringify({ ...BACKUP_SCRIPT, steps: [BACKUP_SCRIPT.steps[1]] }), { withoutVault: true, passphrases: WITNESSES });
    expect(tr.header).toMatchObject({ status: 'incomplete', failure: { step: 'backup', error: { name: 'KMSInvalidStateException', message: expect.stringMatching(/a backup step cannot run here/) } } });
    expect(existsSync(join(t.out, 'backups', 'vault.srb'))).toBe(false);
    expect(check(tr)).toMatchObject({ valid: true, status: 'incomplete' });
  });

  it('a backup by someone who is not an operator administrator is refused, audited, and writes nothing', async () => {
    const acmeScript = { ceremony: 'backup by a tenant', operator: 'admin', steps: [{ id: 'backup', type: 'backup', Out: 'acme.srb' }] };
    await t.call('CreateTenant', { TenantName: 'acme', AdminPassword: 'acme first passphrase' });
    const first = await t.vault.service.signIn({ tenant: 'acme', userName: 'admin', passphrase: 'acme first passphrase', region: 'local-1', source: 'sdk' });
    await t.vault.service.call(first, 'ChangePassword', { OldPassword: 'acme first passphrase', NewPassword: 'acme own passphrase' });
    const acme = await t.vault.service.signIn({ tenant: 'acme', userName: 'admin', passphrase: 'acme own passphrase', region: 'local-1', source: 'sdk' });
    const tr = await runCeremony(parseScript(JSON.stringify(acmeScript)), {
      service: t.vault.service,
      operator: acme,
      vaultId: t.vault.vaultId,
      vault: t.vault,
      outDir: t.out,
      scriptDir: t.work,
      source: 'sdk',
      witnessPassphrase: async () => 'none',
    });
    expect(tr.header.failure).toMatchObject({ step: 'backup', error: { name: 'AccessDeniedException' } });
    expect(tr.steps[0]!.audit.records.map((r) => [r.eventName, r.errorCode])).toEqual([
      ['CeremonyStep', undefined],
      ['CreateBackup', 'AccessDeniedException'],
    ]);
    expect(existsSync(join(t.out, 'acme.srb'))).toBe(false);
  });
});

describe('an edited transcript fails, naming the step or the part', () => {
  let tr: Transcript;
  beforeEach(async () => {
    tr = await run(t, JSON.stringify(KSK_SCRIPT));
  });
  const problems = (text: string) => {
    const r = check(text);
    expect(r.valid).toBe(false);
    return r.problems.map((p) => p.message);
  };

  it("a step's input changed", () => {
    expect(problems(edited(tr, (c) => void (c.steps[1]!.inputs.Format = 'der')))).toEqual(["step 'pub' was changed (inputs)"]);
  });
  it("an output file's hash changed in the transcript, or the file beside it", () => {
    expect(problems(edited(tr, (c) => void (c.steps[1]!.files[0]!.sha256 = '0'.repeat(64))))).toEqual(["step 'pub' was changed (files)", expect.stringMatching(/^file ksk\.pem of step 'pub' does not match the transcript/)]);
    writeFileSync(join(t.out, 'shares', 'dave.share'), 'not the share');
    expect(problems(transcriptText(tr))).toEqual([expect.stringMatching(/^file shares\/dave\.share of step 'split' does not match the transcript/)]);
  });
  it("a step's output changed, or a member added to a file's entry", () => {
    expect(problems(edited(tr, (c) => void (c.steps[0]!.outputs!.KeyId = '00000000-0000-0000-0000-000000000000')))).toEqual(["step 'ksk' was changed (outputs)"]);
    expect(problems(edited(tr, (c) => void ((c.steps[1]!.files[0] as unknown as Record<string, unknown>).note = 'x')))).toEqual(["step 'pub' was changed (files)"]);
  });
  it('a step removed', () => {
    expect(problems(edited(tr, (c) => void c.steps.splice(2, 1)))).toEqual(["step 'split' was removed"]);
  });
  it('a confirmation removed', () => {
    expect(problems(edited(tr, (c) => void c.steps[2]!.confirmations.pop()))).toEqual(["step 'split' was changed (confirmations)"]);
  });
  it('an audit record removed from a step', () => {
    expect(problems(edited(tr, (c) => void c.steps[0]!.audit.records.splice(1, 1)))).toEqual(["step 'ksk' was changed (audit)"]);
  });
  it('the signature changed', () => {
    const sig = Buffer.from(tr.signature, 'base64');
    sig[0]! ^= 1;
    const r = check(edited(tr, (c) => void (c.signature = sig.toString('base64'))));
    expect(r.problems).toEqual([{ part: 'signature', message: expect.stringMatching(/^the signature does not verify/) }]);
  });
  it('the header changed (status, participants)', () => {
    expect(problems(edited(tr, (c) => void (c.header.witnesses = c.header.witnesses.slice(1))))).toEqual(['the header (ceremony, participants, times, status) was changed']);
  });
  it('a step changed with its entry in the index made to match: the signature no longer verifies', () => {
    const text = edited(tr, (c) => {
      c.steps[1]!.inputs.Format = 'der';
      c.index.steps[1]!.sha256 = digestHash(c.steps[1]!);
    });
    expect(check(text).problems.map((p) => p.part)).toContain('signature');
  });
  it('a step added, and steps reordered', () => {
    expect(problems(edited(tr, (c) => void c.steps.push({ ...c.steps[3]!, id: 'extra' })))).toEqual(["step 'extra' was added: the signed index does not list it"]);
    expect(problems(edited(tr, (c) => void c.steps.reverse()))).toEqual(['the steps were reordered']);
  });
  it('not a transcript at all', () => {
    expect(problems('{"format": "something else"}')[0]).toMatch(/^the transcript is not a Strongroom ceremony transcript/);
    expect(problems('not json')[0]).toMatch(/^the transcript is not JSON/);
  });
});

describe('witnesses and failures', () => {
  it('a wrong witness passphrase is refused and the step does not run; the transcript is signed, incomplete, and verifies', async () => {
    const tr = await run(t, JSON.stringify(KSK_SCRIPT), { passphrases: { ...WITNESSES, wendy: 'not the passphrase of wendy' } });
    expect(tr.header.status).toBe('incomplete');
    expect(tr.header.failure).toEqual({ step: 'ksk', error: { name: 'AccessDeniedException', message: "Witness wendy could not confirm step 'ksk': Sign-in failed: unknown tenant or user, or wrong passphrase." } });
    expect(tr.steps.map((s) => s.status)).toEqual(['failed', 'not-run', 'not-run', 'not-run']);
    expect(tr.steps[0]!.confirmations).toEqual([]);
    // the step did not run: no key, no CreateKey record; the refused sign-in is in the step's records
    expect((await t.call('ListKeys', {})).Keys).toEqual([]);
    expect(tr.steps[0]!.audit.records.map((r) => [r.eventName, r.userName, r.signIn])).toEqual([
      ['CeremonyStep', 'admin', undefined],
      ['ConsoleLogin', 'wendy', 'Failure'],
    ]);
    expect(transcriptReport(tr, 'text')).toMatch(/ConsoleLogin by wendy \(sign-in refused\)/);
    expect(check(tr)).toMatchObject({ valid: true, status: 'incomplete' });
  });

  it('a failing step stops the ceremony: what ran and the failure are in the signed transcript, marked incomplete', async () => {
    const script = { ...KSK_SCRIPT, steps: [KSK_SCRIPT.steps[0], { id: 'pub', type: 'export-public-key', Key: 'alias/no-such-key', Format: 'pem', Out: 'none.pem' }, KSK_SCRIPT.steps[3]] };
    const tr = await run(t, JSON.stringify(script));
    expect(tr.header).toMatchObject({ status: 'incomplete', failure: { step: 'pub', error: { name: 'NotFoundException' } } });
    expect(tr.steps.map((s) => [s.id, s.status])).toEqual([['ksk', 'done'], ['pub', 'failed'], ['audit', 'not-run']]);
    expect(tr.steps[1]!.error?.name).toBe('NotFoundException');
    expect(tr.steps[1]!.audit.records.map((r) => [r.eventName, r.errorCode])).toEqual([
      ['CeremonyStep', undefined],
      ['ExportPublicKey', 'NotFoundException'],
    ]);
    expect(check(tr)).toMatchObject({ valid: true, status: 'incomplete', filesChecked: 0 });
    expect(transcriptReport(tr, 'text')).toContain("INCOMPLETE: step 'pub' failed (NotFoundException");
  });

  it('the operator must be the one signed in', async () => {
    await expect(run(t, JSON.stringify({ ...KSK_SCRIPT, operator: 'wendy', witnesses: ['walter'], steps: [KSK_SCRIPT.steps[3]] }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringMatching(/names operator wendy, but it is being run by admin/),
    });
  });
});
