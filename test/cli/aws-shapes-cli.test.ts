// What the built `strongroom` prints, against AWS's own API models
// (botocore's service-2.json, test/api/botocore-models.ts): JSON members in
// the model's order, as `aws kms` / `aws iam` print them (botocore builds a
// response's members in model order), algorithm lists in the order AWS
// lists them, IAM's required Path; and --dry-run / --no-dry-run, as the
// AWS CLI makes them of the DryRun boolean.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadModel, type ServiceModel } from '../api/botocore-models.js';
import { ensureBuilt, Workspace } from './binary.js';

beforeAll(() => ensureBuilt(), 180_000);

let kms: ServiceModel;
let iam: ServiceModel;
beforeAll(() => {
  kms = loadModel('kms/2014-11-01');
  iam = loadModel('iam/2010-05-08');
});

/** The model's members of `shape` that `present` has, in the model's order. */
const modelOrder = (model: ServiceModel, shape: string, present: object): string[] =>
  Object.keys(model.shapes[shape]!.members!).filter((m) => Object.hasOwn(present, m));

describe.concurrent('printed as AWS prints it', () => {
  const ws = new Workspace();
  beforeAll(async () => {
    const r = await ws.run(['init', '--passphrase-only', '--tenant-name', 'shapes-cli']);
    expect(r.code, r.stderr).toBe(0);
  }, 60_000);
  afterAll(() => ws.remove());

  test('describe-key and get-public-key of an RSA signing key: members in the model\'s order, SigningAlgorithms PKCS #1 v1.5 then PSS', async () => {
    const { KeyMetadata: created } = await ws.json(['create-key', '--key-spec', 'RSA_2048', '--key-usage', 'SIGN_VERIFY']);
    const { stdout } = await ws.run(['describe-key', '--key-id', created.KeyId]);
    const { KeyMetadata } = JSON.parse(stdout);
    expect(Object.keys(KeyMetadata)).toEqual(modelOrder(kms, 'KeyMetadata', KeyMetadata));
    // KeySpec comes after CustomerMasterKeySpec and before the algorithms, MultiRegion after them (not alphabetical, not construction order)
    expect(Object.keys(KeyMetadata)).toEqual(['AWSAccountId', 'KeyId', 'Arn', 'CreationDate', 'Enabled', 'Description', 'KeyUsage', 'KeyState', 'Origin', 'KeyManager', 'CustomerMasterKeySpec', 'KeySpec', 'SigningAlgorithms', 'MultiRegion']);
    const rsa = ['RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512', 'RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512'];
    expect(KeyMetadata.SigningAlgorithms).toEqual(rsa);

    const pub = await ws.json(['get-public-key', '--key-id', created.KeyId]);
    expect(Object.keys(pub)).toEqual(modelOrder(kms, 'GetPublicKeyResponse', pub));
    expect(pub.SigningAlgorithms).toEqual(rsa);

    // (--output yaml, table and text sort a mapping's keys, as the AWS CLI's own formatters do: format-yaml.ts, format-table.ts)
  });

  test('an HMAC key: MacAlgorithms last, where the model puts it; encrypt: CiphertextBlob, KeyId, EncryptionAlgorithm', async () => {
    const { KeyMetadata } = await ws.json(['create-key', '--key-spec', 'HMAC_256', '--key-usage', 'GENERATE_VERIFY_MAC']);
    expect(Object.keys(KeyMetadata)).toEqual(modelOrder(kms, 'KeyMetadata', KeyMetadata));
    expect(Object.keys(KeyMetadata).slice(-2)).toEqual(['MultiRegion', 'MacAlgorithms']);
    const sym = (await ws.json(['create-key'])).KeyMetadata;
    const enc = await ws.json(['encrypt', '--key-id', sym.KeyId, '--plaintext', 'aGVsbG8=']);
    expect(Object.keys(enc)).toEqual(modelOrder(kms, 'EncryptResponse', enc));
  });

  test('iam create-user, get-user, create-group: Path "/" first, IAM\'s required members, in IAM\'s order', async () => {
    const { User } = await ws.json(['iam', 'create-user', '--user-name', 'pat']);
    for (const m of iam.shapes['User']!.required!) expect(User, m).toHaveProperty(m);
    expect(User.Path).toBe('/');
    expect(Object.keys(User)).toEqual([...modelOrder(iam, 'User', User), 'Enabled']);
    const got = (await ws.json(['iam', 'get-user', '--user-name', 'pat'])).User;
    expect(Object.keys(got)).toEqual(Object.keys(User));
    const { Group } = await ws.json(['iam', 'create-group', '--group-name', 'ops']);
    for (const m of iam.shapes['Group']!.required!) expect(Group, m).toHaveProperty(m);
    expect(Object.keys(Group)).toEqual(modelOrder(iam, 'Group', Group));
  });
});

describe.concurrent('--dry-run and --no-dry-run', () => {
  const ws = new Workspace();
  beforeAll(async () => {
    const r = await ws.run(['init', '--passphrase-only', '--tenant-name', 'dry-run-cli']);
    expect(r.code, r.stderr).toBe(0);
  }, 60_000);
  afterAll(() => ws.remove());

  test('encrypt --dry-run exits 254 with DryRunOperationException and prints nothing; --no-dry-run encrypts', async () => {
    const { KeyMetadata } = await ws.json(['create-key']);
    const dry = await ws.run(['encrypt', '--key-id', KeyMetadata.KeyId, '--plaintext', 'aGVsbG8=', '--dry-run']);
    expect(dry.code).toBe(254);
    expect(dry.stdout).toBe('');
    expect(dry.stderr).toContain('An error occurred (DryRunOperationException) when calling the Encrypt operation: The request would have succeeded');
    const real = await ws.json(['encrypt', '--key-id', KeyMetadata.KeyId, '--plaintext', 'aGVsbG8=', '--no-dry-run']);
    expect(real.KeyId).toBe(KeyMetadata.Arn);
    const events = await ws.json(['audit', 'lookup-events', '--event-name', 'Encrypt']);
    const recorded = events.Events.map((e: { CloudTrailEvent: string }) => JSON.parse(e.CloudTrailEvent));
    expect(recorded.map((e: { errorCode?: string }) => e.errorCode ?? 'ok').sort()).toEqual(['DryRunOperationException', 'ok']);
  });

  test('a dry run of what would fail fails as the real call: revoke-grant of an unknown grant, sign with a disabled key', async () => {
    const { KeyMetadata } = await ws.json(['create-key', '--key-spec', 'ECC_NIST_P256', '--key-usage', 'SIGN_VERIFY']);
    const revoke = await ws.run(['revoke-grant', '--key-id', KeyMetadata.KeyId, '--grant-id', 'a'.repeat(64), '--dry-run']);
    expect(revoke.code).toBe(254);
    expect(revoke.stderr).toContain('(InvalidGrantIdException)');
    expect((await ws.run(['disable-key', '--key-id', KeyMetadata.KeyId])).code).toBe(0);
    const sign = await ws.run(['sign', '--key-id', KeyMetadata.KeyId, '--message', 'aGVsbG8=', '--signing-algorithm', 'ECDSA_SHA_256', '--dry-run']);
    expect(sign.code).toBe(254);
    expect(sign.stderr).toContain('(DisabledException)');
  });

  test('help shows the boolean as the AWS CLI does', async () => {
    const help = await ws.run(['create-grant', 'help']);
    expect(help.stdout).toContain('--dry-run | --no-dry-run (boolean)');
  });
});
