// The vault the fuzz tests (test/fuzz/) attack: a real vault with keys of
// every key spec and every key usage (generated; imported, disabled,
// pending deletion, pending import), aliases, grants, users and a group,
// a second tenant and a second region, and real ciphertexts, signatures,
// MACs, public keys and import tokens. From it come the hints the zod
// arbitraries draw on (test/support/zod-arbitrary.ts): pools of values by
// field name and coherent bundles, so generated inputs reach the handlers
// instead of stopping at "no such key". Everything secret that goes in is
// registered in `secrets`, so the tests can look for it on the way out.
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { userArn } from '../../main/core/codecs/arn.js';
import type { Caller } from '../../main/core/service/caller.js';
import { SPECS } from '../../main/core/kms/key-specs.js';
import { ENCRYPTION_ALGORITHMS, KEY_USAGES, MAC_ALGORITHMS, SIGNING_ALGORITHMS, type KeySpec, type KeyState, type KeyUsage } from '../../main/api/enums.js';
import type { InputOf, ServiceOperationName } from '../../main/api/index.js';
import { importMaterial, wrapMaterial, type WrappingAlgorithm } from './import.js';
import { oneOf } from './one-of.js';
import { PlantedSecrets } from './secrets.js';
import { ADMIN_PASSPHRASE, makeVault, VAULT_PASSPHRASE, type TestVault } from './vault.js';
import { deepJson, ownProto, type Hints } from './zod-arbitrary.js';

interface FixtureKey {
  readonly keyId: string;
  readonly arn: string;
  readonly spec: KeySpec;
  readonly usage: KeyUsage;
  readonly aliasName: string;
  readonly aliasArn: string;
  /** the state the fixture is kept in (heal() puts it back) */
  readonly state: KeyState;
  /** the material imported into it (EXTERNAL keys only) */
  readonly material?: Uint8Array;
  policy: string;
}

interface LoggedError {
  readonly message: string;
  readonly error: unknown;
}

export interface FuzzWorld {
  readonly t: TestVault;
  readonly admin: Caller;
  readonly hints: Hints;
  readonly secrets: PlantedSecrets;
  readonly keys: readonly FixtureKey[];
  /** the second tenant's admin, signed in */
  readonly otherAdmin: Caller;
  /** a fixture user with a login profile, and its passphrase */
  readonly user: { readonly name: string; readonly passphrase: string };
  /** what the service logged as internal errors since the last call of takeLogged() */
  takeLogged(): LoggedError[];
  /** After a call that changed something: puts back the fixture keys and aliases `input` names. */
  heal(input: unknown): Promise<void>;
  /** The fixture keys not (or no longer reachable by alias) in the state the world made them in: heal() missed them. */
  drift(): Promise<string[]>;
  /**
   * A fuzzed command changed admin's passphrase to `passphrase`: that ended
   * every other session of admin (core/service/service.ts), the world's own
   * among them, so the world signs admin in again (`admin` is the new session).
   */
  adminPassphraseChanged(passphrase: string): Promise<void>;
  close(): Promise<void>;
}

const OTHER_REGION = 'eu-fuzz-9';
const REGION = 'local-1';
const CONTEXT = { purpose: 'fuzz', 'tenant-ref': 'α' };

/** A planted plaintext: printable, distinctive, `length` bytes. */
function plantedText(label: string, length: number): Buffer {
  const unit = `SECRET-${label}-${randomBytes(8).toString('hex')}-`;
  return Buffer.from(unit.repeat(Math.ceil(length / unit.length)).slice(0, length));
}

const plantedPassphrase = (label: string) => `pass-${label}-${randomBytes(10).toString('hex')}`;

/** Every string value anywhere in `v` (a few levels deep). */
function stringsIn(v: unknown, out: Set<string> = new Set(), depth = 0): Set<string> {
  if (typeof v === 'string') out.add(v);
  else if (depth < 4 && v !== null && typeof v === 'object' && !(v instanceof Uint8Array)) {
    for (const x of Array.isArray(v) ? v : Object.values(v)) stringsIn(x, out, depth + 1);
  }
  return out;
}

export async function buildFuzzWorld(): Promise<FuzzWorld> {
  let logged: LoggedError[] = [];
  const t = await makeVault({ log: (message, error) => logged.push({ message, error }) });
  const secrets = new PlantedSecrets();
  secrets.add('admin passphrase', ADMIN_PASSPHRASE);
  secrets.add('vault passphrase', VAULT_PASSPHRASE);
  const account = t.admin.account;
  let admin = t.admin;
  const call = <N extends ServiceOperationName>(name: N, input?: InputOf<N>, caller: Caller = admin) => t.call(name, input, caller);

  // ---- keys generated in the vault: every spec, every usage
  const keys: FixtureKey[] = [];
  const createKey = async (spec: KeySpec, usage: KeyUsage, opts: { origin?: 'EXTERNAL'; name: string }): Promise<FixtureKey> => {
    const { KeyMetadata: m } = await call('CreateKey', { KeySpec: spec, KeyUsage: usage, Description: `fuzz ${opts.name}`, ...(opts.origin ? { Origin: opts.origin } : {}) });
    const aliasName = `alias/fuzz-${opts.name}`.toLowerCase().replace(/_/g, '-');
    await call('CreateAlias', { AliasName: aliasName, TargetKeyId: m.KeyId });
    const { Policy } = await call('GetKeyPolicy', { KeyId: m.KeyId });
    return { keyId: m.KeyId, arn: m.Arn, spec, usage, aliasName, aliasArn: `arn:strongroom:kms:${REGION}:${account}:${aliasName}`, state: m.KeyState, policy: Policy };
  };
  // The first spec of a family (RSA_2048, ECC_NIST_P256) with each usage it allows; the larger
  // sizes of the family take one usage each in turn, so every spec and every usage is there
  // without generating two RSA-4096 keys.
  const pairs: (readonly [KeySpec, KeyUsage])[] = [];
  const seenFamilies = new Map<string, number>();
  for (const [spec, info] of Object.entries(SPECS) as [KeySpec, (typeof SPECS)[KeySpec]][]) {
    const usages = Object.keys(info.usages).map((u) => oneOf(KEY_USAGES, u));
    const nth = seenFamilies.get(info.family);
    seenFamilies.set(info.family, (nth ?? -1) + 1);
    if (nth === undefined) usages.forEach((u) => pairs.push([spec, u]));
    else pairs.push([spec, usages[nth % usages.length]!]);
  }
  keys.push(...(await Promise.all(pairs.map(([spec, usage]) => createKey(spec, usage, { name: `${spec}-${usage}` })))));

  // ---- imported keys whose material the test knows (and must never see again)
  const imported = async (spec: KeySpec, usage: KeyUsage, material: Uint8Array, name: string): Promise<FixtureKey> => {
    const k = await createKey(spec, usage, { origin: 'EXTERNAL', name });
    await importMaterial(t, k.keyId, material);
    secrets.add(`imported material ${name}`, material);
    return { ...k, state: 'Enabled', material };
  };
  const ecPrivate = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const ecPkcs8 = ecPrivate.export({ format: 'der', type: 'pkcs8' });
  secrets.add('imported P-256 private scalar', Buffer.from(ecPrivate.export({ format: 'jwk' }).d!, 'base64url'));
  keys.push(
    ...(await Promise.all([
      imported('SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT', randomBytes(32), 'imported-symmetric'),
      imported('ECC_NIST_P256', 'SIGN_VERIFY', ecPkcs8, 'imported-p256'),
    ])),
  );

  // ---- keys in the other states
  const disabled = await createKey('SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT', { name: 'disabled' });
  await call('DisableKey', { KeyId: disabled.keyId });
  const pending = await createKey('SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT', { name: 'pending-deletion' });
  await call('ScheduleKeyDeletion', { KeyId: pending.keyId, PendingWindowInDays: 30 });
  const awaitingImport = await createKey('SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT', { origin: 'EXTERNAL', name: 'pending-import' });
  keys.push({ ...disabled, state: 'Disabled' }, { ...pending, state: 'PendingDeletion' }, awaitingImport);

  const refsOf = (k: FixtureKey) => [k.keyId, k.arn, k.aliasName, k.aliasArn];
  const enabled = keys.filter((k) => k.state === 'Enabled');
  const symmetric = enabled.filter((k) => k.spec === 'SYMMETRIC_DEFAULT');
  const mainKey = symmetric[0]!;

  // ---- a second tenant and a second region, for references that must not reach across
  const otherPassphrase = plantedPassphrase('other-admin');
  secrets.add('other tenant admin passphrase', otherPassphrase);
  const { Tenant } = await call('CreateTenant', { TenantName: 'fuzz-other', AdminPassword: otherPassphrase });
  let otherAdmin = await t.vault.service.signIn({ tenant: Tenant.AccountId, userName: 'admin', passphrase: otherPassphrase, region: REGION, source: 'sdk' });
  const otherPassphrase2 = plantedPassphrase('other-admin-2');
  secrets.add('other tenant admin passphrase (changed)', otherPassphrase2);
  await t.vault.service.call(otherAdmin, 'ChangePassword', { OldPassword: otherPassphrase, NewPassword: otherPassphrase2 });
  otherAdmin = await t.vault.service.signIn({ tenant: Tenant.AccountId, userName: 'admin', passphrase: otherPassphrase2, region: REGION, source: 'sdk' });
  const otherCall = <N extends ServiceOperationName>(name: N, input: InputOf<N>, caller: Caller = otherAdmin) => t.vault.service.call(caller, name, input);
  const otherKey = (await otherCall('CreateKey', { Description: 'other tenant' })).KeyMetadata;
  await otherCall('CreateAlias', { AliasName: mainKey.aliasName, TargetKeyId: otherKey.KeyId }); // the same alias name, in the other tenant
  const otherPlain = plantedText('other-tenant', 40);
  secrets.add('other tenant plaintext', otherPlain);
  const otherCiphertext = (await otherCall('Encrypt', { KeyId: otherKey.KeyId, Plaintext: otherPlain })).CiphertextBlob as Uint8Array;
  const otherGrant = await otherCall('CreateGrant', { KeyId: otherKey.KeyId, GranteePrincipal: 'admin', Operations: ['Decrypt'] });

  const regionAdmin = await t.vault.service.signIn({ userName: 'admin', passphrase: ADMIN_PASSPHRASE, region: OTHER_REGION, source: 'sdk' });
  const regionKey = (await otherCall('CreateKey', { Description: 'other region' }, regionAdmin)).KeyMetadata;
  const regionAlias = 'alias/fuzz-other-region';
  await otherCall('CreateAlias', { AliasName: regionAlias, TargetKeyId: regionKey.KeyId }, regionAdmin);
  const regionPlain = plantedText('other-region', 40);
  secrets.add('other region plaintext', regionPlain);
  const regionCiphertext = (await otherCall('Encrypt', { KeyId: regionKey.KeyId, Plaintext: regionPlain }, regionAdmin)).CiphertextBlob as Uint8Array;

  // ---- users, a group, grants
  const user = { name: 'fuzz-user-1', passphrase: plantedPassphrase('user-1') };
  secrets.add('fuzz-user-1 passphrase', user.passphrase);
  await call('CreateUser', { UserName: user.name });
  await call('CreateLoginProfile', { UserName: user.name, Password: user.passphrase });
  await call('AttachUserPolicy', { UserName: user.name, PolicyArn: 'arn:strongroom:iam::aws:policy/KeyUser' });
  await call('CreateUser', { UserName: 'fuzz-user-2' });
  await call('CreateGroup', { GroupName: 'fuzz-group' });
  await call('AddUserToGroup', { GroupName: 'fuzz-group', UserName: 'fuzz-user-2' });
  const grants = await Promise.all(
    symmetric.slice(0, 2).map(async (k) => ({ key: k, ...(await call('CreateGrant', { KeyId: k.keyId, GranteePrincipal: user.name, RetiringPrincipal: 'admin', Operations: ['Encrypt', 'Decrypt', 'GenerateDataKey'] })) })),
  );

  // ---- passphrases the generator may put in passphrase fields: all planted
  const passphrases = [ADMIN_PASSPHRASE, user.passphrase, otherPassphrase2, ...['new-1', 'new-2', 'new-3'].map(plantedPassphrase)];
  passphrases.forEach((p, i) => secrets.add(`planted passphrase ${i}`, p));
  // ---- plaintexts: planted, of sizes that fit RSA-OAEP, AES-GCM, and the 4 KiB and 4 MiB limits
  const plaintexts = [16, 32, 100, 190, 300, 4096, 4097].map((n) => plantedText(`plaintext-${n}`, n));
  plaintexts.forEach((p, i) => secrets.add(`planted plaintext ${i}`, p));

  // ---- bundles: coherent partial inputs, one or more per fixture key (made in parallel, kept in key order)
  interface KeyArtefacts {
    bundles: Record<string, unknown>[];
    ciphertexts: Uint8Array[];
    signatures: Uint8Array[];
    macs: Uint8Array[];
    publicKeys: Uint8Array[];
    messages: Uint8Array[];
  }
  const artefactsOf = async (k: FixtureKey, i: number): Promise<KeyArtefacts> => {
    const a: KeyArtefacts = { bundles: [], ciphertexts: [], signatures: [], macs: [], publicKeys: [], messages: [] };
    const refs = refsOf(k);
    const KeyId = refs[i % refs.length]!;
    const algorithms = (SPECS[k.spec].usages as Record<string, readonly string[] | undefined>)[k.usage] ?? [];
    if (k.usage === 'ENCRYPT_DECRYPT') {
      for (const alg of algorithms.map((a) => oneOf(ENCRYPTION_ALGORITHMS, a))) {
        // RSA-OAEP takes at most 190 bytes under a 2048-bit key with SHA-256; a symmetric key's bundle
        // leaves Plaintext to the pool (every planted size fits)
        const Plaintext = k.spec === 'SYMMETRIC_DEFAULT' ? plaintexts[5]! : plaintexts[3]!;
        const EncryptionContext = k.spec === 'SYMMETRIC_DEFAULT' ? CONTEXT : undefined;
        const { CiphertextBlob } = await call('Encrypt', { KeyId: k.keyId, Plaintext, EncryptionAlgorithm: alg, ...(EncryptionContext ? { EncryptionContext } : {}) });
        a.ciphertexts.push(CiphertextBlob);
        a.bundles.push({
          KeyId,
          ...(k.spec === 'SYMMETRIC_DEFAULT' ? {} : { Plaintext }),
          CiphertextBlob,
          EncryptionAlgorithm: alg,
          EncryptionContext,
          SourceKeyId: KeyId,
          SourceEncryptionContext: EncryptionContext,
          SourceEncryptionAlgorithm: alg,
          DestinationKeyId: mainKey.aliasName,
        });
      }
    } else if (k.usage === 'SIGN_VERIFY') {
      for (const alg of algorithms.map((a) => oneOf(SIGNING_ALGORITHMS, a))) {
        // Ed25519ph signs a SHA-512 digest only
        const MessageType = alg === 'ED25519_PH_SHA_512' ? 'DIGEST' : 'RAW';
        const Message = MessageType === 'DIGEST' ? createHash('sha512').update('prehashed').digest() : plantedText(`message-${k.spec}`, 64);
        const { Signature } = await call('Sign', { KeyId: k.keyId, Message, MessageType, SigningAlgorithm: alg });
        a.signatures.push(Signature);
        a.messages.push(Message);
        a.bundles.push({ KeyId, Message, MessageType, SigningAlgorithm: alg, Signature });
      }
      if (k.spec === 'ECC_NIST_P256') {
        const Message = createHash('sha256').update('digest me').digest();
        const { Signature } = await call('Sign', { KeyId: k.keyId, Message, MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' });
        a.bundles.push({ KeyId, Message, MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256', Signature });
      }
    } else if (k.usage === 'GENERATE_VERIFY_MAC') {
      const Message = plantedText(`mac-message-${k.spec}`, 64);
      const MacAlgorithm = oneOf(MAC_ALGORITHMS, algorithms[0]);
      const { Mac } = await call('GenerateMac', { KeyId: k.keyId, Message, MacAlgorithm });
      a.macs.push(Mac);
      a.bundles.push({ KeyId, Message, MacAlgorithm, Mac });
    } else if (k.usage === 'KEY_AGREEMENT') {
      // a peer's public key on the same curve: the vault's own public key of the key serves
      const { PublicKey } = await call('GetPublicKey', { KeyId: k.keyId });
      a.bundles.push({ KeyId, KeyAgreementAlgorithm: 'ECDH', PublicKey });
    }
    if (k.spec !== 'SYMMETRIC_DEFAULT' && !k.spec.startsWith('HMAC')) a.publicKeys.push((await call('GetPublicKey', { KeyId: k.keyId })).PublicKey);
    a.bundles.push({ KeyId: refs[(i + 1) % refs.length], Format: k.spec === 'ECC_X25519' ? 'age' : 'pem' });
    return a;
  };
  const artefacts = await Promise.all(enabled.map(artefactsOf));
  const all = <K extends keyof KeyArtefacts>(kind: K): KeyArtefacts[K] => artefacts.flatMap((a): unknown[] => a[kind]) as KeyArtefacts[K];
  const bundles = all('bundles');
  const ciphertexts = [otherCiphertext, regionCiphertext, ...all('ciphertexts')];
  const signatures = all('signatures');
  const macs = all('macs');
  const publicKeys = all('publicKeys');
  const messages = all('messages');
  // every key spec with each usage it allows (what CreateKey takes), and one it does not
  for (const [spec, info] of Object.entries(SPECS)) for (const usage of Object.keys(info.usages)) bundles.push({ KeySpec: spec, KeyUsage: usage, Description: `fuzz ${spec}` });
  bundles.push({ KeySpec: 'ECC_X25519', KeyUsage: 'SIGN_VERIFY' }, { KeySpec: 'SYMMETRIC_DEFAULT', Origin: 'EXTERNAL' }, { KeySpec: 'HMAC_384', KeyUsage: 'GENERATE_VERIFY_MAC', Origin: 'EXTERNAL' });
  for (const g of grants) bundles.push({ KeyId: g.key.keyId, GrantId: g.GrantId, GrantToken: g.GrantToken, GrantTokens: [g.GrantToken] });
  // an import waiting to happen: the pending-import key, its token and wrapped material
  const importToImport = randomBytes(32);
  secrets.add('material for the pending-import key', importToImport);
  for (const WrappingAlgorithm of ['RSA_AES_KEY_WRAP_SHA_256'] as WrappingAlgorithm[]) {
    const params = await call('GetParametersForImport', { KeyId: awaitingImport.keyId, WrappingAlgorithm, WrappingKeySpec: 'RSA_2048' });
    bundles.push({
      KeyId: awaitingImport.keyId,
      ImportToken: params.ImportToken,
      EncryptedKeyMaterial: wrapMaterial(params.PublicKey, WrappingAlgorithm, importToImport),
      ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
      WrappingAlgorithm,
      WrappingKeySpec: 'RSA_2048',
    });
  }
  const importTokens = bundles.flatMap((b) => (b['ImportToken'] ? [b['ImportToken'] as Uint8Array] : []));
  const wrappedMaterial = bundles.flatMap((b) => (b['EncryptedKeyMaterial'] ? [b['EncryptedKeyMaterial'] as Uint8Array] : []));
  ciphertexts.push((await call('GenerateDataKeyWithoutPlaintext', { KeyId: mainKey.keyId, NumberOfBytes: 32 })).CiphertextBlob);

  // ---- pools: what the vault holds, and near misses
  const foreignKeyRefs = [
    otherKey.Arn,
    `arn:strongroom:kms:${REGION}:${Tenant.AccountId}:${mainKey.aliasName}`,
    otherKey.KeyId, // a key id of another tenant, bare
    regionKey.Arn,
    regionKey.KeyId,
    regionAlias,
    `arn:strongroom:kms:${OTHER_REGION}:${account}:${regionAlias}`,
    mainKey.arn.replace(REGION, OTHER_REGION),
    mainKey.arn.replace(account, Tenant.AccountId),
    mainKey.arn.replace('arn:strongroom:', 'arn:aws:'),
    mainKey.arn.replace(':kms:', ':iam:'),
    mainKey.keyId.toUpperCase(),
    ` ${mainKey.keyId}`,
    `${mainKey.keyId}\n`,
    `${mainKey.arn}/`,
    `${mainKey.arn}:extra`,
    mainKey.keyId.replace(/.$/, 'z'),
    '00000000-0000-0000-0000-000000000000',
    `arn:strongroom:kms:${REGION}:${account}:key/`,
    `arn:strongroom:kms:${REGION}:${account}:alias/`,
    `arn:strongroom:kms:::key/${mainKey.keyId}`,
    'alias/aws/kms',
    'alias/does-not-exist',
    'alias/',
    `alias/${'a'.repeat(300)}`,
  ];
  const keyRefs = [...keys.flatMap(refsOf), ...foreignKeyRefs];
  const principals = [user.name, 'fuzz-user-2', userArn(account, user.name), userArn(Tenant.AccountId, 'admin'), `arn:strongroom:iam::${account}:root`, 'arn:strongroom:iam::aws:root', '*', 'no-such-user', userArn(account, 'no-such-user'), 'arn:aws:iam::123456789012:user/x'];
  const { Policies } = await call('ListPolicies', {});
  const { NextMarker } = await call('ListKeys', { Limit: 1 });
  if (NextMarker === undefined) throw new Error('ListKeys with Limit 1 returned no NextMarker: the fuzz world holds more than one key');
  const events = await call('LookupEvents', { MaxResults: 1 });
  const rootPolicy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'root', Effect: 'Allow', Principal: { AWS: `arn:strongroom:iam::${account}:root` }, Action: 'kms:*', Resource: '*' }] });
  const identityPolicy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['kms:Describe*', 'kms:List*'], Resource: '*' }] });
  const policyJunk = [
    rootPolicy,
    mainKey.policy,
    identityPolicy,
    JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'kms:EncryptionContext:purpose': 'x' } } }, JSON.parse(rootPolicy).Statement[0]] }),
    JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ['*', `arn:strongroom:iam::${Tenant.AccountId}:root`] }, Action: '*', Resource: '*', Condition: { Bogus: { x: 'y' }, NumericLessThan: { 'kms:GrantConstraintType': 'NaN' } } }] }),
    JSON.stringify({ Version: '2012-10-17', Statement: [] }),
    JSON.stringify({ Version: '2008-10-17', Statement: { Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' } }),
    JSON.stringify({ Statement: [{ Effect: 'Allow', NotPrincipal: { AWS: '*' }, NotAction: 'kms:*', NotResource: '*' }] }),
    JSON.stringify(ownProto({ polluted: 'yes' })),
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:*","Resource":"*","Condition":{"StringLike":{"aws:username":"${aws:username}*"}}}]}',
    JSON.stringify({ Version: '2012-10-17', Statement: Array.from({ length: 500 }, (_, i) => ({ Sid: `s${i}`, Effect: 'Allow', Action: 'kms:Describe*', Resource: '*', Principal: { AWS: `arn:strongroom:iam::${account}:root` } })) }),
    '{',
    'null',
    '[]',
    '"string"',
    '{"Statement": 5}',
    deepJson(64),
  ];
  const pools: Record<string, unknown[]> = {
    KeyId: keyRefs,
    TargetKeyId: keyRefs,
    SourceKeyId: keyRefs,
    DestinationKeyId: keyRefs,
    AliasName: [...keys.map((k) => k.aliasName), 'alias/fuzz-new-1', 'alias/fuzz-new-2', 'alias/aws/reserved', 'alias/', 'fuzz-no-prefix', mainKey.aliasArn, regionAlias, `alias/${'x'.repeat(256)}`, 'alias/with space', 'alias/ünïcode'],
    UserName: [user.name, 'fuzz-user-2', 'fuzz-user-new', 'no-such-user', 'Fuzz-User-1'],
    GroupName: ['fuzz-group', 'fuzz-group-new', 'no-such-group'],
    GranteePrincipal: principals,
    RetiringPrincipal: principals,
    KeyAdministrators: [user.name, userArn(Tenant.AccountId, 'admin'), 'no-such-user', []],
    KeyUsers: [user.name, 'fuzz-user-2', `arn:strongroom:iam::${account}:root`, '*'],
    PolicyArn: [...Policies.map((p: { Arn: string }) => p.Arn), 'arn:strongroom:iam::aws:policy/NoSuchPolicy', `arn:strongroom:iam::${account}:policy/Custom`, 'arn:aws:iam::aws:policy/AdministratorAccess'],
    Policy: policyJunk,
    PolicyDocument: policyJunk,
    PolicyName: ['default', 'fuzz-inline', 'other'],
    GrantId: [...grants.map((g) => g.GrantId), otherGrant.GrantId, '0'.repeat(64)],
    GrantToken: [...grants.map((g) => g.GrantToken), otherGrant.GrantToken, 'not-a-token'],
    GrantTokens: [grants[0]!.GrantToken, otherGrant.GrantToken, 'not-a-token', Array.from({ length: 10 }, () => grants[1]!.GrantToken)],
    AccountId: [Tenant.AccountId, account, '000000000000', '999999999999'],
    TenantName: ['fuzz-other', 'operator', 'fuzz-tenant-new', '123456789012'],
    Plaintext: plaintexts,
    CiphertextBlob: ciphertexts,
    Signature: signatures,
    Mac: macs,
    PublicKey: publicKeys,
    Message: [...messages, createHash('sha256').update('x').digest(), createHash('sha384').update('x').digest(), createHash('sha512').update('x').digest(), new Uint8Array(28)],
    ImportToken: importTokens,
    EncryptedKeyMaterial: wrappedMaterial,
    EncryptionContext: [CONTEXT, {}, { '': '' }, { 'aws:x': 'y' }, { 'k': 'v'.repeat(8192) }],
    Tags: [[{ TagKey: 'env', TagValue: 'fuzz' }], [{ TagKey: 'aws:reserved', TagValue: 'x' }], Array.from({ length: 51 }, (_, i) => ({ TagKey: `k${i}`, TagValue: 'v' })), [{ TagKey: 'dup', TagValue: 'a' }, { TagKey: 'dup', TagValue: 'b' }]],
    TagKeys: ['env', 'aws:reserved', 'no-such-tag'],
    Marker: [NextMarker, 'bm90IGEgbWFya2Vy', NextMarker.slice(0, -2)],
    NextToken: [events.NextToken ?? 'x', 'bm90IGEgdG9rZW4='],
    EventName: ['Encrypt', 'CreateKey', 'Nope'],
    // never lock the fixtures out: the lockout safety check stays on (see poolOnly below)
    BypassPolicyLockoutSafetyCheck: [false],
  };
  // passphrase fields draw from the planted passphrases only, so every one that goes in is registered
  const passphraseFields = ['Password', 'NewPassword', 'OldPassword', 'AdminPassword'];
  for (const f of passphraseFields) pools[f] = passphrases;

  const byRef = new Map<string, FixtureKey>();
  for (const k of keys) for (const r of refsOf(k)) byRef.set(r, k);
  const byAlias = new Map(keys.map((k) => [k.aliasName, k]));

  /** Best effort: a call the fixture cannot be put back with is left as it is (the fuzz still runs on). */
  const quiet = async (p: Promise<unknown>) => p.catch(() => undefined);
  async function healKey(k: FixtureKey): Promise<void> {
    const policy = await quiet(call('GetKeyPolicy', { KeyId: k.keyId })) as { Policy?: string } | undefined;
    if (policy?.Policy !== undefined && policy.Policy !== k.policy) await quiet(call('PutKeyPolicy', { KeyId: k.keyId, Policy: k.policy, BypassPolicyLockoutSafetyCheck: true }));
    const m = (await quiet(call('DescribeKey', { KeyId: k.keyId })) as { KeyMetadata?: { KeyState: string } } | undefined)?.KeyMetadata;
    if (!m || m.KeyState === k.state) return;
    if (m.KeyState === 'PendingDeletion') await quiet(call('CancelKeyDeletion', { KeyId: k.keyId }));
    if (m.KeyState === 'PendingImport' && k.material) await quiet(importMaterial(t, k.keyId, k.material));
    if (k.state === 'PendingImport') await quiet(call('DeleteImportedKeyMaterial', { KeyId: k.keyId }));
    if (k.state === 'Enabled') await quiet(call('EnableKey', { KeyId: k.keyId }));
    if (k.state === 'Disabled') await quiet(call('DisableKey', { KeyId: k.keyId }));
    if (k.state === 'PendingDeletion') await quiet(call('ScheduleKeyDeletion', { KeyId: k.keyId, PendingWindowInDays: 30 }));
  }

  return {
    t,
    get admin() {
      return admin;
    },
    hints: { pools, bundles, poolOnly: new Set([...passphraseFields, 'BypassPolicyLockoutSafetyCheck']) },
    secrets,
    keys,
    otherAdmin,
    user,
    takeLogged() {
      const out = logged;
      logged = [];
      return out;
    },
    async heal(input) {
      const named = stringsIn(input);
      for (const k of new Set([...named].flatMap((s) => (byRef.has(s) ? [byRef.get(s)!] : [])))) await healKey(k);
      for (const s of named) {
        const k = byAlias.get(s);
        if (!k) continue;
        const moved = await quiet(call('UpdateAlias', { AliasName: k.aliasName, TargetKeyId: k.keyId }));
        if (moved !== undefined) continue;
        // gone: made again (a key pending deletion takes no new alias, so its deletion is cancelled and scheduled again)
        if (k.state === 'PendingDeletion') await quiet(call('CancelKeyDeletion', { KeyId: k.keyId }));
        await quiet(call('CreateAlias', { AliasName: k.aliasName, TargetKeyId: k.keyId }));
        await healKey(k);
      }
      logged = [];
    },
    async drift() {
      const states = await Promise.all(
        keys.map(async (k) => {
          const m = (await quiet(call('DescribeKey', { KeyId: k.aliasName })) as { KeyMetadata?: { KeyState: string; KeyId: string } } | undefined)?.KeyMetadata;
          return m?.KeyState === k.state && m.KeyId === k.keyId ? undefined : `${k.aliasName}: ${m ? `${m.KeyId} ${m.KeyState}` : 'not found'}, not ${k.state}`;
        }),
      );
      return states.filter((x): x is string => x !== undefined);
    },
    async adminPassphraseChanged(passphrase) {
      admin = await t.vault.service.signIn({ userName: 'admin', passphrase, region: REGION, source: 'sdk' });
    },
    close: () => t.close(),
  };
}
