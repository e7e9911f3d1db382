// Command lines for the fuzz tests of the CLI (test/fuzz/cli*.fuzz.test.ts):
// an input generated from the operation's zod schema (zod-arbitrary.ts),
// written out as the command's options the way a user would (blobs as
// fileb://, file:// or base64, maps as shorthand or JSON, lists as several
// values or a JSON list, booleans as --flag/--no-flag), plus junk: unknown,
// repeated and value-less options, fileb:// of missing files and
// directories, file:// of non-UTF-8 files, base64 junk, --cli-input-json
// variants, bad global options. Nothing here names an operation.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { OperationCommand } from '../../main/cli/operation-commands.js';
import type { Field } from '../../main/cli/schema-shapes.js';
import { deepJson, inputArbitrary, type Hints } from './zod-arbitrary.js';

/** Files that fileb:// and file:// options point at, named by their content, in one directory. */
export class ParamFiles {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'not-utf8.bin'), Buffer.from([0xff, 0xfe, 0x00, 0xc3, 0x28]));
    mkdirSync(join(dir, 'a-directory'), { recursive: true });
  }

  bytes(b: Uint8Array): string {
    const path = join(this.dir, `${createHash('sha256').update(b).digest('hex').slice(0, 24)}.bin`);
    writeFileSync(path, b);
    return path;
  }

  text(s: string): string {
    return this.bytes(Buffer.from(s, 'utf8'));
  }

  get notUtf8(): string {
    return join(this.dir, 'not-utf8.bin');
  }

  get directory(): string {
    return join(this.dir, 'a-directory');
  }

  get missing(): string {
    return join(this.dir, 'no-such-dir', 'no-such-file.bin');
  }
}

const base64 = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');

/** JSON of a generated value as a user could have written it: blobs as base64, nothing that makes JSON.stringify throw. */
export function toJsonText(v: unknown): string {
  return (
    JSON.stringify(v, (_k, x: unknown) => {
      if (x instanceof Uint8Array) return base64(x);
      if (typeof x === 'bigint') return x.toString();
      if (typeof x === 'symbol' || typeof x === 'function') return undefined;
      if (x instanceof Map || x instanceof Set) return [...x];
      return x;
    }) ?? 'null'
  );
}

/** A generated value as one command-line token. */
function toText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'symbol') return v.toString();
  if (typeof v === 'function') return 'function';
  if (v instanceof Uint8Array) return base64(v);
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString();
  if (v === null || typeof v !== 'object') return String(v);
  return toJsonText(v);
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);

/** The tokens after a field's option (`how` picks among the ways to write the value). */
function valueTokens(field: Field, v: unknown, how: number, files: ParamFiles): string[] {
  const { shape } = field;
  switch (shape.kind) {
    case 'blob':
      if (!(v instanceof Uint8Array)) return [toText(v)];
      return [[`fileb://${files.bytes(v)}`, base64(v), `file://${files.bytes(v)}`, `fileb://${files.bytes(v)}`][how % 4]!];
    case 'list':
      if (!Array.isArray(v)) return [toText(v)];
      if (how % 3 === 0) return [toJsonText(v)];
      return Array.from(v, (x) => (typeof x === 'string' ? x : toText(x))); // (holes of a sparse list become 'undefined')
    case 'map':
    case 'structure': {
      if (!isPlainObject(v)) return [toText(v)];
      const flat = Object.entries(v).every(([k, x]) => typeof x === 'string' && !/[=,{}[\]]/.test(k + x));
      return [flat && how % 2 === 1 ? Object.entries(v).map(([k, x]) => `${k}=${String(x)}`).join(',') : toJsonText(v)];
    }
    case 'timestamp':
      return [v instanceof Date && !Number.isNaN(v.getTime()) && how % 2 === 1 ? String(v.getTime() / 1000) : toText(v)];
    case 'string':
      return [typeof v === 'string' && how % 7 === 6 && !/[\uD800-\uDFFF]/.test(v) ? `file://${files.text(v)}` : toText(v)];
    case 'unknown':
      return [toJsonText(v)];
    default:
      return [toText(v)];
  }
}

/** A field's option with its value, or nothing when the generated input leaves the field out. */
function optionTokens(field: Field, v: unknown, how: number, files: ParamFiles): string[] {
  if (v === undefined) return [];
  if (field.shape.kind === 'boolean') {
    if (v === true) return [field.option];
    if (v === false) return [field.negatedOption ?? field.option];
    return how % 2 ? [`${field.option}=${toText(v)}`] : [field.option, toText(v)];
  }
  const tokens = valueTokens(field, v, how, files);
  // now and then the --option=value form
  if (tokens.length === 1 && how % 5 === 4) return [`${field.option}=${tokens[0]}`];
  return [field.option, ...tokens];
}

/** Junk a user could type after any command: each entry is a few tokens. */
function junkTokens(cmd: OperationCommand, input: unknown, files: ParamFiles): fc.Arbitrary<string[]> {
  // value-less: junk for an option that takes a value (a bare boolean flag is a valid line, and
  // --bypass-policy-lockout-safety-check must stay off, see fuzz-world.ts)
  const options = cmd.fields.filter((f) => f.shape.kind !== 'boolean').map((f) => f.option);
  const blobOptions = cmd.fields.filter((f) => f.shape.kind === 'blob').map((f) => f.option);
  const textOptions = cmd.fields.filter((f) => f.shape.kind !== 'blob' && f.shape.kind !== 'boolean').map((f) => f.option);
  const fixed: string[][] = [
    ['--bogus'],
    ['--bogus=1'],
    ['positional'],
    ['--'],
    ['-x'],
    ['help'],
    ['--cli-input-json', toJsonText(input)],
    ['--cli-input-json', `file://${files.missing}`],
    ['--cli-input-json', `file://${files.notUtf8}`],
    ['--cli-input-json', '{"a":'],
    ['--cli-input-json', '[]'],
    ['--cli-input-json', 'null'],
    ['--cli-input-json', '{"__proto__": {"polluted": "yes"}}'],
    ['--cli-input-json', deepJson(64)],
    ['--cli-input-json'],
    ['--generate-cli-skeleton'],
    ['--generate-cli-skeleton', 'output'],
    ['--generate-cli-skeleton=bogus'],
    ['--page-size', '0'],
    ['--max-items', 'abc'],
    ['--starting-token', 'bm90IGEgdG9rZW4='],
    ...cmd.passphraseFields.map((f) => [f.option, 'a passphrase on the command line']),
    ...options.map((o) => [o]),
    ...options.map((o) => [o, '']),
    ...blobOptions.flatMap((o) => [
      [o, `fileb://${files.missing}`],
      [o, 'fileb://'],
      [o, `fileb://${files.directory}`],
      [o, 'fileb://~/no-such-file-for-strongroom-fuzz'],
      [o, 'not base64!'],
      [o, 'aGVsbG8'],
      [o, `file://${files.notUtf8}`],
    ]),
    ...textOptions.flatMap((o) => [
      [o, `file://${files.missing}`],
      [o, `file://${files.notUtf8}`],
      [o, '{"unterminated": '],
      [o, 'a=b,=c'],
    ]),
  ];
  return fc.array(fc.constantFrom(...fixed), { maxLength: 2 }).map((xs) => xs.flat());
}

/** Global options, right and wrong; the tenant, user and region pools come from the test's world. */
export interface GlobalPools {
  readonly tenants: readonly string[];
  readonly users: readonly string[];
  readonly regions: readonly string[];
}

function globalTokens(pools: GlobalPools): fc.Arbitrary<string[]> {
  const choices: string[][] = [
    ...pools.regions.map((r) => ['--region', r]),
    ...pools.tenants.map((t) => ['--tenant', t]),
    ...pools.users.map((u) => ['--user', u]),
    ...['json', 'text', 'table', ''].map((o) => ['--output', o]),
    ...['KeyMetadata.KeyId', '[', '@', 'Keys[0].KeyId', '`'].map((q) => ['--query', q]),
    ...['raw-in-base64-out', 'base64', 'bogus'].map((f) => ['--cli-binary-format', f]),
    ['--no-paginate'],
    ['--no-cli-pager'],
    ['--no-paginate=yes'],
    ['--region'],
  ];
  return fc.oneof({ weight: 3, arbitrary: fc.constant<string[]>([]) }, { weight: 2, arbitrary: fc.array(fc.constantFrom(...choices), { minLength: 1, maxLength: 2 }).map((xs) => xs.flat()) });
}

/**
 * Command lines for `cmd`: its options from a generated input (most of the
 * time), junk tokens (now and then), global options before or after; with
 * the input they were written from (its secrets are planted ones).
 */
export function argvArbitrary(cmd: OperationCommand, hints: Hints, files: ParamFiles, globals: GlobalPools): fc.Arbitrary<{ argv: string[]; input: unknown }> {
  const input = inputArbitrary(cmd.op.input, hints);
  return fc
    .tuple(input, fc.array(fc.nat(), { minLength: cmd.fields.length, maxLength: cmd.fields.length }), fc.integer({ min: 0, max: 3 }), globalTokens(globals), fc.boolean())
    .chain(([value, hows, junkDice, global, globalFirst]) =>
      (junkDice === 0 ? junkTokens(cmd, value, files) : fc.constant<string[]>([])).map((junk) => {
        const members = isPlainObject(value) ? value : {};
        const options = cmd.fields.flatMap((f, i) => optionTokens(f, Object.prototype.hasOwnProperty.call(members, f.name) ? members[f.name] : undefined, hows[i]!, files));
        const words = cmd.command.split(' ');
        const line = [...options, ...junk];
        return { argv: globalFirst ? [...global, ...words, ...line] : [...words, ...line, ...global], input: value };
      }),
    );
}

/**
 * The passphrases a fuzzed CLI signs in with (STRONGROOM_PASSPHRASE) and sets
 * (STRONGROOM_NEW_PASSPHRASE). A fuzzed `iam change-password` that succeeds
 * for the default user changes the first into the second: they swap, so the
 * next command line still signs in.
 */
export class CliPassphrases {
  constructor(
    public current: string,
    public next: string,
  ) {}

  env(): Record<string, string> {
    return { STRONGROOM_PASSPHRASE: this.current, STRONGROOM_NEW_PASSPHRASE: this.next };
  }

  after(operation: string, argv: readonly string[], code: number | null): void {
    // (help and --generate-cli-skeleton exit 0 without calling anything)
    const called = !argv.some((t) => ['help', '--help', '-h'].includes(t) || t.startsWith('--generate-cli-skeleton'));
    if (operation === 'ChangePassword' && code === 0 && called && signedInUser(argv) === 'admin') [this.current, this.next] = [this.next, this.current];
  }
}

/** The user a command line signs in as: the last --user (an empty one means the default, admin). */
function signedInUser(argv: readonly string[]): string {
  let user = '';
  argv.forEach((t, i) => {
    if (t === '--user') user = argv[i + 1] ?? '';
    else if (t.startsWith('--user=')) user = t.slice('--user='.length);
  });
  return user || 'admin';
}
