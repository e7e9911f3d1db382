// The CLI's commands, options and help are derived from the operation
// table: these tests hold for every operation in it, present and future.
import { describe, expect, test } from 'vitest';
import { generalHelp, operationHelp } from '../../main/cli/help-text.js';
import { commandName, optionName } from '../../main/cli/names.js';
import { operationCommands, splitOperationArgs } from '../../main/cli/operation-commands.js';
import { describeShape } from '../../main/cli/schema-shapes.js';
import { SERVICE_OPERATIONS } from '../../main/api/index.js';

const commands = operationCommands(SERVICE_OPERATIONS);

describe('commands derived from the operation table', () => {
  test('one command per operation, named as the AWS CLI names it', () => {
    expect(commands.size).toBe(SERVICE_OPERATIONS.length);
    // kms operations are top-level; iam/sts/tenant/audit ones are `<service> <command>`, as in the AWS CLI.
    for (const op of SERVICE_OPERATIONS) {
      const name = op.cliName ?? commandName(op.name);
      expect(commands.get(op.service && op.service !== 'kms' ? `${op.service} ${name}` : name)?.op).toBe(op);
    }
    for (const c of ['iam create-user', 'iam change-password', 'sts get-caller-identity', 'tenant create', 'tenant list', 'audit lookup-events']) {
      expect(commands.has(c), c).toBe(true);
    }
    for (const c of ['create-key', 'encrypt', 'decrypt', 're-encrypt', 'generate-data-key', 'generate-data-key-without-plaintext', 'list-keys', 'schedule-key-deletion']) {
      expect(commands.has(c), c).toBe(true);
    }
  });

  test('commands are listed in the order a reader expects (the locale order, got without the collator)', () => {
    const names = [...commands.keys()];
    for (const n of names) expect(n).toMatch(/^[a-z][a-z0-9-]*( [a-z][a-z0-9-]*)?$/);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en')));
  });

  test('one option per input field, of a kind the CLI can parse; passphrase fields are never options', () => {
    for (const cmd of commands.values()) {
      const names = Object.keys((cmd.op.input as unknown as { shape: object }).shape);
      expect([...cmd.fields, ...cmd.passphraseFields].map((f) => f.name).sort()).toEqual([...names].sort());
      for (const f of cmd.passphraseFields) {
        expect(f.passphrase).toMatch(/^(new|current)$/);
        expect(() => splitOperationArgs(cmd, [f.option, 'secret'])).toThrow(/never given on the command line/);
      }
      for (const f of cmd.fields) {
        expect(f.option).toBe(optionName(f.name));
        expect(f.shape.kind, `${cmd.op.name}.${f.name}`).not.toBe('unknown');
      }
    }
  });

  test('AWS flag names and kinds for the KMS fields', () => {
    const field = (command: string, option: string) => commands.get(command)?.fields.find((f) => f.option === option);
    expect(field('encrypt', '--plaintext')?.shape.kind).toBe('blob');
    expect(field('decrypt', '--ciphertext-blob')?.shape.kind).toBe('blob');
    expect(field('encrypt', '--encryption-context')?.shape.kind).toBe('map');
    expect(field('generate-data-key', '--number-of-bytes')?.shape.kind).toBe('integer');
    expect(field('schedule-key-deletion', '--pending-window-in-days')?.shape.kind).toBe('integer');
    expect(field('create-key', '--tags')?.shape).toMatchObject({ kind: 'list', element: { kind: 'structure' } });
    expect(field('create-key', '--multi-region')?.negatedOption).toBe('--no-multi-region');
    // with the least length or value botocore checks client-side (param-validation.ts)
    expect(field('untag-resource', '--tag-keys')?.shape).toEqual({ kind: 'list', element: { kind: 'string', min: 1 } });
    expect(field('schedule-key-deletion', '--pending-window-in-days')?.shape).toEqual({ kind: 'integer', min: 7 });
    expect(field('describe-key', '--key-id')?.shape).toEqual({ kind: 'string', min: 1 });
    expect(commands.get('list-keys')?.paging).toEqual({ resultKey: 'Keys' });
  });

  test('every option is accepted on the command line', () => {
    for (const cmd of commands.values()) {
      for (const f of cmd.fields) {
        const args = f.shape.kind === 'boolean' ? [f.option] : [f.option, 'x'];
        expect(splitOperationArgs(cmd, args).values.has(f.name), `${cmd.command} ${f.option}`).toBe(true);
      }
    }
  });
});

describe('help derived from the schemas', () => {
  test('`strongroom help` lists every command with its summary', () => {
    const text = generalHelp(commands.values(), '/vault');
    for (const cmd of commands.values()) {
      expect(text).toMatch(new RegExp(`^  ${cmd.command}( |$)`, 'm'));
      expect(text.replace(/\s+/g, ' ')).toContain(cmd.op.summary.replace(/\s+/g, ' '));
    }
  });

  test('`strongroom <command> help` describes every option: type, required or optional, description', () => {
    for (const cmd of commands.values()) {
      const text = operationHelp(cmd);
      const flat = text.replace(/\s+/g, ' ');
      for (const f of cmd.fields) {
        const name = f.negatedOption ? `${f.option} | ${f.negatedOption}` : f.option;
        expect(text, `${cmd.command} ${f.option}`).toContain(`  ${name} (${describeShape(f.shape)}) [${f.required ? 'required' : 'optional'}]`);
        if (f.description) expect(flat).toContain(f.description.replace(/\s+/g, ' '));
      }
      for (const f of cmd.passphraseFields) expect(text).toContain(`  ${f.name} (string)`);
    }
  });
});
