// The options of a hand-written command (`file encrypt`, `ceremony split`,
// `ceremony recover`), read as the AWS CLI's parser reads them: `--name
// value` or `--name=value`, flags that take no value, and `help`, `--help`
// or `-h` for the command's help. One reader, so every command words its
// usage errors alike (exit 252).
import { UsageError } from './usage-error.js';

export interface OptionToken {
  /** the token as typed */
  readonly token: string;
  /** the option's name, without any `=value` */
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
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? '';
    const eq = token.startsWith('--') ? token.indexOf('=') : -1;
    const name = eq > 0 ? token.slice(0, eq) : token;
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
