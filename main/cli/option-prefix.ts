// A long option may be shortened to any unambiguous prefix (`--tag-key` for
// `--tag-keys`, `--reg=x` for `--region=x`), as the AWS CLI's parsers take it:
// they are Python argparse parsers with allow_abbrev on (argparse.py
// _parse_optional, _get_option_tuples). An exact name always wins; a prefix
// of one option is that option; a prefix of several is a usage error naming
// them, in the parser's order. This module imports nothing beyond the usage
// error, so shell completion reads options the same way without the vault.
import { UsageError } from './usage-error.js';

/**
 * The option among `options` that `name` (a token's part before any `=`)
 * stands for, or undefined when none does. `token` is the whole token as
 * typed: argparse names it so in the ambiguity error (`--source-e=x`).
 */
export function resolveOption(name: string, options: readonly string[], token: string = name, command?: string): string | undefined {
  if (options.includes(name)) return name;
  // `--` alone ends the options in argparse; short options (`-h`) are never shortened here
  if (!name.startsWith('--') || name.length < 3) return undefined;
  const matches = [...new Set(options.filter((o) => o.startsWith(name)))];
  if (matches.length > 1) throw new UsageError(`ambiguous option: ${token} could match ${matches.join(', ')}`, command);
  return matches[0];
}

/** The token's option name and inline value (`--name=value`), as the parsers split it. */
export function splitToken(token: string): { name: string; inline?: string } {
  const eq = token.startsWith('--') ? token.indexOf('=') : -1;
  return eq > 0 ? { name: token.slice(0, eq), inline: token.slice(eq + 1) } : { name: token };
}
