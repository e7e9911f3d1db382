// A command line the CLI cannot turn into a request: unknown command or
// option, missing value, unparsable value, unreadable file. The AWS CLI
// exits 252 for these and prints the command's usage; so does Strongroom.

export class UsageError extends Error {
  override readonly name = 'UsageError';
  /** the command whose usage to print after the message, if known */
  readonly command: string | undefined;
  constructor(message: string, command?: string) {
    super(message);
    this.command = command;
  }
}

/** AWS CLI v2 exit codes (docs: "Return codes"). */
export const EXIT = {
  ok: 0,
  interrupted: 130,
  usage: 252,
  serviceError: 254,
  internal: 255,
} as const;
