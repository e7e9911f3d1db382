// The options of a hand-written command (`file encrypt`, `ceremony split`,
// `ceremony recover`), read as the AWS CLI's parser reads them: `--name
// value` or `--name=value`, flags that take no value, and `help`, `--help`
// or `-h` for the command's help. One reader, so every command words its
// usage errors alike (exit 252). An option may be shortened to an
// unambiguous prefix of one in the command's table (command-options.ts), as
// in the AWS CLI (option-prefix.ts).
import { HAND_WRITTEN_COMMANDS } from './command-options.js';
import { resolveOption } from './option-prefix.js';
import { UsageError } from './usage-error.js';

export interface OptionToken {
  /** the token as typed */
  readonly token: string;
  /** the option's full name (a prefix resolved), without any `=value` */
  readonly name: string;
  /** the token asks for the command's help */
  readonly help: boolean;
  /** the option's value: after its `=`, else the next token (which is then consumed) */
  value(): string;
  /** refuses a value given to a flag (`--flag=x`) */
  flag(): void;
}

/** Each token of `tokens` in turn (`-`, stdin or stdout, is a value like any other). */
export function* optionTokens(tokens: readonly string[], command: string): Generator<OptionToken> {
  const options = (HAND_WRITTEN_COMMANDS[command]?.options ?? []).map((o) => o.option);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? '';
    const eq = token.startsWith('--') ? token.indexOf('=') : -1;
    const typed = eq > 0 ? token.slice(0, eq) : token;
    const name = resolveOption(typed, options, token, command) ?? typed;
    yield {
      token,
      name,
      help: token === '--help' || token === '-h' || (token === 'help' && tokens.length === 1),
      value: () => {
        if (eq > 0) return token.slice(eq + 1);
        const v = tokens[i + 1];
        if (v === undefined || v.startsWith('--')) throw new UsageError(`argument ${name}: expected one argument`, command);
        i++;
        return v;
      },
      flag: () => {
        if (eq > 0) throw new UsageError(`argument ${name}: takes no value`, command);
      },
    };
  }
}
