// A vault with something of everything a restore must bring back (keys of
// several specs, a rotated key, an alias, a key policy naming a user, a
// grant, a second tenant, audit records), what each key did before the
// backup, and the check that a restored vault does all of it again.
import { execFileSync } from 'node:child_process';
import { createPublicKey, verify as verifySignature } from 'node:crypto';
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { AuditEvent } from '../../main/core/audit/event.js';
import type { Caller } from '../../main/core/service/caller.js';
import type { Service } from '../../main/core/service/service.js';
import { parsePaperShare } from '../../main/custody/recovery/paper.js';
import { openShareWithAgeIdentity, openShareWithPassphrase } from '../../main/custody/recovery/sealed-share.js';
import { AppSession } from '../../main/session/app-session.js';
import type { Vault } from '../../main/vault/vault.js';
import { callAs } from '../support/call-as.js';
import { ADMIN_PASSPHRASE } from '../support/vault.js';

const policyFor = (account: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Root', Effect: 'Allow', Principal: { AWS: `arn:strongroom:iam::${account}:root` }, Action: 'kms:*', Resource: '*' },
      { Sid: 'Bob', Effect: 'Allow', Principal: { AWS: `arn:strongroom:iam::${account}:user/bob` }, Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: '*' },
    ],
  });

export const PASSPHRASES = { bob: 'passphrase of bob', carol: 'passphrase of carol', acme: 'passphrase of acme admin' } as const;

/** What the vault did before its backup, to be done again by the restored vault. */
export interface Fixture {
  operator: string;
  acme: string;
  /** ciphertexts of the operator tenant: key, blob, plaintext, context, algorithm (RSA) */
  ciphertexts: { keyId: string; blob: Uint8Array; plaintext: string; context?: Record<string, string>; algorithm?: 'RSAES_OAEP_SHA_256' }[];
  /** signatures, each with the key's public key (DER SPKI) read before the backup */
  signatures: { keyId: string; message: Buffer; signature: Uint8Array; algorithm: 'ECDSA_SHA_256' | 'ML_DSA_SHAKE_256' | 'ED25519_SHA_512'; publicKey: Uint8Array }[];
  macs: { keyId: string; message: Buffer; mac: Uint8Array }[];
  /** a key rotated after this ciphertext was made: the restore keeps the old version */
  rotated: { keyId: string; blob: Uint8Array; plaintext: string };
  /** the symmetric key behind alias/payroll, with bob in its key policy and carol's grant */
  shared: { keyId: string; blob: Uint8Array; plaintext: string; grantId: string };
  /** the second tenant's own ciphertext */
  acmeCiphertext: { blob: Uint8Array; plaintext: string };
  keyCount: number;
}

/** Fills the vault as its operator admin `admin`; users bob and carol, tenant acme. */
export async function populate(service: Service, admin: Caller): Promise<Fixture> {
  const call = callAs(service, admin);
  const operator = admin.account;
  const key = async (KeySpec?: string, KeyUsage?: string) =>
    (await call('CreateKey', { ...(KeySpec ? { KeySpec: KeySpec as never } : {}), ...(KeyUsage ? { KeyUsage: KeyUsage as never } : {}) })).KeyMetadata.KeyId;

  const ciphertexts: Fixture['ciphertexts'] = [];
  const sym = await key();
  const context = { purpose: 'backup test' };
  ciphertexts.push({ keyId: sym, plaintext: 'symmetric, with a context', context, blob: (await call('Encrypt', { KeyId: sym, Plaintext: Buffer.from('symmetric, with a context'), EncryptionContext: context })).CiphertextBlob });
  const rsa = await key('RSA_2048', 'ENCRYPT_DECRYPT');
  ciphertexts.push({ keyId: rsa, plaintext: 'rsa oaep', algorithm: 'RSAES_OAEP_SHA_256', blob: (await call('Encrypt', { KeyId: rsa, Plaintext: Buffer.from('rsa oaep'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })).CiphertextBlob });

  const signatures: Fixture['signatures'] = [];
  for (const [spec, algorithm] of [
    ['ECC_NIST_P256', 'ECDSA_SHA_256'],
    ['ECC_NIST_EDWARDS25519', 'ED25519_SHA_512'],
    ['ML_DSA_44', 'ML_DSA_SHAKE_256'],
  ] as const) {
    const keyId = await key(spec, 'SIGN_VERIFY');
    const message = Buffer.from(`signed by ${spec}`);
    const { Signature } = await call('Sign', { KeyId: keyId, Message: message, SigningAlgorithm: algorithm });
    const { PublicKey } = await call('GetPublicKey', { KeyId: keyId });
    signatures.push({ keyId, message, signature: Signature, algorithm, publicKey: PublicKey! });
  }

  const hmac = await key('HMAC_256', 'GENERATE_VERIFY_MAC');
  const macMessage = Buffer.from('authenticated');
  const macs = [{ keyId: hmac, message: macMessage, mac: (await call('GenerateMac', { KeyId: hmac, Message: macMessage, MacAlgorithm: 'HMAC_SHA_256' })).Mac }];

  const rotatedKey = await key();
  const rotated = { keyId: rotatedKey, plaintext: 'before rotation', blob: (await call('Encrypt', { KeyId: rotatedKey, Plaintext: Buffer.from('before rotation') })).CiphertextBlob };
  await call('RotateKeyOnDemand', { KeyId: rotatedKey });

  // users, a key policy naming one, a grant to the other, an alias
  await call('CreateUser', { UserName: 'bob' });
  await call('CreateLoginProfile', { UserName: 'bob', Password: PASSPHRASES.bob });
  await call('CreateUser', { UserName: 'carol' });
  await call('CreateLoginProfile', { UserName: 'carol', Password: PASSPHRASES.carol });
  const shared = await key();
  await call('PutKeyPolicy', { KeyId: shared, Policy: policyFor(operator) });
  await call('CreateAlias', { AliasName: 'alias/payroll', TargetKeyId: shared });
  const { GrantId } = await call('CreateGrant', { KeyId: shared, GranteePrincipal: 'carol', Operations: ['Decrypt', 'Encrypt'] });
  const sharedBlob = (await call('Encrypt', { KeyId: 'alias/payroll', Plaintext: Buffer.from('payroll') })).CiphertextBlob;

  // a second tenant with a key of its own
  await call('CreateTenant', { TenantName: 'acme', AdminPassword: 'first passphrase of acme' });
  const first = await service.signIn({ tenant: 'acme', userName: 'admin', passphrase: 'first passphrase of acme', region: 'local-1', source: 'sdk' });
  await service.call(first, 'ChangePassword', { OldPassword: 'first passphrase of acme', NewPassword: PASSPHRASES.acme });
  const acmeAdmin = await service.signIn({ tenant: 'acme', userName: 'admin', passphrase: PASSPHRASES.acme, region: 'local-1', source: 'sdk' });
  const acmeKey = (await service.call(acmeAdmin, 'CreateKey', {})).KeyMetadata.KeyId;
  const acmeBlob = (await service.call(acmeAdmin, 'Encrypt', { KeyId: acmeKey, Plaintext: Buffer.from('acme secret') })).CiphertextBlob;

  return {
    operator,
    acme: acmeAdmin.account,
    ciphertexts,
    signatures,
    macs,
    rotated,
    shared: { keyId: shared, blob: sharedBlob, plaintext: 'payroll', grantId: GrantId },
    acmeCiphertext: { blob: acmeBlob, plaintext: 'acme secret' },
    keyCount: (await call('ListKeys', {})).Keys.length,
  };
}

const text = (b: Uint8Array | undefined) => Buffer.from(b ?? []).toString('utf8');

/** The RestoreBackup records of a tenant's trail, as CloudTrail JSON. */
export async function restoreRecords(service: Service, caller: Caller): Promise<AuditEvent[]> {
  const { Events } = await service.call(caller, 'LookupEvents', { EventName: 'RestoreBackup' });
  return Events.map((e) => JSON.parse(e.CloudTrailEvent) as AuditEvent);
}

/** Everything the vault did before the backup, done again by the restored one; its trails verify and record the restore. */
export async function checkRestored(service: Service, f: Fixture, backup: { sha256: string; vaultId: string; createdAt: string }): Promise<void> {
  const admin = await service.signIn({ userName: 'admin', passphrase: ADMIN_PASSPHRASE, region: 'local-1', source: 'sdk' });
  expect(admin.account).toBe(f.operator);
  const call = callAs(service, admin);
  expect((await call('ListKeys', {})).Keys).toHaveLength(f.keyCount);

  for (const c of f.ciphertexts) {
    const out = await call('Decrypt', { CiphertextBlob: c.blob, ...(c.context ? { EncryptionContext: c.context } : {}), ...(c.algorithm ? { KeyId: c.keyId, EncryptionAlgorithm: c.algorithm } : {}) });
    expect(text(out.Plaintext)).toBe(c.plaintext);
  }
  for (const s of f.signatures) {
    // the same key: its public key is the one read before the backup, and it still verifies what it signed
    expect(Buffer.from((await call('GetPublicKey', { KeyId: s.keyId })).PublicKey!)).toEqual(Buffer.from(s.publicKey));
    expect((await call('Verify', { KeyId: s.keyId, Message: s.message, Signature: s.signature, SigningAlgorithm: s.algorithm })).SignatureValid).toBe(true);
    if (s.algorithm === 'ECDSA_SHA_256') expect(verifySignature('sha256', s.message, createPublicKey({ key: Buffer.from(s.publicKey), format: 'der', type: 'spki' }), s.signature)).toBe(true);
    // and it still signs: a new signature verifies too
    const again = await call('Sign', { KeyId: s.keyId, Message: s.message, SigningAlgorithm: s.algorithm });
    expect((await call('Verify', { KeyId: s.keyId, Message: s.message, Signature: again.Signature, SigningAlgorithm: s.algorithm })).SignatureValid).toBe(true);
  }
  for (const m of f.macs) {
    expect((await call('VerifyMac', { KeyId: m.keyId, Message: m.message, Mac: m.mac, MacAlgorithm: 'HMAC_SHA_256' })).MacValid).toBe(true);
  }
  expect(text((await call('Decrypt', { CiphertextBlob: f.rotated.blob })).Plaintext)).toBe(f.rotated.plaintext);
  expect((await call('ListKeyRotations', { KeyId: f.rotated.keyId })).Rotations).toHaveLength(1);

  // the alias, bob through the key policy, carol through the grant
  const viaAlias = await call('Encrypt', { KeyId: 'alias/payroll', Plaintext: Buffer.from('after restore') });
  expect(viaAlias.KeyId).toContain(f.shared.keyId);
  const bob = await service.signIn({ userName: 'bob', passphrase: PASSPHRASES.bob, region: 'local-1', source: 'sdk' });
  expect(text((await service.call(bob, 'Decrypt', { CiphertextBlob: f.shared.blob })).Plaintext)).toBe(f.shared.plaintext);
  await expect(service.call(bob, 'Decrypt', { CiphertextBlob: f.rotated.blob })).rejects.toMatchObject({ name: 'AccessDeniedException' });
  const carol = await service.signIn({ userName: 'carol', passphrase: PASSPHRASES.carol, region: 'local-1', source: 'sdk' });
  expect(text((await service.call(carol, 'Decrypt', { CiphertextBlob: viaAlias.CiphertextBlob })).Plaintext)).toBe('after restore');
  expect((await call('ListGrants', { KeyId: f.shared.keyId })).Grants.map((g) => g.GrantId)).toEqual([f.shared.grantId]);

  // the other tenant
  const acme = await service.signIn({ tenant: 'acme', userName: 'admin', passphrase: PASSPHRASES.acme, region: 'local-1', source: 'sdk' });
  expect(text((await service.call(acme, 'Decrypt', { CiphertextBlob: f.acmeCiphertext.blob })).Plaintext)).toBe(f.acmeCiphertext.plaintext);

  // every tenant's trail: whole, verified, the history before the backup, then the restore naming the backup
  for (const who of [admin, acme]) {
    const verified = await service.call(who, 'VerifyEvents', {});
    expect(verified.Problems).toEqual([]);
    expect(verified.Valid).toBe(true);
    const restores = await restoreRecords(service, who);
    expect(restores).toHaveLength(1);
    expect(restores[0]).toMatchObject({
      eventType: 'AwsServiceEvent',
      eventSource: 'backup.strongroom.local',
      recipientAccountId: who.account,
      additionalEventData: { Backup: { Sha256: backup.sha256, SourceVaultId: backup.vaultId, CreatedAt: backup.createdAt } },
    });
    expect((await service.call(who, 'LookupEvents', { EventName: 'CreateKey' })).Events.length).toBeGreaterThan(0);
  }
}

/** Every file under `dir` with its mode and content, to show a failed restore left it as it was ("absent" if there is no dir). */
export async function listing(dir: string): Promise<string> {
  const st = await stat(dir).catch(() => undefined);
  if (!st) return 'absent';
  const out: string[] = [`. ${(st.mode & 0o7777).toString(8)}`];
  for (const name of (await readdir(dir, { recursive: true })).sort()) {
    const p = join(dir, name);
    const s = await stat(p);
    out.push(`${name} ${(s.mode & 0o7777).toString(8)} ${s.isFile() ? (await readFile(p)).toString('base64') : 'dir'}`);
  }
  return out.join('\n');
}

export const CUSTODIAN_PASSPHRASES = { alice: 'alice custodian passphrase', bob: 'bob custodian passphrase' } as const;

/** SplitRecoveryKey as the operator's admin, through an app session: what the desktop app and `ceremony split` run. */
export async function splitRecoveryKey(vault: Vault, input: Record<string, unknown>, cwd: string): Promise<{ SplitId: string; Shares: { Custodian: string; Files: string[] }[] }> {
  const s = new AppSession(vault, 'cli', cwd);
  await s.run('SignIn', { UserName: 'admin', Passphrase: ADMIN_PASSPHRASE });
  return s.dispatch('SplitRecoveryKey', input) as Promise<{ SplitId: string; Shares: { Custodian: string; Files: string[] }[] }>;
}

/**
 * A 3-of-5 split of the vault's recovery key into `outDir` (made if missing):
 * alice and bob under passphrases, carol to an age recipient (her identity
 * in outDir/carol.key), dave and erin on paper. Returns the split id and the
 * five share records, read back from the files as each custodian would.
 */
export async function splitFive(vault: Vault, outDir: string): Promise<{ splitId: string; records: Buffer[] }> {
  await mkdir(outDir, { recursive: true });
  const identity = join(outDir, 'carol.key');
  execFileSync('age-keygen', ['-o', identity], { stdio: 'ignore' });
  const recipient = execFileSync('age-keygen', ['-y', identity], { encoding: 'utf8' }).trim();
  const { SplitId } = await splitRecoveryKey(
    vault,
    {
      Threshold: 3,
      OutDir: outDir,
      Custodians: [
        { Name: 'alice', Delivery: 'passphrase', Passphrase: CUSTODIAN_PASSPHRASES.alice },
        { Name: 'bob', Delivery: 'passphrase', Passphrase: CUSTODIAN_PASSPHRASES.bob },
        { Name: 'carol', Delivery: 'age', AgeRecipient: recipient },
        { Name: 'dave', Delivery: 'paper' },
        { Name: 'erin', Delivery: 'paper' },
      ],
    },
    outDir,
  );
  const records = [
    await openShareWithPassphrase(await readFile(join(outDir, 'alice.share'), 'utf8'), CUSTODIAN_PASSPHRASES.alice),
    await openShareWithPassphrase(await readFile(join(outDir, 'bob.share'), 'utf8'), CUSTODIAN_PASSPHRASES.bob),
    await openShareWithAgeIdentity(await readFile(join(outDir, 'carol.share.age'), 'utf8'), await readFile(identity, 'utf8')),
    parsePaperShare(await readFile(join(outDir, 'dave.paper.txt'), 'utf8')),
    parsePaperShare(await readFile(join(outDir, 'erin.paper.txt'), 'utf8')),
  ];
  return { splitId: SplitId, records };
}

/** A 2-of-3 split in the ssss form into `outDir`: the custodians' lines, as ssss-combine reads them. */
export async function splitSsss(vault: Vault, outDir: string): Promise<{ splitId: string; lines: string[] }> {
  await mkdir(outDir, { recursive: true });
  const names = ['ann', 'ben', 'cat'];
  const { SplitId } = await splitRecoveryKey(vault, { Threshold: 2, Scheme: 'ssss', OutDir: outDir, Custodians: names.map((Name) => ({ Name, Delivery: 'paper' })) }, outDir);
  const lines = await Promise.all(names.map(async (n) => (await readFile(join(outDir, `${n}.ssss.txt`), 'utf8')).trim().split('\n').at(-1)!));
  return { splitId: SplitId, lines };
}
