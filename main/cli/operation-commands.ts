// One command per operation in the operation table, derived from it: the
// command name is the operation's AWS CLI name, the options are its input
// fields (with --cli-input-json and --generate-cli-skeleton as in the AWS
// CLI, and --page-size/--max-items/--starting-token on paginated
// operations). Nothing here names an operation.
import type { OperationSpec } from '../api/operation.js';
import { isGlobalOption } from './global-options.js';
import { resolveOption } from './option-prefix.js';
import { commandName } from './names.js';
import { pagingOf, type Paging } from './pagination.js';
import { fieldsOf, type Field } from './schema-shapes.js';
import { UsageError } from './usage-error.js';

export interface OperationCommand {
  /** `generate-data-key` */
  readonly command: string;
  readonly op: OperationSpec;
  /** the fields given as options */
  readonly fields: readonly Field[];
  /** the passphrase fields, which are never options (filled from the environment, a prompt or the sign-in) */
  readonly passphraseFields: readonly Field[];
  readonly paging?: Paging;
}

/** Options every operation command has besides its fields. */
export const COMMON_OPTIONS = {
  cliInputJson: '--cli-input-json',
  skeleton: '--generate-cli-skeleton',
} as const;

export const PAGING_OPTIONS = {
  pageSize: '--page-size',
  maxItems: '--max-items',
  startingToken: '--starting-token',
} as const;

function operationCommand(op: OperationSpec): OperationCommand {
  // kms operations are top-level commands (`strongroom encrypt`), as under `aws kms`; the others live
  // under their service, as `aws iam create-user` does: `strongroom iam create-user`.
  const name = op.cliName ?? commandName(op.name);
  const command = op.service && op.service !== 'kms' ? `${op.service} ${name}` : name;
  // The options are worked out from the schemas on first use, not for the whole table at each start:
  // a call needs one command's, `help` none (issue 14, "Start fast").
  let options: Pick<OperationCommand, 'fields' | 'passphraseFields' | 'paging'> | undefined;
  const optionsOf = () => (options ??= commandOptions(op));
  return {
    command,
    op,
    get fields() {
      return optionsOf().fields;
    },
    get passphraseFields() {
      return optionsOf().passphraseFields;
    },
    get paging() {
      return optionsOf().paging;
    },
  };
}

function commandOptions(op: OperationSpec): Pick<OperationCommand, 'fields' | 'passphraseFields' | 'paging'> {
  const all = fieldsOf(op.input);
  const fields = all.filter((f) => !f.passphrase);
  const passphraseFields = all.filter((f) => f.passphrase);
  const paging = pagingOf(op);
  // A field whose option collides with a global or common option would be unreachable.
  const reserved = [...Object.values(COMMON_OPTIONS), ...(paging ? Object.values(PAGING_OPTIONS) : [])];
  for (const f of fields) {
    for (const option of [f.option, f.negatedOption].filter((o): o is string => o !== undefined)) {
      if (isGlobalOption(option) || reserved.includes(option as never)) {
        throw new Error(`${op.name}.${f.name}: its option ${option} collides with a global option`);
      }
    }
  }
  return { fields, passphraseFields, ...(paging ? { paging } : {}) };
}

/** The command table: `create-key` → CreateKey's command, … sorted by command name. */
export function operationCommands(ops: Iterable<OperationSpec>): Map<string, OperationCommand> {
  // Code-unit order: the names are lowercase ASCII words, hyphens and spaces, which it sorts as
  // localeCompare would, without ICU's collator (about 15 ms to start, on every command).
  const cmds = [...ops].map(operationCommand).sort((a, b) => (a.command < b.command ? -1 : a.command > b.command ? 1 : 0));
  const table = new Map<string, OperationCommand>();
  for (const c of cmds) {
    if (table.has(c.command)) throw new Error(`two operations map to the command ${c.command}`);
    table.set(c.command, c);
  }
  return table;
}

export interface OperationArgs {
  readonly help: boolean;
  /** set by --generate-cli-skeleton [input|output] */
  readonly skeleton?: 'input' | 'output';
  /** raw option tokens by field name (last occurrence wins, as in the AWS CLI) */
  readonly values: ReadonlyMap<string, readonly string[]>;
  /** the optional new-passphrase fields asked for by their bare option (`--password`): run fills them as it fills required ones */
  readonly passphrases: ReadonlySet<string>;
  /** --cli-input-json's raw value */
  readonly cliInputJson?: string;
  readonly pageSize?: string;
  readonly maxItems?: string;
  readonly startingToken?: string;
}

/**
 * Whether a passphrase field is set only when asked for: an optional new
 * passphrase, which a command may change or leave (UpdateLoginProfile).
 * Required ones are always filled, from the environment or a prompt.
 */
export const askedFor = (f: Field): boolean => f.passphrase === 'new' && !f.required;

/** Every option of the command, in the AWS CLI's order: the fields', then --cli-input-json, the paging options, --generate-cli-skeleton. */
export function optionNames(cmd: OperationCommand): string[] {
  return [
    ...cmd.fields.flatMap((f) => (f.negatedOption ? [f.option, f.negatedOption] : [f.option])),
    ...cmd.passphraseFields.map((f) => f.option),
    COMMON_OPTIONS.cliInputJson,
    ...(cmd.paging ? Object.values(PAGING_OPTIONS) : []),
    COMMON_OPTIONS.skeleton,
  ];
}

/** Splits the tokens after the command into option values; values are parsed later, by shape. */
export function splitOperationArgs(cmd: OperationCommand, tokens: readonly string[]): OperationArgs {
  const byOption = new Map<string, { field: Field; negated: boolean }>();
  for (const f of cmd.fields) {
    byOption.set(f.option, { field: f, negated: false });
    if (f.negatedOption) byOption.set(f.negatedOption, { field: f, negated: true });
  }
  const values = new Map<string, string[]>();
  const passphrases = new Set<string>();
  const unknown: string[] = [];
  const positional: string[] = [];
  const extras: Record<string, string> = {};
  const options = optionNames(cmd);
  let help = false;
  let skeleton: 'input' | 'output' | undefined;

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? '';
    if (token === '--help' || token === '-h') {
      help = true;
      continue;
    }
    if (!token.startsWith('--')) {
      positional.push(token);
      continue;
    }
    const eq = token.indexOf('=');
    const typed = eq > 0 ? token.slice(0, eq) : token;
    // an unambiguous prefix stands for its option (`--tag-key` for `--tag-keys`), as in the AWS CLI (option-prefix.ts)
    const name = resolveOption(typed, options, token, cmd.command) ?? typed;
    const inline = eq > 0 ? token.slice(eq + 1) : undefined;
    /** the next token as this option's single value */
    const one = (): string => {
      if (inline !== undefined) return inline;
      const v = tokens[i + 1];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`argument ${name}: expected one argument`, cmd.command);
      i++;
      return v;
    };

    if (name === COMMON_OPTIONS.skeleton) {
      let kind = inline;
      if (kind === undefined && (tokens[i + 1] === 'input' || tokens[i + 1] === 'output')) kind = tokens[++i];
      if (kind !== undefined && kind !== 'input' && kind !== 'output') {
        throw new UsageError(`argument ${name}: Invalid choice '${kind}', valid choices are: input, output`, cmd.command);
      }
      skeleton = (kind ?? 'input') as 'input' | 'output';
      continue;
    }
    if (name === COMMON_OPTIONS.cliInputJson) {
      extras['cliInputJson'] = one();
      continue;
    }
    const pagingKey = cmd.paging ? (Object.entries(PAGING_OPTIONS).find(([, o]) => o === name)?.[0] ?? undefined) : undefined;
    if (pagingKey) {
      extras[pagingKey] = one();
      continue;
    }
    const hit = byOption.get(name);
    const secret = cmd.passphraseFields.find((f) => f.option === name);
    if (secret) {
      // An optional new passphrase (UpdateLoginProfile's Password) is asked for by its option alone, without a value.
      const asked = askedFor(secret);
      const valued = inline !== undefined || (tokens[i + 1] !== undefined && !(tokens[i + 1] ?? '').startsWith('--'));
      if (asked && !valued) {
        passphrases.add(secret.name);
        continue;
      }
      const source =
        secret.passphrase === 'current'
          ? 'it is the passphrase you sign in with'
          : asked
            ? `give ${name} alone and set STRONGROOM_NEW_PASSPHRASE or answer the prompt`
            : 'set STRONGROOM_NEW_PASSPHRASE or answer the prompt';
      throw new UsageError(`${name}: passphrases are never given on the command line; ${source}.`, cmd.command);
    }
    if (!hit) {
      unknown.push(token); // as typed, `=value` and all, as the AWS CLI names it
      if (inline === undefined) while (i + 1 < tokens.length && !(tokens[i + 1] ?? '').startsWith('--')) unknown.push(tokens[++i] ?? '');
      continue;
    }
    const { field, negated } = hit;
    if (field.shape.kind === 'boolean') {
      if (inline !== undefined) throw new UsageError(`argument ${name}: ignored explicit argument '${inline}'`, cmd.command);
      values.set(field.name, [negated ? 'false' : 'true']);
    } else if (field.shape.kind === 'list') {
      const vs: string[] = [];
      if (inline !== undefined) vs.push(inline);
      else while (i + 1 < tokens.length && !(tokens[i + 1] ?? '').startsWith('--')) vs.push(tokens[++i] ?? '');
      if (vs.length === 0) throw new UsageError(`argument ${name}: expected at least one argument`, cmd.command);
      values.set(field.name, vs);
    } else values.set(field.name, [one()]);
  }

  if (positional.length === 1 && positional[0] === 'help') help = true;
  else if (positional.length) unknown.push(...positional);
  if (unknown.length && !help) throw new UsageError(`Unknown options: ${unknown.join(', ')}`, cmd.command);
  return {
    help,
    ...(skeleton ? { skeleton } : {}),
    values,
    passphrases,
    ...(extras['cliInputJson'] !== undefined ? { cliInputJson: extras['cliInputJson'] } : {}),
    ...(extras['pageSize'] !== undefined ? { pageSize: extras['pageSize'] } : {}),
    ...(extras['maxItems'] !== undefined ? { maxItems: extras['maxItems'] } : {}),
    ...(extras['startingToken'] !== undefined ? { startingToken: extras['startingToken'] } : {}),
  };
}
