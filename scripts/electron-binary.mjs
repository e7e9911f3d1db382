// Where the Electron binary is, and fetching it. Electron 45's package has
// no install script: it downloads its binary the first time the package is
// loaded. Strongroom never loads it in plain Node (tests, the CLI); it reads
// node_modules/electron/path.txt as the package itself does, and fetches the
// binary with the package's own installer when `npm start` needs it.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** @param {string} root the project folder, whose node_modules holds electron */
function packageDir(root) {
  try {
    return dirname(createRequire(join(root, 'package.json')).resolve('electron/package.json'));
  } catch {
    return undefined;
  }
}

/** The Electron binary, or undefined where it is not installed. @param {string} root */
export function electronBinary(root) {
  const dir = packageDir(root);
  if (!dir) return undefined;
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

/**
 * Runs the electron package's installer (a download from Electron's host,
 * or its cache); quietly, since a failure is reported by the caller in one
 * line. Returns the binary, or undefined. @param {string} root
 */
export function installElectron(root) {
  const dir = packageDir(root);
  if (!dir || !existsSync(join(dir, 'install.js'))) return undefined;
  spawnSync(process.execPath, [join(dir, 'install.js')], { cwd: dir, stdio: 'ignore', timeout: 10 * 60_000 });
  return electronBinary(root);
}
