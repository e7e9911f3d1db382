// `npm start` (after `npm run build`): launches the desktop app with the
// Electron binary that `npm install` fetched into node_modules/electron.
// Where the binary is missing (a machine that cannot reach Electron's
// download host, or an install with ELECTRON_SKIP_BINARY_DOWNLOAD=1) it says
// so in one line and exits 1. It never imports the `electron` package: in
// plain Node that tries to download the binary.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function electronBinary() {
  let dir;
  try {
    dir = dirname(createRequire(join(root, 'package.json')).resolve('electron/package.json'));
  } catch {
    return undefined;
  }
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

const binary = electronBinary();
if (!binary) {
  process.stderr.write(
    "strongroom: the Electron binary is not installed (node_modules/electron has no dist/); run `npx install-electron` on a machine that can reach Electron's download host, then `npm start` again.\n",
  );
  process.exit(1);
}
const app = spawn(binary, [root, ...process.argv.slice(2)], { stdio: 'inherit' });
app.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
