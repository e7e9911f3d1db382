// How deep and how big input may be (main/core/service/input-bounds.ts), and the
// core's users of those limits: service.call with request objects nested
// thousands deep or cyclic (the IPC bridge hands objects, not text), policy
// documents, and `audit verify --file`'s parser. Every refusal is a named
// AWS error that states the limit; none is a stack overflow.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyExport } from '../../main/core/audit/export.js';
import { KmsError } from '../../main/core/errors.js';
import {
  checkInputValue,
  inputValueProblem,
  jsonTextProblem,
  MAX_INPUT_DEPTH,
  MAX_INPUT_VALUES,
  MAX_JSON_BYTES,
  parseJsonInput,
} from '../../main/core/service/input-bounds.js';
import { parseIdentityPolicy, parseKeyPolicy } from '../../main/core/policy/document.js';
import { makeVault, type TestVault } from '../support/vault.js';

const TOO_DEEP = new RegExp(`nested more than ${MAX_INPUT_DEPTH} levels deep`);
/** far deeper than any recursive walker survives (JSON.stringify overflows at ~10,000) */
const THOUSANDS = 100_000;

const nestedArrays = (levels: number, leaf: unknown = 'x'): unknown => {
  let v: unknown = leaf;
  for (let i = 0; i < levels; i++) v = [v];
  return v;
};
const nestedObjects = (levels: number, leaf: unknown = 'x'): unknown => {
  let v: unknown = leaf;
  for (let i = 0; i < levels; i++) v = { a: v };
  return v;
};
const arrayText = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe('JSON text', () => {
  it(`takes ${MAX_INPUT_DEPTH} levels and refuses one more with a ValidationException naming the limit`, () => {
    expect(parseJsonInput(arrayText(MAX_INPUT_DEPTH), 'x')).toEqual(nestedArrays(MAX_INPUT_DEPTH - 1, []));
    const e = thrown(() => parseJsonInput(`{"a":${arrayText(MAX_INPUT_DEPTH)}}`, 'The JSON of --cli-input-json'));
    expect(e).toBeInstanceOf(KmsError);
    expect(e).toMatchObject({ name: 'ValidationException', message: expect.stringMatching(/^The JSON of --cli-input-json is nested more than 64 levels deep/) });
  });

  it('refuses text nested thousands deep before JSON.parse', () => {
    expect(jsonTextProblem(arrayText(THOUSANDS), 'it')).toMatch(TOO_DEEP);
    expect(jsonTextProblem('{"a":'.repeat(THOUSANDS) + '1' + '}'.repeat(THOUSANDS), 'it')).toMatch(TOO_DEEP);
  });

  it('counts only structure: brackets in strings, escaped quotes included, are text', () => {
    const inString = JSON.stringify({ s: `\\"${'['.repeat(1000)}\\"{{{`, t: '"' });
    expect(jsonTextProblem(inString, 'it')).toBeUndefined();
    expect(parseJsonInput(inString, 'it')).toEqual(JSON.parse(inString));
  });

  it(`refuses more than ${MAX_JSON_BYTES} bytes (UTF-8, not UTF-16 units), or a caller's smaller limit`, () => {
    expect(jsonTextProblem(`"${'a'.repeat(MAX_JSON_BYTES - 2)}"`, 'it')).toBeUndefined();
    expect(jsonTextProblem(`"${'a'.repeat(MAX_JSON_BYTES - 1)}"`, 'it')).toBe(`it is more than ${MAX_JSON_BYTES} bytes, Strongroom's limit.`);
    const euros = `"${'€'.repeat(10)}"`; // 12 UTF-16 units, 32 bytes
    expect(jsonTextProblem(euros, 'it', 32)).toBeUndefined();
    expect(jsonTextProblem(euros, 'it', 31)).toMatch(/more than 31 bytes/);
  });

  it('leaves bad syntax to JSON.parse (a SyntaxError), and refuses with the error the caller names', () => {
    expect(thrown(() => parseJsonInput('{"a":', 'it'))).toBeInstanceOf(SyntaxError);
    const e = thrown(() => parseJsonInput(arrayText(65), 'the policy document', { refuse: (m) => new KmsError('MalformedPolicyDocumentException', m) }));
    expect(e).toMatchObject({ name: 'MalformedPolicyDocumentException', message: expect.stringMatching(TOO_DEEP) });
  });
});

describe('request objects', () => {
  it(`take ${MAX_INPUT_DEPTH} levels and refuse one more, arrays or objects`, () => {
    expect(inputValueProblem(nestedArrays(MAX_INPUT_DEPTH), 'it')).toBeUndefined();
    expect(inputValueProblem(nestedObjects(MAX_INPUT_DEPTH), 'it')).toBeUndefined();
    expect(inputValueProblem(nestedArrays(MAX_INPUT_DEPTH + 1), 'it')).toMatch(TOO_DEEP);
    expect(inputValueProblem(nestedObjects(MAX_INPUT_DEPTH + 1), 'it')).toMatch(TOO_DEEP);
    expect(inputValueProblem(new Map([['k', new Set([nestedArrays(MAX_INPUT_DEPTH - 1)])]]), 'it')).toMatch(TOO_DEEP);
  });

  it('refuse a value nested thousands deep, and a cycle, without recursing', () => {
    expect(() => checkInputValue({ a: nestedObjects(THOUSANDS) }, 'The request')).toThrow(TOO_DEEP);
    const cycle: Record<string, unknown> = { KeyId: 'k' };
    cycle.self = cycle;
    expect(thrown(() => checkInputValue(cycle, 'The request'))).toMatchObject({ name: 'ValidationException', message: expect.stringMatching(TOO_DEEP) });
  });

  it(`refuse more than ${MAX_INPUT_VALUES} values, a sparse array's claimed length included`, () => {
    // the request, its member a, and a's elements
    expect(inputValueProblem({ a: new Array(MAX_INPUT_VALUES - 2).fill(0) }, 'it')).toBeUndefined();
    expect(inputValueProblem({ a: new Array(MAX_INPUT_VALUES - 1).fill(0) }, 'it')).toMatch(/holds more than 100000 values/);
    const sparse: unknown[] = [];
    sparse.length = 2 ** 32 - 1;
    expect(inputValueProblem({ a: sparse }, 'it')).toMatch(/holds more than 100000 values/);
  });

  it('count binary values and dates as one value each', () => {
    expect(inputValueProblem({ Plaintext: Buffer.alloc(4 * 1024 * 1024), When: new Date(0), Ab: new ArrayBuffer(MAX_INPUT_VALUES * 2) }, 'it')).toBeUndefined();
  });
});

describe('service.call', () => {
  let t: TestVault;
  let keyId: string;
  beforeAll(async () => {
    t = await makeVault();
    keyId = (await t.call('CreateKey', {})).KeyMetadata.KeyId;
  });
  afterAll(() => t.close());

  const refusal = async (name: string, input: unknown) => {
    try {
      await t.dispatch(name, input);
    } catch (e) {
      return e;
    }
    throw new Error(`${name} succeeded`);
  };

  it.each([
    ['an unknown member', () => ({ KeyId: keyId, Plaintext: Buffer.from('x'), Extra: nestedArrays(THOUSANDS) })],
    ['a known member', () => ({ KeyId: nestedArrays(THOUSANDS), Plaintext: Buffer.from('x') })],
    ['the encryption context', () => ({ KeyId: keyId, Plaintext: Buffer.from('x'), EncryptionContext: nestedObjects(THOUSANDS) })],
    ['a cycle', () => {
      const ctx: Record<string, unknown> = {};
      ctx.loop = { back: ctx };
      return { KeyId: keyId, Plaintext: Buffer.from('x'), EncryptionContext: ctx };
    }],
  ])('refuses a request nested thousands deep in %s with a ValidationException naming the limit', async (_, input) => {
    expect(await refusal('Encrypt', input())).toMatchObject({ name: 'ValidationException', message: expect.stringMatching(/^The request is nested more than 64 levels deep/) });
  });

  it('records the refused call, and valid calls go on', async () => {
    await refusal('CreateKey', { Tags: nestedObjects(THOUSANDS) });
    const { Events } = await t.call('LookupEvents', { EventName: 'CreateKey', MaxResults: 1 });
    expect(Events[0]).toBeDefined();
    const record = JSON.parse(Events[0]!.CloudTrailEvent);
    expect(record).toMatchObject({ errorCode: 'ValidationException', errorMessage: expect.stringMatching(TOO_DEEP), requestParameters: null });
    const { CiphertextBlob } = await t.call('Encrypt', { KeyId: keyId, Plaintext: Buffer.from('still fine'), EncryptionContext: { a: 'b' } });
    expect(Buffer.from((await t.call('Decrypt', { CiphertextBlob, EncryptionContext: { a: 'b' } })).Plaintext).toString()).toBe('still fine');
  });

  it('refuses a key policy nested thousands deep with MalformedPolicyDocumentException naming the limit', async () => {
    const deep = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*","Condition":{"StringEquals":{"kms:CallerAccount":${arrayText(10_000)}}}}]}`;
    expect(Buffer.byteLength(deep)).toBeLessThan(32 * 1024);
    expect(await refusal('PutKeyPolicy', { KeyId: keyId, Policy: deep })).toMatchObject({ name: 'MalformedPolicyDocumentException', message: expect.stringMatching(TOO_DEEP) });
  });
});

describe('policy documents and audit exports', () => {
  it('a policy document nested deeper than the limit is malformed, key or identity policy', () => {
    const doc = `{"Version":"2012-10-17","Id":${arrayText(MAX_INPUT_DEPTH)},"Statement":[]}`;
    for (const parse of [parseKeyPolicy, parseIdentityPolicy]) {
      expect(thrown(() => parse(doc))).toMatchObject({ name: 'MalformedPolicyDocumentException', message: expect.stringMatching(/^the policy document is nested more than 64 levels deep/) });
    }
  });

  it('an export line nested thousands deep is named as malformed, not a crash', () => {
    const header = JSON.stringify({ format: 'strongroom-audit-export/1', account: '111122223333', publicKeyPem: 'x', exportedAt: '2026-11-28T12:00:00.000Z' });
    const r = verifyExport(`${header}\n{"seq":1,"prevHash":"${'0'.repeat(64)}","hash":"${'0'.repeat(64)}","event":${arrayText(THOUSANDS)}}\n`);
    expect(r.ok).toBe(false);
    expect(r.problems).toContainEqual({ seq: null, kind: 'malformed', message: expect.stringMatching(/^line 2 of the export is nested more than 64 levels deep/) });
    const deepHeader = verifyExport(`{"format":${arrayText(THOUSANDS)}}\n`);
    expect(deepHeader.problems).toEqual([{ seq: null, kind: 'malformed', message: expect.stringMatching(/first line of the export is nested more than 64 levels deep/) }]);
  });
});
