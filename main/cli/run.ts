// The `strongroom` command line: run(argv, io) parses the line, runs one
// command and returns the exit code (0 ok, 252 usage, 254 service error,
// 255 other, 130 interrupted — the AWS CLI v2's codes). The operation
// commands are derived from the operation table; `init`, `start` and `help`
// are the only commands written by hand.
import { resolve } from 'node:path';
import { isatty } from 'node:tty';
import { CONTRACT, isOperationName } from '../api/index.js';
import { isKmsError, KmsError, type ApprovalRequiredError } from '../core/errors.js';
import { buildRequest, skeleton, type Request } from './build-request.js';
import type { CliIo } from './cli-io.js';
import { ENV, newPassphrase, type Prompt } from './credentials.js';
import { openSession } from './session.js';
import { applyQuery, checkQuery, formatOutput, formatText, toJson } from './format-output.js';
import { wipeBytes } from '../core/crypto/wipe.js';
import { formatYamlStreamPage } from './format-yaml.js';
import { splitGlobalOptions, type GlobalOptions } from './global-options.js';
import { configFilePath, profileNotFound, readConfigFile } from './config-file.js';
import { configureHelp, isConfigureCommand, runConfigureCommand } from './configure-commands.js';
import { exportPublicKeyToFile, OUT_COMMAND, takeOutOption } from './public-key-out.js';
import { generalHelp, generalUsage, INIT_HELP, operationHelp, operationUsage, PROGRAM, START_TEXT, BUILTIN_COMMANDS, HELP_HINT } from './help-text.js';
import { closeMatches } from './names.js';
import { COMPLETION_COMMAND, COMPLETION_HELP, completionScript, SHELLS } from './completion-script.js';
import { askedFor, operationCommands, optionNames, splitOperationArgs, type OperationCommand } from './operation-commands.js';
import { HAND_WRITTEN_COMMANDS } from './command-options.js';
import { resolveOption } from './option-prefix.js';
import { paginate } from './pagination.js';
import { ParamValidationError } from './param-validation.js';
import { reviewOf } from './approval-review.js';
import type { CommandHost } from './cli-io.js';
import { isAuditCommand, isBackupCommand, isCeremonyCommand, isCeremonyScriptCommand, isFileCommand, isLoginCommand } from './command-groups.js';
import { InterruptedError, promptLine, promptSecret } from './terminal-prompt.js';
import { EXIT, UsageError } from './usage-error.js';
import { loadVaultApi, type Custody, type OpenedVault, type VaultApi } from './vault-api.js';
import { defaultVaultDir } from '../vault/paths.js';
import { versionLine } from './version.js';

/** Services whose operations are grouped under their name on the command line (operation-commands.ts names them so), and the ceremony and backup commands' groups. */
const SERVICES = new Set(['iam', 'sts', 'tenant', 'audit', 'approval', 'ceremony', 'backup', 'configure']);

/** The CLI's own name for `init` in error messages, in the AWS form "when calling the X operation". */
const INIT_OPERATION = 'Init';

interface Context {
  readonly io: CliIo;
  readonly globals: GlobalOptions;
  readonly prompt: Prompt;
  /** asks a question whose answer is shown as it is typed */
  readonly promptLine: Prompt;
}

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  let debug = argv.includes('--debug');
  let commands: ReadonlyMap<string, OperationCommand> = new Map();
  try {
    commands = operationCommands(io.operations?.values() ?? (await import('../api/index.js')).SERVICE_OPERATIONS);
    const { globals, rest, config, profile, origins } = splitGlobalOptions(argv, io.env, () => readConfigFile(configFilePath(io.env, io.cwd), io.env), (before) => ownOptions(before, commands));
    debug = globals.debug;
    if (globals.version) {
      io.stdout(versionLine());
      return EXIT.ok;
    }
    if (globals.query !== undefined) checkQuery(globals.query);
    const ctx: Context = { io, globals, prompt: io.promptSecret ?? promptSecret, promptLine: io.promptLine ?? promptLine };
    const [first, ...afterFirst] = rest;
    if (first === undefined) throw new UsageError('the following arguments are required: command');
    // `strongroom iam create-user …`: a service name and its command form one command name.
    const namespaced = SERVICES.has(first) && afterFirst[0] !== undefined && !afterFirst[0].startsWith('-');
    const command = namespaced ? `${first} ${afterFirst[0]}` : first;
    const args = namespaced ? afterFirst.slice(1) : afterFirst;
    if (command === 'help' || command === '--help' || command === '-h') return await help(ctx, commands, args);
    if (command.startsWith('-')) throw new UsageError(`Unknown options: ${command}`);
    if (isConfigureCommand(command)) return await runConfigureCommand(command, args, { io, globals, config, origins, promptLine: ctx.promptLine, ...(profile !== undefined ? { profile } : {}) });
    if (profile !== undefined && !config.profiles.has(profile)) throw profileNotFound(profile);
    if (command === 'init') return await init(ctx, args);
    if (command === 'start') {
      if (args.length && !isHelp(args)) throw new UsageError(`Unknown options: ${args.join(', ')}`, 'start');
      io.stdout(START_TEXT);
      return EXIT.ok;
    }
    if (command === COMPLETION_COMMAND) {
      if (isHelp(args)) io.stdout(COMPLETION_HELP);
      else if (args.length !== 1) throw new UsageError(`the following arguments are required: shell (${SHELLS.join(' or ')})`, COMPLETION_COMMAND);
      else io.stdout(completionScript(args[0] ?? ''));
      return EXIT.ok;
    }
    // The hand-written groups' modules are imported only when one of their commands runs: they load
    // the vault, sqlite, age, the share and ceremony code, which `help` and `encrypt` never need (command-groups.ts).
    const host: CommandHost = { io, globals, prompt: ctx.prompt, vaultDir: (api) => vaultDir(ctx, api), log: internalLog(ctx).log, serviceError: (e, op) => serviceError(ctx, e, op) };
    if (isAuditCommand(command)) return await (await import('./audit-commands.js')).runAuditCommand(command, args, host);
    if (isCeremonyScriptCommand(command)) return await (await import('./ceremony-script-commands.js')).runCeremonyScriptCommand(command, args, host);
    if (isBackupCommand(command)) return await (await import('./backup-commands.js')).runBackupCommand(command, args, host);
    if (isFileCommand(command)) return await (await import('./file-commands.js')).runFileCommand(command, args, host);
    if (isCeremonyCommand(command)) return await (await import('./ceremony-commands.js')).runCeremonyCommand(command, args, host);
    if (isLoginCommand(command)) return await (await import('./login-commands.js')).runLoginCommand(command, args, host);
    const cmd = commands.get(command);
    if (!cmd) throw unknownCommand(command, commands);
    return await runOperation(ctx, cmd, args);
  } catch (e) {
    return report(e, io, commands, debug);
  }
}

/** The options of the command the words `before` name (`iam create-user`, `encrypt-file`), for an exact match to win over a global option's prefix. */
function ownOptions(before: readonly string[], commands: ReadonlyMap<string, OperationCommand>): readonly string[] {
  const [first, second] = before;
  if (first === undefined) return [];
  const command = SERVICES.has(first) && second !== undefined && !second.startsWith('-') ? `${first} ${second}` : first;
  const cmd = commands.get(command);
  // export-public-key's --out (public-key-out.ts) is its own, not a prefix of --output
  if (cmd) return command === OUT_COMMAND ? [...optionNames(cmd), '--out'] : optionNames(cmd);
  return HAND_WRITTEN_COMMANDS[command]?.options.map((o) => o.option) ?? [];
}

const isHelp = (args: readonly string[]): boolean => args.length === 1 && (args[0] === 'help' || args[0] === '--help' || args[0] === '-h');

function unknownCommand(command: string, commands: ReadonlyMap<string, OperationCommand>): UsageError {
  const names = [...BUILTIN_COMMANDS.map((c) => c.command), ...commands.keys()];
  const close = closeMatches(command, names);
  const hint = close.length ? `, maybe you meant:\n\n${close.map((c) => `  * ${c}`).join('\n')}` : `; \`${PROGRAM} help\` lists the commands`;
  return new UsageError(`argument command: Invalid choice: '${command}'${hint}`);
}

async function help(ctx: Context, commands: ReadonlyMap<string, OperationCommand>, args: readonly string[]): Promise<number> {
  const { io } = ctx;
  const [first, ...rest] = args;
  const topic = first !== undefined && SERVICES.has(first) && rest[0] !== undefined ? `${first} ${rest[0]}` : first;
  const more = topic !== first ? rest.slice(1) : rest;
  if (more.length) throw new UsageError(`Unknown options: ${more.join(', ')}`);
  // the default vault directory from paths.ts alone: the vault module (sqlite, the whole service) is not loaded for help
  if (topic === undefined || topic === 'help') io.stdout(generalHelp(commands.values(), (io.vault ?? { defaultVaultDir }).defaultVaultDir(io.env)));
  else if (topic === 'init') io.stdout(INIT_HELP);
  else if (topic === 'start') io.stdout(START_TEXT);
  else if (topic === COMPLETION_COMMAND) io.stdout(COMPLETION_HELP);
  else if (topic !== undefined && isConfigureCommand(topic)) io.stdout(configureHelp(topic));
  // a group's help is imported with its module, as its commands are (above)
  else if (isFileCommand(topic)) io.stdout((await import('./file-commands.js')).fileCommandHelp(topic));
  else if (isCeremonyCommand(topic)) io.stdout((await import('./ceremony-commands.js')).ceremonyHelp(topic));
  else if (isAuditCommand(topic)) io.stdout((await import('./audit-commands.js')).AUDIT_HELP[topic]);
  else if (isCeremonyScriptCommand(topic)) io.stdout((await import('./ceremony-script-commands.js')).CEREMONY_SCRIPT_HELP[topic]);
  else if (isBackupCommand(topic)) io.stdout((await import('./backup-commands.js')).BACKUP_HELP[topic]);
  else if (isLoginCommand(topic)) io.stdout((await import('./login-commands.js')).LOGIN_HELP[topic]);
  else {
    const cmd = commands.get(topic);
    if (!cmd) throw unknownCommand(topic, commands);
    io.stdout(operationHelp(cmd));
  }
  return EXIT.ok;
}

const vaultDir = (ctx: Context, api: VaultApi): string => resolve(ctx.io.cwd, ctx.globals.vault ?? api.defaultVaultDir(ctx.io.env));

/**
 * Where the vault logs internal errors (KMSInternalException's details): this
 * process's stderr, the message only, or the stack too with --debug. The
 * service never hands key material to the log.
 */
function internalLog(ctx: Context): { log: (m: string, e?: unknown) => void } {
  return {
    log: (m, e) => {
      const detail = e instanceof Error ? (ctx.globals.debug ? (e.stack ?? e.message) : e.message) : e === undefined ? '' : String(e);
      ctx.io.stderr(`${PROGRAM}: ${m}${detail ? `: ${detail}` : ''}${ctx.globals.debug ? '' : ' (--debug shows more)'}\n`);
    },
  };
}

/** `An error occurred (NotFoundException) when calling the Encrypt operation: …` (and, for a call held for approval, how to follow it up) */
function serviceError(ctx: Context, e: KmsError, operation: string): number {
  ctx.io.stderr(`\nAn error occurred (${e.name}) when calling the ${operation} operation: ${e.message}\n`);
  const id = (e as Partial<ApprovalRequiredError>).approvalRequestId;
  if (typeof id === 'string') {
    // an approvable app operation (a backup, a re-split) is run again by its command, which writes its files (api/operation.ts)
    const rerun = isOperationName(operation) && CONTRACT[operation].approvable;
    const then = rerun ? `run this command again with --approval-request-id ${id}` : `${PROGRAM} approval execute --request-id ${id}`;
    ctx.io.stderr(
      `\nApprovers, at a terminal: ${PROGRAM} approval approve --request-id ${id} (shows the request, then asks for its RequestHash)\n` +
        `or: ${PROGRAM} approval show --request-id ${id}, then ${PROGRAM} approval approve --request-id ${id} --request-hash <RequestHash>\n` +
        `Then the requester: ${then}\n`,
    );
  }
  return EXIT.serviceError;
}

async function runOperation(ctx: Context, cmd: OperationCommand, tokens: readonly string[]): Promise<number> {
  const { io, globals } = ctx;
  const { out, tokens: opTokens } = takeOutOption(cmd.command, tokens);
  const args = splitOperationArgs(cmd, opTokens);
  if (args.help) {
    io.stdout(operationHelp(cmd));
    return EXIT.ok;
  }
  if (args.skeleton) {
    io.stdout(`${JSON.stringify(toJson(skeleton(cmd, args.skeleton)), null, 4)}\n`);
    return EXIT.ok;
  }
  // at a terminal, `approval approve` may leave out the hash: it shows the request and asks for it (approval-review.ts)
  const review = (io.interactive ?? isatty(0)) ? reviewOf(cmd) : undefined;
  let request: Request;
  try {
    request = buildRequest(cmd, args, { cwd: io.cwd, binaryFormat: globals.binaryFormat, paginate: globals.paginate, ...(review ? { askedLater: review.field } : {}) });
  } catch (e) {
    // a value over its limit (a file past the field's size, JSON nested too deep): refused before the vault is opened
    if (isKmsError(e)) return serviceError(ctx, e, cmd.op.name);
    throw e;
  }
  if (out !== undefined) {
    return await exportPublicKeyToFile({ io, globals, prompt: ctx.prompt, vaultDir: (a) => vaultDir(ctx, a), log: internalLog(ctx).log, serviceError: (e, op) => serviceError(ctx, e, op) }, request.input, out);
  }
  const api = io.vault ?? (await loadVaultApi());
  let vault: OpenedVault | undefined;
  try {
    const session = await openSession(api, { env: io.env, globals, prompt: ctx.prompt, dir: vaultDir(ctx, api), ...internalLog(ctx) });
    vault = session.vault;
    const { service } = vault;
    const { caller } = session;
    for (const f of cmd.passphraseFields) {
      if (askedFor(f) && !args.passphrases.has(f.name)) continue;
      request.input[f.name] =
        f.passphrase === 'current' ? await session.currentPassphrase() : await newPassphrase(io.env, ctx.prompt, ENV.newPassphrase, `passphrase (${f.name})`);
    }
    if (review && request.input[review.field] === undefined) {
      request.input[review.field] = await review.confirm(request.input, (op, input) => service.dispatch(caller, op, input), ctx.promptLine);
    }
    const call = async (input: Record<string, unknown>) => (await service.dispatch(caller, cmd.op.name, input)) as Record<string, unknown>;
    const responses: unknown[] = [];
    const outputContext = { title: cmd.op.name, ...(io.columns !== undefined ? { columns: io.columns } : {}) };
    try {
      if (request.pages && cmd.paging) {
        const result = await paginate(cmd.paging, request.input, request.pages, async (input) => {
          const r = await call(input);
          responses.push(r);
          return r;
        });
        if (globals.output === 'text') {
          for (const page of result.pages) io.stdout(formatText(applyQuery(toJson(page), globals.query)));
          if (result.nextToken !== undefined) io.stdout(formatText({ NextToken: { NextToken: result.nextToken } }));
        } else if (globals.output === 'yaml-stream') {
          // each page as it came (NextMarker, Truncated and all, as botocore's PageIterator yields it), --max-items applied
          result.pages.forEach((page, i) => io.stdout(formatYamlStreamPage(applyQuery(toJson({ ...(responses[i] as object), ...page }), globals.query))));
        } else io.stdout(formatOutput(applyQuery(toJson(result.full), globals.query), globals.output, outputContext));
      } else {
        const response = await call(request.input);
        responses.push(response);
        io.stdout(formatOutput(applyQuery(toJson(response), globals.query), globals.output, outputContext));
      }
    } finally {
      wipeBytes(responses);
      wipeBytes(request.input);
    }
    return EXIT.ok;
  } catch (e) {
    if (isKmsError(e)) return serviceError(ctx, e, cmd.op.name);
    throw e;
  } finally {
    await closeQuietly(ctx, vault);
  }
}

async function closeQuietly(ctx: Context, vault: OpenedVault | undefined): Promise<void> {
  try {
    await vault?.close();
  } catch (e) {
    internalLog(ctx).log('closing the vault failed', e);
  }
}

function parseInitArgs(tokens: readonly string[]): { help: boolean; passphraseOnly: boolean; tenantName?: string } {
  let passphraseOnly = false;
  let tenantName: string | undefined;
  const unknown: string[] = [];
  let help = false;
  const options = HAND_WRITTEN_COMMANDS['init']?.options.map((o) => o.option) ?? [];
  for (let i = 0; i < tokens.length; i++) {
    const typed = tokens[i] ?? '';
    // an unambiguous prefix stands for its option (option-prefix.ts)
    const eq = typed.startsWith('--') ? typed.indexOf('=') : -1;
    const full = resolveOption(eq > 0 ? typed.slice(0, eq) : typed, options, typed, 'init');
    const t = full === undefined ? typed : `${full}${eq > 0 ? typed.slice(eq) : ''}`;
    if (t === 'help' || t === '--help' || t === '-h') help = true;
    else if (t === '--passphrase-only') passphraseOnly = true;
    else if (t.startsWith('--tenant-name=')) tenantName = t.slice('--tenant-name='.length);
    else if (t === '--tenant-name') {
      const v = tokens[i + 1];
      if (v === undefined || v.startsWith('--')) throw new UsageError('argument --tenant-name: expected one argument', 'init');
      tenantName = v;
      i++;
    } else unknown.push(t);
  }
  if (unknown.length && !help) throw new UsageError(`Unknown options: ${unknown.join(', ')}`, 'init');
  return { help, passphraseOnly, ...(tenantName !== undefined ? { tenantName } : {}) };
}

async function init(ctx: Context, tokens: readonly string[]): Promise<number> {
  const { io, globals } = ctx;
  const args = parseInitArgs(tokens);
  if (args.help) {
    io.stdout(INIT_HELP);
    return EXIT.ok;
  }
  const api = io.vault ?? (await loadVaultApi());
  const dir = vaultDir(ctx, api);
  try {
    const adminPassphrase = await newPassphrase(io.env, ctx.prompt, ENV.passphrase, 'administrator passphrase');
    const custody: Custody = args.passphraseOnly
      ? { kind: 'passphrase', passphrase: await newPassphrase(io.env, ctx.prompt, ENV.vaultPassphrase, 'vault passphrase') }
      : { kind: 'keychain' };
    const { account } = await api.initVault(dir, {
      custody,
      adminPassphrase,
      ...(globals.lockTimeoutMs !== undefined ? { busyTimeoutMs: globals.lockTimeoutMs } : {}),
      ...(args.tenantName !== undefined ? { tenantName: args.tenantName } : {}),
    });
    io.stdout(formatOutput(applyQuery({ VaultDirectory: dir, AccountId: account, Custody: custody.kind }, globals.query), globals.output));
    return EXIT.ok;
  } catch (e) {
    if (isKmsError(e)) return serviceError(ctx, e, INIT_OPERATION);
    throw e;
  }
}

function report(e: unknown, io: CliIo, commands: ReadonlyMap<string, OperationCommand>, debug: boolean): number {
  if (e instanceof UsageError) {
    const cmd = e.command !== undefined ? commands.get(e.command) : undefined;
    const usage = cmd
      ? operationUsage(cmd)
      : e.command === 'init'
        ? `usage: ${PROGRAM} [global options] init [--passphrase-only] [--tenant-name <value>]\n\n${HELP_HINT('init')}`
        : generalUsage();
    io.stderr(`\n${usage}\n\n${PROGRAM}: error: ${e.message}\n`);
    return EXIT.usage;
  }
  if (e instanceof ParamValidationError) {
    // as the AWS CLI prints botocore's ParamValidationError: the report alone, no usage
    io.stderr(`\n${e.message}\n`);
    return EXIT.usage;
  }
  if (e instanceof InterruptedError) {
    io.stderr('\n');
    return EXIT.interrupted;
  }
  if (isKmsError(e)) {
    io.stderr(`\nAn error occurred (${e.name}): ${e.message}\n`);
    return EXIT.serviceError;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  io.stderr(`\n${debug ? (err.stack ?? err.message) : err.message}\n`);
  return EXIT.internal;
}
