// Shell completion's candidates, as `aws_completer` gives them: the shell
// hands over the command line and the cursor (COMP_LINE, COMP_POINT), the
// program prints the words that may come next, one a line. The words come
// from the tables the help is made of: the operation commands and their
// options from each operation's input schema, the hand-written commands from
// BUILTIN_COMMANDS and command-options.ts, the global options from
// GLOBAL_OPTIONS. `strongroom __complete` runs this module without loading
// the vault (bin.ts), so a TAB answers at once.
import { readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { SERVICE_OPERATIONS } from '../api/index.js';
import { HAND_WRITTEN_COMMANDS, OPERATION_EXTRA_OPTIONS, type CommandOption, type HandWrittenCommand, type OptionValue } from './command-options.js';
import { GLOBAL_OPTIONS } from './global-options.js';
import { BUILTIN_COMMANDS } from './help-text.js';
import { resolveOption } from './option-prefix.js';
import { askedFor, COMMON_OPTIONS, operationCommands, PAGING_OPTIONS, type OperationCommand } from './operation-commands.js';
import type { Shape } from './schema-shapes.js';

interface CompletionOption extends CommandOption {
  /** the other name of the same setting (`--no-multi-region` for `--multi-region`): once one is given, neither is offered */
  readonly twin?: string;
  /** takes several values (a list field: `--operations Encrypt Decrypt`), up to the next option */
  readonly many?: true;
}

interface CompletionCommand extends HandWrittenCommand {
  readonly options: readonly CompletionOption[];
}

/** An enum's words; any other value is typed (or, for a path, left to the shell's file completion). */
function valueOf(shape: Shape): OptionValue {
  if (shape.kind === 'string' && shape.choices) return shape.choices;
  if (shape.kind === 'list' && shape.element.kind === 'string' && shape.element.choices) return shape.element.choices;
  return 'text';
}

function operationOptions(cmd: OperationCommand): CompletionCommand {
  const options: CompletionOption[] = [];
  for (const f of cmd.fields) {
    if (f.shape.kind !== 'boolean') options.push({ option: f.option, value: valueOf(f.shape), ...(f.shape.kind === 'list' ? { many: true as const } : {}) });
    else if (f.negatedOption === undefined) options.push({ option: f.option });
    else options.push({ option: f.option, twin: f.negatedOption }, { option: f.negatedOption, twin: f.option });
  }
  // an optional new passphrase is asked for by its bare option (operation-commands.ts askedFor)
  for (const f of cmd.passphraseFields.filter(askedFor)) options.push({ option: f.option });
  options.push({ option: COMMON_OPTIONS.cliInputJson, value: 'text' }, { option: COMMON_OPTIONS.skeleton, value: ['input', 'output'] });
  if (cmd.paging) for (const option of Object.values(PAGING_OPTIONS)) options.push({ option, value: 'text' });
  for (const { option, value } of OPERATION_EXTRA_OPTIONS[cmd.command] ?? []) options.push({ option, ...(value !== undefined ? { value } : {}) });
  return { options };
}

let table: ReadonlyMap<string, CompletionCommand> | undefined;

/** Every command, by its full name (`kms`-style `create-key`, `iam create-user`, `ceremony split`), with its options. */
export function completionCommands(): ReadonlyMap<string, CompletionCommand> {
  if (table) return table;
  const all = new Map<string, CompletionCommand>();
  for (const { command } of BUILTIN_COMMANDS) all.set(command, HAND_WRITTEN_COMMANDS[command] ?? { options: [] });
  for (const [name, cmd] of operationCommands(SERVICE_OPERATIONS)) all.set(name, operationOptions(cmd));
  table = all;
  return all;
}

const GLOBALS: readonly CompletionOption[] = GLOBAL_OPTIONS.map((g) => ({
  option: g.option,
  ...(g.choices ? { value: g.choices } : g.value !== undefined ? { value: g.value === 'DIR' ? 'path' : 'text' } : {}),
}));

/**
 * The words of a command line up to the cursor, with shell quoting removed;
 * the last is the word being completed ('' after a space).
 */
export function lineWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] ?? '';
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < line.length) word += line[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  words.push(word);
  return words;
}

const FILE_PREFIXES = ['fileb://', 'file://'] as const;

/** `fileb://dir/pa` → the entries of dir starting with pa, as `fileb://dir/path…` (directories end in /). */
function filePaths(word: string, cwd: string): string[] {
  const prefix = FILE_PREFIXES.find((p) => word.startsWith(p));
  if (prefix === undefined) return [];
  const rest = word.slice(prefix.length);
  const slash = rest.lastIndexOf('/');
  const dirPart = rest.slice(0, slash + 1);
  const base = rest.slice(slash + 1);
  const dir = resolve(cwd, dirPart.startsWith('~/') ? homedir() + dirPart.slice(1) : dirPart || '.');
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.name.startsWith(base) && (base.startsWith('.') || !e.name.startsWith('.')))
      .map((e) => {
        const isDir = e.isDirectory() || (e.isSymbolicLink() && statSync(resolve(dir, e.name), { throwIfNoEntry: false })?.isDirectory() === true);
        return `${prefix}${dirPart}${e.name}${isDir ? '/' : ''}`;
      });
  } catch {
    return [];
  }
}

/** The values an option may take that start with `word`; none for a path or free text, whose completion is the shell's. */
function optionValues(def: CommandOption, word: string, cwd: string): string[] {
  if (Array.isArray(def.value)) return (def.value as readonly string[]).filter((v) => v.startsWith(word));
  return filePaths(word, cwd);
}

/** The first words of all commands (`create-key`, `iam`, `ceremony`, …), or the second words of a group's. */
function commandWords(commands: ReadonlyMap<string, CompletionCommand>, group?: string): string[] {
  const words = new Set<string>();
  for (const name of commands.keys()) {
    const [first, second] = name.split(' ');
    if (group === undefined && first !== undefined) words.add(first);
    else if (group !== undefined && first === group && second !== undefined) words.add(second);
  }
  return [...words];
}

/** The candidates for the last of `words` (words[0] is the program). */
export function completeWords(words: readonly string[], cwd: string): string[] {
  const commands = completionCommands();
  const groups = new Set(commandWords(commands).filter((w) => !commands.has(w)));
  const previous = words.slice(1, -1);
  const current = words.at(-1) ?? '';
  let group: string | undefined;
  let command: string | undefined;
  const positionals: string[] = [];
  const given = new Set<string>();
  let pending: CompletionOption | undefined;
  const optionsOf = (): readonly CompletionOption[] => [...(command !== undefined ? (commands.get(command)?.options ?? []) : []), ...GLOBALS];
  // an option written as a prefix (`--key-sp`) is the option the parser reads it as: a command's exact
  // option, else a global option's prefix, else the command's (global-options.ts, option-prefix.ts)
  const lookup = (name: string): CompletionOption | undefined => {
    const own = command !== undefined ? (commands.get(command)?.options ?? []) : [];
    const resolve = (among: readonly CompletionOption[]): CompletionOption | undefined => {
      try {
        const full = resolveOption(name, among.map((o) => o.option));
        return among.find((o) => o.option === full);
      } catch {
        return undefined; // ambiguous: the parser refuses it, so it has no values to offer
      }
    };
    return own.find((o) => o.option === name) ?? resolve(GLOBALS) ?? resolve(own);
  };

  for (let i = 0; i < previous.length; i++) {
    const w = previous[i] ?? '';
    if (w.startsWith('--')) {
      const eq = w.indexOf('=');
      const def = lookup(eq > 0 ? w.slice(0, eq) : w);
      if (!def) continue;
      given.add(def.option);
      if (def.twin !== undefined) given.add(def.twin);
      if (def.value !== undefined && eq < 0) {
        // its values, as splitOperationArgs reads them: one, or for a list every word up to the next option
        let j = i + 1;
        if (def.many === true) while (j < previous.length && !(previous[j] ?? '').startsWith('--')) j++;
        else j = Math.min(j + 1, previous.length + 1);
        if (j > previous.length || (def.many === true && j === previous.length)) pending = def;
        i = j - 1;
      }
    } else if (command !== undefined) positionals.push(w);
    else if (group !== undefined) command = `${group} ${w}`;
    else if (groups.has(w)) group = w;
    else command = w;
  }

  // a command this table does not know (a typo) gets nothing: the shell's files, as for a path
  if (command !== undefined && command !== 'help' && !commands.has(command)) return [];
  const eq = current.startsWith('--') ? current.indexOf('=') : -1;
  if (eq > 0) {
    const def = lookup(current.slice(0, eq));
    return def?.value !== undefined ? optionValues(def, current.slice(eq + 1), cwd).map((v) => `${current.slice(0, eq + 1)}${v}`) : [];
  }
  if (pending && !(pending.many === true && current.startsWith('--'))) return optionValues(pending, current, cwd);
  const options = (): string[] =>
    optionsOf()
      .filter((o) => o.repeatable === true || !given.has(o.option))
      .map((o) => o.option)
      .filter((o) => o.startsWith(current));
  if (current.startsWith('-')) return options();
  if (command === undefined) return commandWords(commands, group).filter((w) => w.startsWith(current));
  if (command === 'help') {
    if (positionals.length === 0) return commandWords(commands).filter((w) => w.startsWith(current));
    const [topic] = positionals;
    return positionals.length === 1 && topic !== undefined && groups.has(topic) ? commandWords(commands, topic).filter((w) => w.startsWith(current)) : [];
  }
  const cmd = commands.get(command) ?? { options: [] };
  if (cmd.positional !== undefined && positionals.length === 0) {
    return cmd.positional === 'path' ? filePaths(current, cwd) : cmd.positional.filter((w) => w.startsWith(current));
  }
  return options();
}

/**
 * The candidates for COMP_LINE up to COMP_POINT (bash counts it in bytes).
 * Bash replaces only the part of the word after its last COMP_WORDBREAKS
 * character (`//x` of `fileb://x`, `te` of `--output=te`), so each candidate
 * is cut the same way.
 */
export function completeLine(line: string, point: number, wordbreaks: string, cwd: string): string[] {
  const words = lineWords(Buffer.from(line).subarray(0, point).toString());
  const current = words.at(-1) ?? '';
  let cut = -1;
  for (const c of wordbreaks) if (!/\s/.test(c)) cut = Math.max(cut, current.lastIndexOf(c));
  const strip = current.slice(0, cut + 1);
  return completeWords(words, cwd)
    .filter((c) => c.startsWith(strip))
    .map((c) => c.slice(strip.length))
    .sort();
}
