// Builds an operation's request from its command line: --cli-input-json
// first, then each option on top of it (the command line wins, as in the
// AWS CLI), then the required-option check of the AWS CLI's parser and
// botocore's parameter validation (param-validation.ts), both before calling
// anything. Also --generate-cli-skeleton's templates.
import type { OperationArgs, OperationCommand } from './operation-commands.js';
import { COMMON_OPTIONS, PAGING_OPTIONS } from './operation-commands.js';
import type { PageRequest } from './pagination.js';
import { MAX_JSON_BYTES, parseJsonInput } from '../core/service/input-bounds.js';
import { loadParamFile, unstatedLimit } from './param-files.js';
import { validateParams } from './param-validation.js';
import { fromJson, parseOptionValue, type ParseOptions } from './parse-values.js';
import { fieldsOf, type Field, type Shape } from './schema-shapes.js';
import { UsageError } from './usage-error.js';

export interface Request {
  readonly input: Record<string, unknown>;
  /** present when the CLI fetches every page itself */
  readonly pages?: PageRequest;
}

function cliInputJson(cmd: OperationCommand, raw: string, opts: ParseOptions): Record<string, unknown> {
  const option = COMMON_OPTIONS.cliInputJson;
  const f = loadParamFile(raw, option, opts.cwd, unstatedLimit(option, MAX_JSON_BYTES));
  const text = f === undefined ? raw : f.kind === 'text' ? f.text : Buffer.from(f.bytes).toString('utf8');
  let v: unknown;
  try {
    v = parseJsonInput(text, `The JSON of ${option}`);
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e; // over input-bounds.ts's limits: a ValidationException
    throw new UsageError(`Error parsing parameter '${option}': Invalid JSON: ${e.message}`, cmd.command);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new UsageError(`Error parsing parameter '${option}': expected a JSON object of request fields, like {"KeyId": "alias/x"}`, cmd.command);
  }
  // Unknown members are named by validateParams, as botocore names them.
  return Object.fromEntries(
    Object.entries(v).map(([k, x]) => {
      if (cmd.passphraseFields.some((fd) => fd.name === k)) {
        throw new UsageError(`Error parsing parameter '${option}': ${k} is a passphrase; it comes from the environment or a prompt, never from the command line.`);
      }
      const field = cmd.fields.find((fd) => fd.name === k);
      return [k, field ? fromJson(field.shape, x, option, opts) : x];
    }),
  );
}

function positiveInt(option: string, raw: string, command: string): number {
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < 1 || !Number.isSafeInteger(Number(raw))) {
    throw new UsageError(`argument ${option}: expected a positive integer, got '${raw}'`, command);
  }
  return Number(raw);
}

export interface BuildOptions extends ParseOptions {
  readonly paginate: boolean;
  /** a required field the command fills itself when the command line leaves it out (approval-review.ts) */
  readonly askedLater?: string;
}

export function buildRequest(cmd: OperationCommand, args: OperationArgs, opts: BuildOptions): Request {
  const withCommand = <T>(f: () => T): T => {
    try {
      return f();
    } catch (e) {
      if (e instanceof UsageError && e.command === undefined) throw new UsageError(e.message, cmd.command);
      throw e;
    }
  };
  const raw = args.cliInputJson;
  const input: Record<string, unknown> = raw !== undefined ? withCommand(() => cliInputJson(cmd, raw, opts)) : {};
  for (const [name, tokens] of args.values) {
    const field = cmd.fields.find((f) => f.name === name);
    if (!field) continue;
    const value = field.shape.kind === 'boolean' ? tokens[0] === 'true' : withCommand(() => parseOptionValue(field, tokens, opts));
    Object.defineProperty(input, name, { value, enumerable: true, writable: true, configurable: true });
  }
  // With --cli-input-json no option is required on the command line (the AWS CLI's argparse check
  // steps aside) and a missing member is botocore's to name, with the other client-side checks.
  if (raw === undefined) {
    const missing = cmd.fields.filter((f) => f.required && input[f.name] === undefined && f.name !== opts.askedLater);
    if (missing.length) {
      throw new UsageError(`the following arguments are required: ${missing.map((f) => f.option).join(', ')}`, cmd.command);
    }
  }
  const filledLater = [...cmd.passphraseFields.map((f) => f.name), ...(opts.askedLater !== undefined ? [opts.askedLater] : [])];
  validateParams(fieldsOf(cmd.op.input), input, filledLater);
  const manualPaging = input['Marker'] !== undefined || input['Limit'] !== undefined;
  if (!cmd.paging || !opts.paginate || manualPaging) return { input };
  return {
    input,
    pages: {
      ...(args.pageSize !== undefined ? { pageSize: positiveInt(PAGING_OPTIONS.pageSize, args.pageSize, cmd.command) } : {}),
      ...(args.maxItems !== undefined ? { maxItems: positiveInt(PAGING_OPTIONS.maxItems, args.maxItems, cmd.command) } : {}),
      ...(args.startingToken !== undefined ? { startingToken: args.startingToken } : {}),
    },
  };
}

/** A sample value of a shape, as the AWS CLI's --generate-cli-skeleton prints it. */
function sample(shape: Shape): unknown {
  switch (shape.kind) {
    case 'string':
      return shape.choices?.[0] ?? '';
    case 'blob':
      return '';
    case 'integer':
    case 'number':
      return 0;
    case 'boolean':
      return true;
    case 'timestamp':
      return '1970-01-01T00:00:00';
    case 'map':
      return { KeyName: sample(shape.value) };
    case 'list':
      return [sample(shape.element)];
    case 'structure':
      return skeletonOf(shape.members);
    default:
      return null;
  }
}

const skeletonOf = (fields: readonly Field[]): Record<string, unknown> => Object.fromEntries(fields.map((f) => [f.name, sample(f.shape)]));

export function skeleton(cmd: OperationCommand, kind: 'input' | 'output'): Record<string, unknown> {
  return skeletonOf(kind === 'input' ? cmd.fields : fieldsOf(cmd.op.output));
}
