// Where the Electron binary that `npm install` fetched is, or undefined when
// it is not there (ELECTRON_SKIP_BINARY_DOWNLOAD=1, or a machine that cannot
// reach Electron's download host). Read from node_modules/electron/path.txt
// as the electron package itself does, without loading that package: in
// plain Node, loading it starts a download.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** @param {string} root the project folder, whose node_modules holds electron */
export function electronBinary(root) {
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
