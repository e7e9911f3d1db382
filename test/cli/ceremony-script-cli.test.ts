// `strongroom ceremony run` and `ceremony verify` through the built binary
// (issue 13): a YAML script with witnesses whose passphrases come from
// files, the signed transcript and its printable form; verification
// offline in a folder with no vault, with the tenant's audit key trusted
// (the backup the script made among the files it checks);
// an edited transcript exits 1 naming the step; a wrong witness passphrase
// and a script with an unknown step type.
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ensureBuilt, Workspace } from './binary.js';

beforeAll(() => ensureBuilt(), 180_000);

const SCRIPT = `ceremony: KSK 2026
operator: admin
witnesses: [wendy, walter]
steps:
  - { id: ksk, type: create-key, KeySpec: ECC_NIST_P256, KeyUsage: SIGN_VERIFY, Alias: alias/ksk-2026, confirm: [wendy] }
  - { id: pub, type: export-public-key, Key: ksk, Format: pem, Out: ksk.pem }
  - id: split
    type: split-recovery
    Threshold: 2
    OutDir: shares
    Custodians:
      - { Name: carol, Delivery: passphrase, PassphraseFile: carol.pass }
      - { Name: dave, Delivery: passphrase, PassphraseFile: dave.pass }
      - { Name: erin, Delivery: paper }
    confirm: [wendy, walter]
  - { id: backup, type: backup, Out: vault.srb }
  - { id: audit, type: verify-audit }
`;

describe('strongroom ceremony run / verify', () => {
  const ws = new Workspace();
  const witnessFiles = ['--witness-passphrase-file', 'wendy=wendy.pass', '--witness-passphrase-file', 'walter=walter.pass'];
  beforeAll(async () => {
    expect((await ws.run(['init', '--passphrase-only'])).code).toBe(0);
    for (const name of ['wendy', 'walter']) {
      expect((await ws.run(['iam', 'create-user', '--user-name', name])).code).toBe(0);
      expect((await ws.run(['iam', 'create-login-profile', '--user-name', name], { STRONGROOM_NEW_PASSPHRASE: `${name} passphrase here` })).code).toBe(0);
      writeFileSync(ws.path(`${name}.pass`), `${name} passphrase here\n`);
    }
    writeFileSync(ws.path('carol.pass'), 'carol custodian passphrase\n');
    writeFileSync(ws.path('dave.pass'), 'dave custodian passphrase\n');
    writeFileSync(ws.path('ksk.yaml'), SCRIPT);
    mkdirSync(ws.path('out'));
  }, 120_000);
  afterAll(() => ws.remove());

  test('runs the script, writes the signed transcript and its printable form, and it verifies on a machine without the vault', async () => {
    const r = await ws.run(['ceremony', 'run', 'ksk.yaml', '--transcript', 'out/ksk.json', '--report', 'out/ksk.txt', ...witnessFiles]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ Ceremony: 'KSK 2026', Status: 'complete', Steps: ['ksk', 'pub', 'split', 'backup', 'audit'].map((Id) => ({ Id, Status: 'done' })) });
    const transcript = readFileSync(ws.path('out/ksk.json'), 'utf8');
    for (const secret of ['wendy passphrase here', 'walter passphrase here', 'carol custodian passphrase']) expect(transcript).not.toContain(secret);
    expect(readFileSync(ws.path('out/ksk.txt'), 'utf8')).toMatch(/^Ceremony transcript: KSK 2026\n/);
    for (const f of ['ksk.pem', 'shares/carol.share', 'shares/dave.share', 'shares/erin.paper.txt', 'shares/erin.qr.svg', 'vault.srb']) expect(existsSync(ws.path(`out/${f}`))).toBe(true);

    const key = await ws.run(['audit', 'get-audit-public-key', '--query', 'PublicKey', '--output', 'text']);
    writeFileSync(ws.path('audit.pem'), key.stdout);
    // another machine: the transcript folder copied, no vault at all
    cpSync(ws.path('out'), ws.path('elsewhere'), { recursive: true });
    const v = await ws.run(['ceremony', 'verify', 'elsewhere/ksk.json', '--public-key', 'audit.pem', '--report', 'elsewhere/ksk.html'], { STRONGROOM_VAULT: ws.path('no-vault-here'), STRONGROOM_PASSPHRASE: undefined });
    expect(v.stderr).toBe('');
    expect(JSON.parse(v.stdout)).toEqual({ Valid: true, Ceremony: 'KSK 2026', Account: expect.stringMatching(/^\d{12}$/), Status: 'complete', PublicKeySource: 'trusted', Steps: 5, FilesChecked: 6, FilesMissing: [], Problems: [] });
    expect(v.code).toBe(0);
    expect(readFileSync(ws.path('elsewhere/ksk.html'), 'utf8')).toContain('<h2>Step 3: split (split-recovery) — done</h2>');

    // edited: exit 1, naming the step; a changed file names its step too
    writeFileSync(ws.path('elsewhere/ksk.json'), transcript.replace('"Threshold": 2', '"Threshold": 3'));
    const bad = await ws.run(['ceremony', 'verify', 'elsewhere/ksk.json', '--output', 'text', '--query', 'Problems[].Message']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain("step 'split' was changed (inputs)");
    writeFileSync(ws.path('elsewhere/ksk.json'), transcript);
    writeFileSync(ws.path('elsewhere/ksk.pem'), 'not the key\n');
    const file = await ws.run(['ceremony', 'verify', 'elsewhere/ksk.json']);
    expect(file.code).toBe(1);
    expect(JSON.parse(file.stdout).Problems).toEqual([{ Step: 'pub', Part: 'file', Message: expect.stringMatching(/^file ksk\.pem of step 'pub' does not match the transcript/) }]);
    // the backup the ceremony made: its SHA-256 is in the transcript, and the vault's trail holds its CreateBackup record
    const backup = JSON.parse(transcript).steps.find((s: { id: string }) => s.id === 'backup');
    const events = await ws.json<{ Events: { CloudTrailEvent: string }[] }>(['audit', 'lookup-events', '--event-name', 'CreateBackup']);
    expect(JSON.parse(events.Events[0]!.CloudTrailEvent).responseElements).toMatchObject({ Sha256: backup.files[0].sha256, KeySlots: ['vmk', 'recovery'] });
  }, 120_000);

  test("a wrong witness passphrase stops the ceremony before the step: exit 1, and the transcript says so", async () => {
    writeFileSync(ws.path('wrong.pass'), 'not the passphrase of wendy\n');
    writeFileSync(ws.path('audit-only.yaml'), 'ceremony: check\noperator: admin\nwitnesses: [wendy]\nsteps:\n  - { id: audit, type: verify-audit, confirm: [wendy] }\n');
    const r = await ws.run(['ceremony', 'run', 'audit-only.yaml', '--transcript', 'out/check.json', '--witness-passphrase-file', 'wendy=wrong.pass']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ Status: 'incomplete', Steps: [{ Id: 'audit', Status: 'failed', Error: { Name: 'AccessDeniedException' } }] });
    expect((await ws.run(['ceremony', 'verify', 'out/check.json'])).code).toBe(0);
    // no file and no terminal: refused, naming how to give it
    const none = await ws.run(['ceremony', 'run', 'audit-only.yaml', '--transcript', 'out/none.json']);
    expect(none.code).toBe(1);
    expect(JSON.parse(none.stdout).Steps[0].Error.Message).toMatch(/No passphrase for witness wendy: give --witness-passphrase-file wendy=FILE/);
  }, 60_000);

  test('an unknown step type is refused before the vault is opened, and nothing is written', async () => {
    writeFileSync(ws.path('backup.yaml'), 'ceremony: b\noperator: admin\nsteps:\n  - { id: bak, type: snapshot }\n');
    const r = await ws.run(['ceremony', 'run', 'backup.yaml', '--transcript', 'out/b.json'], { STRONGROOM_VAULT_PASSPHRASE: undefined });
    expect(r.code).toBe(254);
    expect(r.stderr).toMatch(/\(ValidationException\) when calling the RunCeremony operation: The ceremony script, step 'bak': unknown step type "snapshot"; the types are create-key, export-public-key, split-recovery, verify-audit, backup\./);
    expect(existsSync(ws.path('out/b.json'))).toBe(false);
    expect((await ws.run(['ceremony', 'run', 'backup.yaml'])).code).toBe(252); // --transcript is required
  });

  test('help', async () => {
    expect((await ws.run(['ceremony', 'run', 'help'])).stdout).toMatch(/^usage: strongroom \[global options\] ceremony run SCRIPT --transcript OUT/);
    expect((await ws.run(['help', 'ceremony', 'verify'])).stdout).toMatch(/^usage: strongroom \[global options\] ceremony verify TRANSCRIPT/);
    expect((await ws.run(['help'])).stdout).toContain('ceremony verify');
  });
});
