// Asks for a secret on the controlling terminal without echoing it. It
// reads /dev/tty rather than standard input, so `… | strongroom encrypt
// --plaintext fileb:///dev/stdin` still prompts; with no terminal at all
// (CI, a daemon) it fails with NoTerminalError instead of waiting.
import { closeSync, openSync } from 'node:fs';
import { ReadStream, WriteStream } from 'node:tty';

export class NoTerminalError extends Error {
  override readonly name = 'NoTerminalError';
}

/** Ctrl-C at a prompt. */
export class InterruptedError extends Error {
  override readonly name = 'InterruptedError';
}

interface Terminal {
  input: ReadStream;
  output: WriteStream;
  release(): void;
}

function openTerminal(): Terminal {
  if (process.platform === 'win32') {
    if (!process.stdin.isTTY || !process.stderr.isTTY) throw new NoTerminalError('no terminal');
    const input = process.stdin as ReadStream;
    return { input, output: process.stderr as WriteStream, release: () => input.pause() };
  }
  let rfd: number | undefined;
  try {
    rfd = openSync('/dev/tty', 'r');
    const wfd = openSync('/dev/tty', 'w');
    const input = new ReadStream(rfd);
    const output = new WriteStream(wfd);
    return {
      input,
      output,
      release: () => {
        input.destroy();
        output.destroy();
      },
    };
  } catch {
    if (rfd !== undefined) closeSync(rfd);
    throw new NoTerminalError('no terminal');
  }
}

/** Prints `prompt` and reads one line without echo. Rejects with NoTerminalError or InterruptedError. */
export async function promptSecret(prompt: string): Promise<string> {
  const term = openTerminal();
  const { input, output } = term;
  output.write(prompt);
  input.setRawMode(true);
  input.setEncoding('utf8');
  return new Promise<string>((resolve, reject) => {
    let secret = '';
    const finish = (error?: Error) => {
      input.off('data', onData);
      input.setRawMode(false);
      output.write('\n');
      term.release();
      if (error) reject(error);
      else resolve(secret);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003') return finish(new InterruptedError('interrupted'));
        if (ch === '\u0004') return secret === '' ? finish(new InterruptedError('end of input')) : finish();
        if (ch === '\u001b') return; // an escape sequence (arrow keys, …): ignore the rest of it
        if (ch === '\u007f' || ch === '\b') secret = Array.from(secret).slice(0, -1).join('');
        else if (ch === '\u0015') secret = '';
        else if (ch >= ' ') secret += ch;
      }
    };
    input.on('data', onData);
    input.resume();
  });
}
