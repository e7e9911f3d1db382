// `npm start` (after `npm run build`): launches the desktop app with the
// Electron binary that `npm install` fetched into node_modules/electron.
// Where the binary is missing it says so in one line and exits 1.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBinary } from './electron-binary.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const binary = electronBinary(root);
if (!binary) {
  process.stderr.write(
    "strongroom: the Electron binary is not installed (node_modules/electron has no dist/); run `npx install-electron` on a machine that can reach Electron's download host, then `npm start` again.\n",
  );
  process.exit(1);
}
const app = spawn(binary, [root, ...process.argv.slice(2)], { stdio: 'inherit' });
app.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
