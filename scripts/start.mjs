// `npm start` (after `npm run build`): launches the desktop app with the
// Electron binary, fetching it first if `npm install` did not (Electron's
// package downloads it on first use). Where it cannot be had — no access to
// Electron's download host, or ELECTRON_SKIP_BINARY_DOWNLOAD=1 — it says so
// in one line and exits 1.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBinary, installElectron } from './electron-binary.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const skipDownload = ['1', 'true'].includes(process.env.ELECTRON_SKIP_BINARY_DOWNLOAD ?? '');
const binary = electronBinary(root) ?? (skipDownload ? undefined : installElectron(root));
if (!binary) {
  process.stderr.write(
    "strongroom: the Electron binary is not installed (node_modules/electron has no dist/) and could not be fetched; run `npx install-electron` on a machine that can reach Electron's download host, then `npm start` again.\n",
  );
  process.exit(1);
}
const app = spawn(binary, [root, ...process.argv.slice(2)], { stdio: 'inherit' });
app.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
