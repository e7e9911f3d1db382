// Property test through the built `strongroom` binary, as a user's shell
// runs it: a small sample of random and malformed command lines for random
// commands of the operation table (each spawn signs in at the production
// Argon2id cost, so the in-process CLI test, cli.fuzz.test.ts, carries the
// volume). Every run must end in 0, 252 with the usage text or 254 with a
// named AWS error — never 255, a stack trace, a hang or a planted secret
// on stderr — and the trail `audit export` prints must hold no secret.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { operationCommands } from '../../main/cli/operation-commands.js';
import { SERVICE_OPERATIONS } from '../../main/api/index.js';
import { ADMIN_PASSPHRASE, ensureBuilt, VAULT_PASSPHRASE, Workspace } from '../cli/binary.js';
import { argvArbitrary, CliPassphrases, ParamFiles } from '../support/cli-args.js';
import { checkCliOutcome, FUZZ, fuzzParameters, testTimeout, within, type CliOutcome } from '../support/fuzz-run.js';
import { PlantedSecrets } from '../support/secrets.js';
import { deepJsonArray, type Hints } from '../support/zod-arbitrary.js';

const COMMANDS = [...operationCommands(SERVICE_OPERATIONS).values()];
/** a spawn signs in twice at the production Argon2id cost: allow for a loaded machine */
const SPAWN_BOUND_MS = 3 * FUZZ.boundMs;

const ws = new Workspace();
const files = new ParamFiles(ws.path('params'));
const secrets = new PlantedSecrets();
const passphrases = new CliPassphrases(ADMIN_PASSPHRASE, `pass-binary-new-${randomBytes(8).toString('hex')}`);
let hints: Hints = {};
let keyId = '';

/** Linux refuses a single argument over 128 KiB (MAX_ARG_STRLEN): no shell can pass more. */
const MAX_ARG_BYTES = 64 * 1024;
const fitArg = (a: string): string => (Buffer.byteLength(a) <= MAX_ARG_BYTES ? a : Buffer.from(a).subarray(0, MAX_ARG_BYTES).toString());

/** strongroom ARGV in the workspace, bounded in time; NUL cannot be passed to a process, so it becomes U+FFFD. */
async function strongroom(argv: readonly string[]): Promise<CliOutcome> {
  const args = argv.map((a) => fitArg(a.replace(/\0/g, '\uFFFD')));
  return within(SPAWN_BOUND_MS, `strongroom ${args.slice(0, 3).join(' ')}`, ws.run(args, passphrases.env()));
}

beforeAll(async () => {
  ensureBuilt();
  for (const s of [ADMIN_PASSPHRASE, VAULT_PASSPHRASE, passphrases.next]) secrets.add('a passphrase', s);
  const init = await strongroom(['init', '--passphrase-only']);
  expect(init.code, init.stderr).toBe(0);
  keyId = JSON.parse((await strongroom(['create-key', '--description', 'fuzz'])).stdout).KeyMetadata.KeyId;
  const plaintext = Buffer.from(`SECRET-binary-plaintext-${randomBytes(12).toString('hex')}`);
  secrets.add('planted plaintext', plaintext);
  writeFileSync(ws.path('secret.txt'), plaintext);
  const encrypted = await strongroom(['encrypt', '--key-id', keyId, '--plaintext', 'fileb://secret.txt', '--encryption-context', 'purpose=fuzz']);
  expect(encrypted.code, encrypted.stderr).toBe(0);
  const CiphertextBlob = Buffer.from(JSON.parse(encrypted.stdout).CiphertextBlob, 'base64');
  const refs = [keyId, `arn:strongroom:kms:local-1:000000000000:key/${keyId}`, 'alias/no-such-alias', '00000000-0000-0000-0000-000000000000'];
  hints = {
    pools: { KeyId: refs, TargetKeyId: refs, SourceKeyId: refs, DestinationKeyId: refs, Plaintext: [plaintext], CiphertextBlob: [CiphertextBlob], AliasName: ['alias/fuzz-new', 'alias/aws/x'] },
    bundles: [
      { KeyId: keyId, Plaintext: plaintext, EncryptionContext: { purpose: 'fuzz' } },
      { KeyId: keyId, CiphertextBlob, EncryptionContext: { purpose: 'fuzz' }, SourceKeyId: keyId, DestinationKeyId: keyId, SourceEncryptionContext: { purpose: 'fuzz' } },
    ],
  };
}, 120_000);
afterAll(() => ws.remove());

describe('the strongroom binary', () => {
  test(
    'random commands with random and malformed command lines end in 0, 252 or a named 254, never a crash, hang or leak',
    async () => {
      const line = fc.constantFrom(...COMMANDS).chain((cmd) => argvArbitrary(cmd, hints, files, { tenants: ['nope'], users: ['admin', 'ghost'], regions: ['local-1', 'Bad Region'] }).map((line) => ({ command: cmd.command, ...line })));
      await fc.assert(
        fc.asyncProperty(line, async ({ command, argv, input }) => {
          const cmd = COMMANDS.find((c) => c.command === command)!;
          secrets.addFrom(`${cmd.op.name} request`, input);
          const r = await strongroom(argv);
          checkCliOutcome(cmd.op.name, argv, r, secrets);
          if (r.code === 0) secrets.addFromJson(`${cmd.op.name} response`, r.stdout);
          passphrases.after(cmd.op.name, argv, r.code);
        }),
        fuzzParameters('the strongroom binary', FUZZ.binaryRuns, testTimeout(FUZZ.binaryRuns, 4_000) - 30_000),
      );
    },
    testTimeout(FUZZ.binaryRuns, 4_000),
  );

  test('--cli-input-json with a 5,000-deep member is refused by name, not with a stack overflow', async () => {
    // Found exiting 255 with "Maximum call stack size exceeded" (issue 9, "Bad input"); the depth cap is another part of the issue.
    const input = `{"KeyId":${JSON.stringify(keyId)},"Plaintext":"aGVsbG8=","Extra":${deepJsonArray(5000)}}`;
    const argv = ['encrypt', '--cli-input-json', input];
    const r = await strongroom(argv);
    checkCliOutcome('Encrypt', argv, r, secrets);
    expect(r.code === 252 || r.stderr.includes('(ValidationException)'), r.stderr).toBe(true);
  }, 60_000);

  test('the audit trail (`audit export`) holds none of the planted secrets', async () => {
    const r = await strongroom(['audit', 'export']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(3);
    for (const l of lines) {
      const leak = secrets.find(l);
      if (leak) throw new Error(`audit record carries the planted secret '${leak.label}': ${l.slice(0, 400)}`);
    }
  }, 60_000);
});
