// The asymmetric, HMAC and import operations through the built `strongroom`
// binary, with the AWS CLI's flags (--message fileb://, --message-type,
// --signing-algorithm, …) and the partner's side done by openssl: the
// commands a user runs to hand out a public key, sign, verify, and import
// key material exactly as AWS's import docs show.
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ensureBuilt, Workspace } from './binary.js';

beforeAll(() => ensureBuilt(), 180_000);

describe.concurrent('asymmetric keys from the command line', () => {
  const ws = new Workspace();
  beforeAll(async () => {
    const r = await ws.run(['init', '--passphrase-only', '--tenant-name', 'asym-cli']);
    expect(r.code, r.stderr).toBe(0);
    writeFileSync(ws.path('msg.txt'), 'signed on the command line\n');
  }, 60_000);
  afterAll(() => ws.remove());

  const createKey = async (...args: string[]) => (await ws.json<{ KeyMetadata: { KeyId: string; Arn: string } }>(['create-key', ...args])).KeyMetadata;

  test('sign → export-public-key pem → openssl dgst -verify; verify; a bad signature exits 254', async () => {
    const k = await createKey('--key-spec', 'ECC_NIST_P256', '--key-usage', 'SIGN_VERIFY');
    const r = await ws.sh(
      [
        `strongroom sign --key-id ${k.KeyId} --message fileb://msg.txt --message-type RAW --signing-algorithm ECDSA_SHA_256 --output text --query Signature | base64 --decode > sig.bin`,
        `strongroom export-public-key --key-id ${k.KeyId} --format pem --output text --query PublicKey > pub.pem`,
        'openssl dgst -sha256 -verify pub.pem -signature sig.bin msg.txt',
        `strongroom verify --key-id ${k.KeyId} --message fileb://msg.txt --signature fileb://sig.bin --signing-algorithm ECDSA_SHA_256 --query SignatureValid`,
      ].join(' && '),
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('Verified OK\ntrue\n');
    writeFileSync(ws.path('other.txt'), 'not what was signed\n');
    const bad = await ws.run(['verify', '--key-id', k.KeyId, '--message', 'fileb://other.txt', '--signature', 'fileb://sig.bin', '--signing-algorithm', 'ECDSA_SHA_256']);
    expect(bad.code).toBe(254);
    expect(bad.stderr).toContain('KMSInvalidSignatureException');
  });

  test('get-public-key | base64 --decode is the DER openssl reads; describe-key lists SigningAlgorithms', async () => {
    const k = await createKey('--key-spec', 'RSA_2048', '--key-usage', 'SIGN_VERIFY');
    const r = await ws.sh(`strongroom get-public-key --key-id ${k.KeyId} --output text --query PublicKey | base64 --decode | openssl pkey -pubin -inform DER -noout -text | head -1`);
    expect(r.stdout).toMatch(/Public-Key: \(2048 bit\)/);
    const d = await ws.json(['describe-key', '--key-id', k.KeyId]);
    expect(d.KeyMetadata.SigningAlgorithms).toContain('RSASSA_PSS_SHA_256');
  });

  test('export-public-key --format ssh | ssh-keygen -l; age recipient for an X25519 key', async () => {
    const k = await createKey('--key-spec', 'ECC_NIST_EDWARDS25519', '--key-usage', 'SIGN_VERIFY');
    const out = await ws.json(['export-public-key', '--key-id', k.KeyId, '--format', 'ssh']);
    const r = await ws.sh(`strongroom export-public-key --key-id ${k.KeyId} --format ssh --output text --query PublicKey > k.pub && ssh-keygen -l -f k.pub`);
    expect(r.stdout).toContain(out.Fingerprint);
    const x = await createKey('--key-spec', 'ECC_X25519', '--key-usage', 'KEY_AGREEMENT');
    const age = await ws.run(['export-public-key', '--key-id', x.KeyId, '--format', 'age', '--output', 'text', '--query', 'PublicKey']);
    expect(age.stdout).toMatch(/^age1[a-z0-9]{58}\n/);
  });

  test('generate-mac / verify-mac with an HMAC key', async () => {
    const k = await createKey('--key-spec', 'HMAC_256', '--key-usage', 'GENERATE_VERIFY_MAC');
    const r = await ws.sh(
      [
        `strongroom generate-mac --key-id ${k.KeyId} --message fileb://msg.txt --mac-algorithm HMAC_SHA_256 --output text --query Mac | base64 --decode > mac.bin`,
        `strongroom verify-mac --key-id ${k.KeyId} --message fileb://msg.txt --mac fileb://mac.bin --mac-algorithm HMAC_SHA_256 --query MacValid`,
      ].join(' && '),
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('true\n');
  });

  test("AWS's import procedure: get-parameters-for-import, openssl pkeyutl, import-key-material; then encrypt/decrypt", async () => {
    const k = await createKey('--origin', 'EXTERNAL');
    const material = randomBytes(32);
    writeFileSync(ws.path('PlaintextKeyMaterial.bin'), material);
    const r = await ws.sh(
      [
        `strongroom get-parameters-for-import --key-id ${k.KeyId} --wrapping-algorithm RSAES_OAEP_SHA_256 --wrapping-key-spec RSA_4096 > params.json`,
        // the token and the public key of the same response (AWS's docs use --query with each; one call here)
        `node -e 'const p=require("./params.json"); require("fs").writeFileSync("ImportToken.bin", Buffer.from(p.ImportToken,"base64")); require("fs").writeFileSync("PublicKey.bin", Buffer.from(p.PublicKey,"base64"))'`,
        'openssl pkeyutl -encrypt -in PlaintextKeyMaterial.bin -out EncryptedKeyMaterial.bin -inkey PublicKey.bin -keyform DER -pubin -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 -pkeyopt rsa_mgf1_md:sha256',
        `strongroom import-key-material --key-id ${k.KeyId} --encrypted-key-material fileb://EncryptedKeyMaterial.bin --import-token fileb://ImportToken.bin --expiration-model KEY_MATERIAL_DOES_NOT_EXPIRE > imported.json`,
        `strongroom describe-key --key-id ${k.KeyId} --query KeyMetadata.KeyState --output text`,
        `strongroom encrypt --key-id ${k.KeyId} --plaintext fileb://msg.txt --output text --query CiphertextBlob | base64 --decode > imported.ct`,
        `strongroom decrypt --ciphertext-blob fileb://imported.ct --output text --query Plaintext | base64 --decode`,
      ].join(' && '),
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('Enabled\nsigned on the command line\n');
    expect(JSON.parse(readFileSync(ws.path('params.json'), 'utf8')).ParametersValidTo).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    // ImportKeyMaterialResponse: the key's ARN and the id of the material imported
    const imported = JSON.parse(readFileSync(ws.path('imported.json'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(imported)).toEqual(['KeyId', 'KeyMaterialId']);
    expect(imported['KeyId']).toBe(k.Arn);
    expect(imported['KeyMaterialId']).toMatch(/^[0-9a-f]{64}$/);
  });
});
