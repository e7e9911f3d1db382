// Asks a question on the controlling terminal: a secret without echoing it
// (promptSecret), or an answer that is shown as it is typed (promptLine, a
// confirmation). It reads /dev/tty rather than standard input, so `… |
// strongroom encrypt --plaintext fileb:///dev/stdin` still prompts; with no
// terminal at all (CI, a daemon) it fails with NoTerminalError instead of
// waiting.
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
export function promptSecret(prompt: string): Promise<string> {
  return readLine(prompt, false);
}

/** Prints `prompt` and reads one line, echoing what is typed. Rejects with NoTerminalError or InterruptedError. */
export function promptLine(prompt: string): Promise<string> {
  return readLine(prompt, true);
}

/**
 * Reads one line in raw mode, so that Ctrl-C rejects (and the command
 * closes the vault) rather than killing the process; with `echo`, the line
 * is shown as the terminal would show it (backspace and Ctrl-U erase).
 */
async function readLine(prompt: string, echo: boolean): Promise<string> {
  const term = openTerminal();
  const { input, output } = term;
  output.write(prompt);
  input.setRawMode(true);
  input.setEncoding('utf8');
  const erase = (chars: number) => {
    if (echo && chars > 0) output.write('\b \b'.repeat(chars));
  };
  return new Promise<string>((resolve, reject) => {
    let line = '';
    const finish = (error?: Error) => {
      input.off('data', onData);
      input.setRawMode(false);
      output.write('\n');
      term.release();
      if (error) reject(error);
      else resolve(line);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003') return finish(new InterruptedError('interrupted'));
        if (ch === '\u0004') return line === '' ? finish(new InterruptedError('end of input')) : finish();
        if (ch === '\u001b') return; // an escape sequence (arrow keys, …): ignore the rest of it
        if (ch === '\u007f' || ch === '\b') {
          const chars = Array.from(line);
          erase(Math.min(chars.length, 1));
          line = chars.slice(0, -1).join('');
        } else if (ch === '\u0015') {
          erase(Array.from(line).length);
          line = '';
        } else if (ch >= ' ') {
          line += ch;
          if (echo) output.write(ch);
        }
      }
    };
    input.on('data', onData);
    input.resume();
  });
}
