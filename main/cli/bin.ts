#!/usr/bin/env node
// The `strongroom` executable (package.json "bin"). Everything happens in
// run(); this file only connects it to the process.
import { run } from './run.js';

// `strongroom list-keys | head -1`: a closed pipe ends the output, quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => process.exit(e.code === 'EPIPE' ? 0 : 255));
}

const code = await run(process.argv.slice(2), {
  env: process.env,
  cwd: process.cwd(),
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  ...(process.stdout.isTTY ? { columns: process.stdout.columns } : {}),
});
// Exit once stdout and stderr have flushed, even if something left a handle open.
process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
