// The CLI's run() in-process, as a user at a terminal would drive it: its
// output collected, and `answers` typed at its passphrase prompts in order
// (shifted off the array given, so a test may refill it); past them there
// is no terminal, as for a script.
import type { CliIo } from '../../main/cli/cli-io.js';
import { run } from '../../main/cli/run.js';
import { NoTerminalError } from '../../main/cli/terminal-prompt.js';

export interface ScriptedCli {
  run(argv: string[]): Promise<number>;
  out(): string;
  err(): string;
  /** the prompts shown, in order */
  prompts: string[];
}

export function scriptedCli(cwd: string, env: NodeJS.ProcessEnv, answers: string[] = [], io: Partial<CliIo> = {}): ScriptedCli {
  let out = '';
  let err = '';
  const prompts: string[] = [];
  const cliIo: CliIo = {
    env,
    cwd,
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    promptSecret: async (p) => {
      prompts.push(p);
      const a = answers.shift();
      if (a === undefined) throw new NoTerminalError('no terminal');
      return a;
    },
    ...io,
  };
  return { run: (argv) => run(argv, cliIo), out: () => out, err: () => err, prompts };
}
