#!/usr/bin/env node
// The `strongroom` executable (package.json "bin"). Everything happens in
// run(); this file only connects it to the process. Shell completion's
// `__complete` loads only the command tables (completion.ts), never the
// vault, so each TAB answers at once: run.js is imported only past it.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { enableCompileCache } from './compile-cache.js';

// `strongroom list-keys | head -1`: a closed pipe ends the output, quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => process.exit(e.code === 'EPIPE' ? 0 : 255));
}

async function main(): Promise<void> {
  // Before the other chunks load (so this file imports nothing else statically): they come from V8's code cache.
  const { perUserDir } = await import('../vault/paths.js');
  enableCompileCache(dirname(fileURLToPath(import.meta.url)), join(perUserDir('cache'), 'compile-cache'));
  const { COMPLETE_ENTRY } = await import('./completion-script.js');
  if (process.argv[2] === COMPLETE_ENTRY) {
    const { completeLine } = await import('./completion.js');
    const line = process.env['COMP_LINE'] ?? '';
    const point = Number(process.env['COMP_POINT'] ?? line.length);
    const words = completeLine(line, Number.isInteger(point) ? point : Buffer.byteLength(line), process.env['COMP_WORDBREAKS'] ?? '', process.cwd());
    process.stdout.write(words.map((w) => `${w}\n`).join(''), () => process.exit(0));
    return;
  }
  const { run } = await import('./run.js');
  const code = await run(process.argv.slice(2), {
    env: process.env,
    cwd: process.cwd(),
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
  });
  // Exit once stdout and stderr have flushed, even if something left a handle open.
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

// (no top-level await: the bundle is CommonJS, cli.vite.config.ts)
void main();
