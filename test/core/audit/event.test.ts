import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildEvent, isReadOnlyOperation, keyArnsIn, redact, REDACTED } from '../../../main/core/audit/event.js';
import { CONTRACT } from '../../../main/api/index.js';
import { ACCOUNT, keyArnOf, REGION, T0 } from './support.js';

/** Every way a secret could leak into the JSON: as text, hex, base64, base64url. */
function leaks(json: string, secret: string | Uint8Array): boolean {
  const b = typeof secret === 'string' ? Buffer.from(secret) : Buffer.from(secret);
  const forms = [b.toString('hex'), b.toString('base64'), b.toString('base64url'), JSON.stringify(b).slice(1, -1)];
  if (typeof secret === 'string') forms.push(secret);
  else forms.push(Array.from(b).join(','));
  return forms.some((f) => f.length >= 8 && json.includes(f));
}

// The field names the brief and AWS's APIs use for secrets.
const SECRET_FIELDS = [
  'Plaintext',
  'PrivateKeyPlaintext',
  'Passphrase',
  'NewPassphrase',
  'OldPassphrase',
  'CurrentPassphrase',
  'AdminPassphrase',
  'Password',
  'NewPassword',
  'OldPassword',
  'KeyStorePassword',
  'SharedSecret',
  'SecretAccessKey',
  'KeyMaterial',
  'RawKeyMaterial',
  'SessionToken',
  'XksProxyAuthenticationCredential',
  // spelled the way a JSON adapter might
  'plaintext',
  'passphrase',
];

describe('redact', () => {
  describe.each(SECRET_FIELDS)('%s', (field) => {
    const text = `correct horse battery staple ${field}`;
    const bytes = randomBytes(32);
    it.each([
      ['a string', text],
      ['bytes', bytes],
      ['a number', 123456789],
      ['an object', { Inner: text, Deeper: { Bytes: bytes } }],
      ['an array', [text, bytes]],
    ])('is never written when it holds %s, in the input or the output, at any depth', (_, value) => {
      const input = { KeyId: 'k', [field]: value, Nested: { List: [{ [field]: value }] } };
      const { requestParameters, responseElements } = redact('AnyOperation', input, { [field]: value });
      const json = JSON.stringify({ requestParameters, responseElements });
      expect(leaks(json, text)).toBe(false);
      expect(leaks(json, bytes)).toBe(false);
      expect(json).not.toContain('123456789');
      expect(requestParameters![field]).toBe(REDACTED);
      expect((requestParameters!.Nested as any).List[0][field]).toBe(REDACTED);
      expect(responseElements![field]).toBe(REDACTED);
      expect(requestParameters!.KeyId).toBe('k');
    });
  });

  it('keeps null, booleans and dates under secret names (they are not secrets: PasswordResetRequired, PasswordLastUsed)', () => {
    const { requestParameters } = redact('CreateLoginProfile', { PasswordResetRequired: true, PasswordLastUsed: new Date(T0), Plaintext: null }, undefined);
    expect(requestParameters).toEqual({ PasswordResetRequired: true, PasswordLastUsed: new Date(T0).toISOString(), Plaintext: null });
  });

  it('writes every blob only as its SHA-256 and length (CiphertextBlob, Mac, Signature, Message, PublicKey, EncryptedKeyMaterial, PrivateKeyCiphertextBlob)', () => {
    const blobs = Object.fromEntries(
      ['CiphertextBlob', 'Mac', 'Signature', 'Message', 'PublicKey', 'EncryptedKeyMaterial', 'PrivateKeyCiphertextBlob', 'ImportToken', 'SomeNewBlob'].map((k) => [k, randomBytes(40 + k.length)]),
    );
    const { requestParameters, responseElements } = redact('AnyOperation', blobs, { CiphertextBlob: blobs.CiphertextBlob });
    for (const [k, v] of Object.entries(blobs)) {
      expect(requestParameters![k]).toEqual({ sha256: createHash('sha256').update(v).digest('hex'), length: v.length });
      expect(leaks(JSON.stringify(requestParameters), v)).toBe(false);
    }
    expect(responseElements!.CiphertextBlob).toEqual(requestParameters!.CiphertextBlob);
  });

  it('hashes any binary view (Buffer, Uint8Array, ArrayBuffer, other typed arrays)', () => {
    const b = randomBytes(16);
    const want = { sha256: createHash('sha256').update(b).digest('hex'), length: 16 };
    const { requestParameters } = redact('X', { A: b, B: new Uint8Array(b), C: b.buffer.slice(b.byteOffset, b.byteOffset + 16), D: new Uint32Array(new Uint8Array(b).buffer) }, undefined);
    expect(requestParameters).toEqual({ A: want, B: want, C: want, D: want });
  });

  it('writes grant tokens only as hashes, and keeps pagination markers', () => {
    const tokens = ['grant-token-aaaaaaaaaaaaaaaa', 'grant-token-bbbbbbbbbbbbbbbbbb'];
    const { requestParameters, responseElements } = redact('CreateGrant', { GrantTokens: tokens, Marker: 'next-page', NextToken: 'abc' }, { GrantToken: tokens[0], NextMarker: 'm2' });
    expect(requestParameters!.GrantTokens).toEqual(tokens.map((t) => ({ sha256: createHash('sha256').update(t).digest('hex'), length: t.length })));
    expect(responseElements!.GrantToken).toEqual((requestParameters!.GrantTokens as any[])[0]);
    expect(requestParameters!.Marker).toBe('next-page');
    expect(requestParameters!.NextToken).toBe('abc');
    expect(responseElements!.NextMarker).toBe('m2');
    for (const t of tokens) expect(JSON.stringify({ requestParameters, responseElements })).not.toContain(t);
  });

  it('keeps everything else as it is, with dates as ISO-8601', () => {
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [] });
    const input = {
      KeyId: 'alias/payroll',
      EncryptionContext: { dept: 'hr' },
      Policy: policy,
      Tags: [{ TagKey: 'a', TagValue: 'b' }],
      NumberOfBytes: 32,
      BypassPolicyLockoutSafetyCheck: false,
      ValidTo: new Date(T0),
    };
    const output = { KeyMetadata: { KeyId: 'k', CreationDate: new Date(T0), Enabled: true } };
    expect(redact('X', input, output)).toEqual({
      requestParameters: { ...input, ValidTo: new Date(T0).toISOString() },
      responseElements: { KeyMetadata: { KeyId: 'k', CreationDate: new Date(T0).toISOString(), Enabled: true } },
    });
  });

  it('turns anything else into JSON safely: undefined dropped, NaN null, bigint text, class instances and cycles never written', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const cyclic: any = { Name: 'x' };
    cyclic.Self = cyclic;
    const { requestParameters } = redact(
      'X',
      { A: undefined, B: Number.NaN, C: 10n ** 30n, D: privateKey, E: cyclic, F: () => 1, G: new Map([['k', 'v']]), H: new Set([1, 2]), I: new Error('boom') },
      undefined,
    );
    expect(requestParameters).toEqual({ B: null, C: '1' + '0'.repeat(30), D: REDACTED, E: { Name: 'x', Self: '[circular]' }, G: { k: 'v' }, H: [1, 2], I: REDACTED });
    expect(JSON.stringify(requestParameters)).not.toContain(privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64'));
  });

  it('keeps a member named __proto__ as the member it is (it comes from JSON like any other name)', () => {
    const input = JSON.parse('{"EncryptionContext":{"__proto__":"tenant-a","purpose":"x"},"Plaintext":"s3cret"}') as unknown;
    const { requestParameters } = redact('Encrypt', input, undefined);
    expect(JSON.stringify(requestParameters)).toBe('{"EncryptionContext":{"__proto__":"tenant-a","purpose":"x"},"Plaintext":"[redacted]"}');
    expect(Object.getPrototypeOf(requestParameters!['EncryptionContext'])).toBe(Object.prototype);
    const fromMap = redact('X', { M: new Map([['__proto__', { polluted: true }]]) }, undefined).requestParameters!;
    expect(JSON.stringify(fromMap)).toBe('{"M":{"__proto__":{"polluted":true}}}');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('redacts every type of value under a secret name, keeping only booleans, dates and nulls', () => {
    const { requestParameters } = redact('X', { Secret: { a: 1, b: 'x', c: 2n, d: [1], e: true, f: null, g: new Date(0), h: Buffer.from('k') } }, undefined);
    expect(requestParameters).toEqual({ Secret: REDACTED });
    const inner = redact('X', { Plaintext: 1, Passphrase: 2n, Password: true, SharedSecret: null, KeyMaterial: new Date(0) }, undefined).requestParameters;
    expect(inner).toEqual({ KeyMaterial: new Date(0).toISOString(), Passphrase: REDACTED, Password: true, Plaintext: REDACTED, SharedSecret: null });
  });

  it('gives null for a call without input or output, and never throws on odd input', () => {
    expect(redact('ListKeys', undefined, undefined)).toEqual({ requestParameters: null, responseElements: null });
    expect(redact('X', 'text', 5)).toEqual({ requestParameters: { value: 'text' }, responseElements: { value: 5 } });
    expect(redact('X', new Uint8Array(3), null).requestParameters).toEqual({ sha256: createHash('sha256').update(new Uint8Array(3)).digest('hex'), length: 3 });
  });

  it('no secret survives in any randomly shaped input (property)', () => {
    const secretName = fc.constantFrom(...SECRET_FIELDS);
    const plainName = fc.constantFrom('KeyId', 'Description', 'Items', 'Inner', 'Config', 'EncryptionContext', 'Whatever');
    // a tree of plain fields with secret fields (holding a marker) hung anywhere in it
    const tree = fc.letrec<{ node: unknown }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.string(),
        fc.integer(),
        fc.array(tie('node'), { maxLength: 3 }),
        fc.dictionary(plainName, tie('node'), { maxKeys: 3 }),
        fc.tuple(secretName, fc.constantFrom('MARKER-string-secret', Buffer.from('MARKER-bytes-secret'), ['MARKER-in-array'], { x: 'MARKER-in-object' })).map(([k, v]) => ({ [k]: v })),
      ),
    })).node;
    fc.assert(
      fc.property(tree, tree, (input, output) => {
        const json = JSON.stringify(redact('Generated', input, output));
        return !json.includes('MARKER') && !leaks(json, 'MARKER-bytes-secret');
      }),
      { numRuns: 500 },
    );
  });

  it('writes the members of every object in UTF-16 code-unit order (RFC 8785 §3.2.3), whatever order they came in (property)', () => {
    // names over a small alphabet with surrogates and astral characters, so ties, prefixes and UTF-16-vs-code-point order all occur
    const name = fc.string({ unit: fc.constantFrom('a', 'B', 'b', '_', '\u00e9', '\uffff', '\ud83d\ude00', '1', '10'), maxLength: 4 });
    const obj = fc.dictionary(name, fc.oneof(fc.integer(), fc.dictionary(name, fc.string(), { maxKeys: 40 })), { maxKeys: 40 });
    const ordered = (v: unknown): boolean => {
      if (typeof v !== 'object' || v === null) return true;
      const keys = Object.keys(v);
      const sorted = [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      // integer-like names ("1", "10") are listed first by JavaScript whatever the insertion order: canonicalJson sorts those itself
      const plain = keys.every((k) => !/^(0|[1-9]\d*)$/.test(k));
      return (!plain || keys.join('\0') === sorted.join('\0')) && Object.values(v).every(ordered);
    };
    fc.assert(
      fc.property(obj, (input) => {
        const { requestParameters } = redact('Generated', { Description: input }, undefined);
        return ordered(requestParameters) && Object.keys((requestParameters as { Description: object }).Description).length === Object.keys(input).length;
      }),
      { numRuns: 300 },
    );
  });

  it('covers every operation in the table with no per-operation rules: secret-looking fields of their schemas are redacted', () => {
    // Fill each operation's top-level input/output fields with a marker; every field whose name is a secret must lose it.
    let secretFields = 0;
    for (const op of Object.values(CONTRACT)) {
      for (const schema of [op.input, op.output]) {
        const shape = (schema as any).shape ?? (schema as any).def?.shape ?? {};
        const fields = Object.keys(typeof shape === 'function' ? shape() : shape);
        const value = Object.fromEntries(fields.map((f) => [f, `MARKER-${f}-0123456789`]));
        const { requestParameters } = redact(op.name, value, undefined);
        for (const f of fields) {
          if (/plaintext|passphrase|password|secret|^keymaterial$/i.test(f) && !/ciphertext/i.test(f)) {
            expect(requestParameters![f]).toBe(REDACTED);
            secretFields++;
          }
        }
      }
    }
    expect(secretFields).toBeGreaterThanOrEqual(3); // Encrypt's input, Decrypt's and GenerateDataKey's output at least
  });
});

describe('buildEvent', () => {
  const arn = keyArnOf(ACCOUNT, 0);
  const caller = { account: ACCOUNT, userName: 'alice', arn: `arn:strongroom:iam::${ACCOUNT}:user/alice` };

  it('makes a CloudTrail-shaped record of a successful call', () => {
    const e = buildEvent({
      time: T0,
      operation: 'Encrypt',
      action: 'kms:Encrypt',
      region: REGION,
      account: ACCOUNT,
      caller,
      source: 'cli',
      input: { KeyId: 'alias/x', Plaintext: Buffer.from('hello world secret') },
      output: { KeyId: arn, CiphertextBlob: Buffer.from('ct'), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' },
    });
    expect(e).toMatchObject({
      eventVersion: '1.08',
      eventTime: '2026-11-28T12:00:00.000Z',
      eventSource: 'kms.strongroom.local',
      eventName: 'Encrypt',
      awsRegion: REGION,
      userIdentity: { type: 'IAMUser', arn: caller.arn, accountId: ACCOUNT, userName: 'alice' },
      sourceType: 'cli',
      eventType: 'AwsApiCall',
      requestParameters: { KeyId: 'alias/x', Plaintext: REDACTED },
      responseElements: { KeyId: arn, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' },
      resources: [{ ARN: arn, type: 'AWS::KMS::Key', accountId: ACCOUNT }],
      readOnly: true,
      recipientAccountId: ACCOUNT,
    });
    expect(e.requestID).toMatch(/^[0-9a-f-]{36}$/);
    expect(e.eventID).toMatch(/^[0-9a-f-]{36}$/);
    expect(e.errorCode).toBeUndefined();
    expect(JSON.stringify(e)).not.toContain('hello world secret');
  });

  it('records a failed or denied call with its error and no response, and an unauthenticated caller', () => {
    const e = buildEvent({
      time: T0,
      operation: 'ScheduleKeyDeletion',
      action: 'kms:ScheduleKeyDeletion',
      region: REGION,
      account: ACCOUNT,
      source: 'desktop',
      input: { KeyId: arn },
      output: { ShouldNotAppear: true },
      error: { name: 'AccessDeniedException', message: 'not signed in' },
      resources: [arn],
    });
    expect(e).toMatchObject({ userIdentity: { type: 'Unauthenticated' }, errorCode: 'AccessDeniedException', errorMessage: 'not signed in', responseElements: null, readOnly: false });
    expect(e.resources).toEqual([{ ARN: arn, type: 'AWS::KMS::Key', accountId: ACCOUNT }]);
  });

  it('names the event source after the action, and the root identity', () => {
    const e = buildEvent({ time: T0, operation: 'CreateUser', action: 'iam:CreateUser', region: REGION, account: ACCOUNT, caller: { account: ACCOUNT, arn: `arn:strongroom:iam::${ACCOUNT}:root` }, source: 'cli', input: { UserName: 'bob' } });
    expect(e.eventSource).toBe('iam.strongroom.local');
    expect(e.userIdentity).toEqual({ type: 'Root', arn: `arn:strongroom:iam::${ACCOUNT}:root`, accountId: ACCOUNT });
  });

  it('writes each event its own time, from epoch ms or a Date, and refuses an invalid one', () => {
    const at = (time: number | Date) => buildEvent({ time, operation: 'ListKeys', region: REGION, account: ACCOUNT, source: 'sdk', input: {} }).eventTime;
    expect(at(T0)).toBe(new Date(T0).toISOString());
    expect(at(T0)).toBe(new Date(T0).toISOString());
    expect(at(T0 + 1)).toBe(new Date(T0 + 1).toISOString());
    expect(at(new Date(T0 - 86_400_000))).toBe(new Date(T0 - 86_400_000).toISOString());
    expect(at(T0)).toBe(new Date(T0).toISOString());
    expect(() => at(Number.NaN)).toThrow(RangeError);
    expect(() => at(new Date('not a date'))).toThrow(RangeError);
    expect(at(T0 + 1)).toBe(new Date(T0 + 1).toISOString());
  });

  it('marks writes and reads like CloudTrail', () => {
    for (const op of ['CreateKey', 'PutKeyPolicy', 'ScheduleKeyDeletion', 'TagResource', 'RetireGrant', 'ImportKeyMaterial', 'DisableKey']) expect(isReadOnlyOperation(op)).toBe(false);
    for (const op of ['Encrypt', 'Decrypt', 'GenerateDataKey', 'DescribeKey', 'ListKeys', 'GetPublicKey', 'Sign', 'Verify']) expect(isReadOnlyOperation(op)).toBe(true);
  });

  it('finds key ARNs anywhere in the parameters and response', () => {
    const other = keyArnOf(ACCOUNT, 1);
    expect(keyArnsIn({ SourceKeyId: arn, DestinationKeyId: 'alias/x' }, { KeyMetadata: { Arn: other }, KeyId: arn })).toEqual([arn, other]);
  });
});
