// `strongroom completion bash|zsh`: the script a shell sources to complete
// `strongroom` command lines. It holds no word lists: on each TAB it runs
// `strongroom __complete` with the line and the cursor (COMP_LINE,
// COMP_POINT, as `complete -C aws_completer aws` does) and offers what that
// prints (completion.ts). With nothing printed the shell completes file
// names, which is what a path value wants.
import { HELP_HINT, PROGRAM, wrap } from './help-text.js';
import { UsageError } from './usage-error.js';

export const COMPLETE_ENTRY = '__complete';
export const COMPLETION_COMMAND = 'completion';
export const SHELLS = ['bash', 'zsh'] as const;

const FUNCTION = `_${PROGRAM}_complete`;

/** The request both shells make: the line, the cursor, and (bash only) where bash splits a word. */
const CALL = `COMP_LINE="$COMP_LINE" COMP_POINT="$COMP_POINT" COMP_WORDBREAKS="\${COMP_WORDBREAKS-}" command ${PROGRAM} ${COMPLETE_ENTRY} 2>/dev/null`;

const BASH = [
  `# ${PROGRAM} completion for bash. Load it with: eval "$(${PROGRAM} completion bash)"`,
  `${FUNCTION}() {`,
  `    mapfile -t COMPREPLY < <(${CALL})`,
  '    # a directory or an option=... goes on being typed: no space after it',
  '    if [[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == *[/=] ]]; then compopt -o nospace; fi',
  '    return 0',
  '}',
  `complete -o default -F ${FUNCTION} ${PROGRAM}`,
  '',
].join('\n');

// zsh runs the same function through bashcompinit, which sets COMP_LINE and
// COMP_POINT and falls back to file names (-o default) when it offers nothing.
// zsh has no mapfile: split the output on newlines, with no globbing.
const ZSH = [
  `# ${PROGRAM} completion for zsh. Load it with: eval "$(${PROGRAM} completion zsh)"`,
  `(( \${+functions[compdef]} )) || { autoload -U +X compinit && compinit; }`,
  `autoload -U +X bashcompinit && bashcompinit`,
  `${FUNCTION}() {`,
  '    setopt localoptions noglob',
  `    local IFS=$'\\n'`,
  `    COMPREPLY=($(${CALL}))`,
  '    return 0',
  '}',
  `complete -o default -F ${FUNCTION} ${PROGRAM}`,
  '',
].join('\n');

export function completionScript(shell: string): string {
  if (shell === 'bash') return BASH;
  if (shell === 'zsh') return ZSH;
  throw new UsageError(`argument shell: Invalid choice '${shell}', valid choices are: ${SHELLS.join(', ')}`, COMPLETION_COMMAND);
}

export const COMPLETION_HELP = [
  'NAME',
  `  ${COMPLETION_COMMAND} -`,
  wrap('Prints a script that makes bash or zsh complete strongroom command lines: commands, options, and the values of options that take one of a few words.', 4),
  '',
  'SYNOPSIS',
  `  ${PROGRAM} ${COMPLETION_COMMAND} bash | zsh`,
  '',
  'DESCRIPTION',
  wrap('Load it in the shell, or add the line to ~/.bashrc or ~/.zshrc:', 2),
  '',
  `    eval "$(${PROGRAM} ${COMPLETION_COMMAND} bash)"`,
  `    eval "$(${PROGRAM} ${COMPLETION_COMMAND} zsh)"`,
  '',
  wrap(
    `The script asks \`${PROGRAM}\` (found on PATH) for the candidates at each TAB, so it stays right as commands change. ` +
      'zsh loads it through bashcompinit (and compinit, if not loaded yet). Paths after fileb:// and file:// are completed; ' +
      "other path values are left to the shell's file completion.",
    2,
  ),
  '',
  HELP_HINT(COMPLETION_COMMAND),
  '',
].join('\n');
