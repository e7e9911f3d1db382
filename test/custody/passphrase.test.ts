// Passphrase custody of the vault master key (Argon2id, RFC 9106, + AES-256-GCM,
// SP 800-38D). Runs inside the same private Secret Service as the keychain
// tests (bash test/with-secret-service.sh npx vitest run test/custody) so it
// can also prove passphrase custody never touches the OS keychain.
import { describe, it, expect, beforeAll, afterEach } from 'vitest';
import { randomUUID } from 'node:crypto';
import { AsyncEntry, findCredentialsAsync } from '@napi-rs/keyring';
import { KmsError } from '../../main/core/errors.js';
import { DEFAULT_ARGON2 } from '../../main/core/crypto/argon2.js';
import {
  createVaultMasterKey,
  destroyVaultMasterKey,
  openVaultMasterKey,
  type CustodyRecord,
  type PassphraseCustodyRecord,
} from '../../main/custody/vault-master-key.js';

const PASS = 'correct horse battery staple';
const SLOW = 30_000; // each Argon2id derivation at 64 MiB is ~250 ms here
const created = new Set<string>();

function newVaultId(): string {
  const id = randomUUID();
  created.add(id);
  return id;
}

const entry = (vaultId: string) => new AsyncEntry('Strongroom', `vault:${vaultId}`);
const provide = (p: string) => () => Promise.resolve(p);
const clone = (r: CustodyRecord): PassphraseCustodyRecord => JSON.parse(JSON.stringify(r)) as PassphraseCustodyRecord;

function flip(b64: string, index: number): string {
  const b = Buffer.from(b64, 'base64');
  b[index]! ^= 0x01;
  return b.toString('base64');
}

async function kmsError(p: Promise<unknown>): Promise<KmsError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e, 'expected the promise to reject').toBeInstanceOf(KmsError);
  return e as KmsError;
}

beforeAll(async () => {
  if (process.env.STRONGROOM_TEST_SECRET_SERVICE !== '1') {
    throw new Error(
      'STRONGROOM_TEST_SECRET_SERVICE is not set: run these tests inside a private Secret Service with ' +
        '`bash test/with-secret-service.sh npx vitest run test/custody`.',
    );
  }
  await findCredentialsAsync('Strongroom.test-probe');
});

afterEach(async () => {
  for (const id of created) await entry(id).deleteCredential().catch(() => undefined);
  created.clear();
});

describe('passphrase custody', () => {
  it(
    'create / open round trip, without touching the keychain',
    async () => {
      const id = newVaultId();
      const { vmk, record } = await createVaultMasterKey(id, { kind: 'passphrase', passphrase: PASS });
      expect(vmk.length).toBe(32);
      expect(record).toMatchObject({ kind: 'passphrase', version: 1, kdf: 'argon2id', params: DEFAULT_ARGON2 });
      const r = clone(record);
      expect(Buffer.from(r.salt, 'base64').length).toBeGreaterThanOrEqual(16);
      expect(Buffer.from(r.wrappedVmk, 'base64').length).toBe(12 + 32 + 16);

      const json = JSON.stringify(record);
      expect(json).not.toContain(vmk.toString('base64'));
      expect(json).not.toContain(vmk.toString('hex'));

      // No silent keychain use either way.
      expect(await entry(id).getSecret()).toBeNull();

      const opened = await openVaultMasterKey(id, r, provide(PASS));
      expect(opened.equals(vmk)).toBe(true);

      // Unicode passphrases are compared after NFC normalisation.
      const id2 = newVaultId();
      const nfc = 'Kl\u00e4ger-\u00c5ngstr\u00f6m';
      const k2 = await createVaultMasterKey(id2, { kind: 'passphrase', passphrase: nfc });
      expect((await openVaultMasterKey(id2, clone(k2.record), provide(nfc.normalize('NFD')))).equals(k2.vmk)).toBe(true);

      // Nothing outside the vault file to destroy; must not throw.
      await destroyVaultMasterKey(id, r);
    },
    SLOW,
  );

  it(
    'fresh salt and nonce per vault',
    async () => {
      const a = clone((await createVaultMasterKey(newVaultId(), { kind: 'passphrase', passphrase: PASS })).record);
      const b = clone((await createVaultMasterKey(newVaultId(), { kind: 'passphrase', passphrase: PASS })).record);
      expect(a.salt).not.toBe(b.salt);
      expect(a.wrappedVmk).not.toBe(b.wrappedVmk);
    },
    SLOW,
  );

  it(
    'wrong passphrase is AccessDeniedException',
    async () => {
      const id = newVaultId();
      const { record } = await createVaultMasterKey(id, { kind: 'passphrase', passphrase: PASS });
      const e = await kmsError(openVaultMasterKey(id, clone(record), provide('Correct horse battery staple')));
      expect(e.name).toBe('AccessDeniedException');
      expect(e.message).toMatch(/passphrase/);
      const empty = await kmsError(openVaultMasterKey(id, clone(record), provide('')));
      expect(empty.name).toBe('AccessDeniedException');
    },
    SLOW,
  );

  it(
    'no passphrase provider is KMSInvalidStateException asking for a vault passphrase',
    async () => {
      const id = newVaultId();
      const { record } = await createVaultMasterKey(id, { kind: 'passphrase', passphrase: PASS });
      const e = await kmsError(openVaultMasterKey(id, clone(record)));
      expect(e.name).toBe('KMSInvalidStateException');
      expect(e.message).toMatch(/a vault passphrase/);
    },
    SLOW,
  );

  it('an empty passphrase is refused at creation', async () => {
    const e = await kmsError(createVaultMasterKey(newVaultId(), { kind: 'passphrase', passphrase: '' }));
    expect(e.name).toBe('ValidationException');
  });

  it(
    'a tampered record fails cleanly',
    async () => {
      const id = newVaultId();
      const { vmk, record } = await createVaultMasterKey(id, { kind: 'passphrase', passphrase: PASS });
      const r = clone(record);
      const open = (x: unknown, vaultId = id) => openVaultMasterKey(vaultId, x as CustodyRecord, provide(PASS));

      // Any flipped bit in nonce (0), ciphertext (12, 43) or tag (44, 59), or in the salt:
      // the GCM tag fails, indistinguishable from a wrong passphrase by design.
      for (const i of [0, 12, 43, 44, 59]) {
        const e = await kmsError(open({ ...r, wrappedVmk: flip(r.wrappedVmk, i) }));
        expect(e.name, `byte ${i} of wrappedVmk`).toBe('AccessDeniedException');
      }
      const salt = await kmsError(open({ ...r, salt: flip(r.salt, 3) }));
      expect(salt.name).toBe('AccessDeniedException');

      // Lowering the work factor changes the key: no downgrade.
      const weaker = await kmsError(open({ ...r, params: { ...r.params, t: 1 } }));
      expect(weaker.name).toBe('AccessDeniedException');

      // The record is bound to its vault id.
      const moved = await kmsError(open(r, randomUUID()));
      expect(moved.name).toBe('AccessDeniedException');

      // Structural damage is a state error, found before any derivation.
      const truncated = Buffer.from(r.wrappedVmk, 'base64').subarray(0, 40).toString('base64');
      for (const bad of [
        { ...r, wrappedVmk: truncated },
        { ...r, wrappedVmk: 'not base64!' },
        { ...r, salt: Buffer.alloc(8).toString('base64') },
        { ...r, params: { m: 2 ** 31, t: 3, p: 1 } },
        { ...r, params: { m: 65536, t: 0, p: 1 } },
        { ...r, kdf: 'scrypt' },
        { ...r, kind: 'keychain' },
        { ...r, version: 2 },
        { ...r, extra: 'field' },
        null,
      ]) {
        const e = await kmsError(open(bad));
        expect(e.name, JSON.stringify(bad)).toBe('KMSInvalidStateException');
      }

      // The untouched record still opens.
      expect((await open(r)).equals(vmk)).toBe(true);
    },
    SLOW,
  );
});
