// `strongroom --version`: the package version, read from the package.json
// above this file (dist/main/cli/ once built, main/cli/ in tests).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'strongroom' && pkg.version) return pkg.version;
    } catch {
      // not here; look one level up
    }
    dir = dirname(dir);
  }
  return 'unknown';
}

export const versionLine = (): string => `strongroom/${packageVersion()} node/${process.version.slice(1)} ${process.platform}/${process.arch}\n`;
