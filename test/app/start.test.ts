// `npm start`'s launcher (scripts/start.mjs), run as `node` runs it, in a
// copy of the project layout whose node_modules/electron is what the test
// makes it: no binary (as on these machines), a path.txt naming a binary
// that is not there, and a stand-in executable that records how it was
// started. The launcher must say in one line what is missing and exit 1,
// with no stack trace, and otherwise run the binary on the project root.
import { execFile } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const LAUNCHER = fileURLToPath(new URL('../../scripts/start.mjs', import.meta.url));

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'strongroom-start-'));
  mkdirSync(join(root, 'scripts'));
  copyFileSync(LAUNCHER, join(root, 'scripts/start.mjs'));
  copyFileSync(LAUNCHER.replace('start.mjs', 'electron-binary.mjs'), join(root, 'scripts/electron-binary.mjs'));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'x', type: 'module' }));
  mkdirSync(join(root, 'node_modules/electron'), { recursive: true });
  writeFileSync(join(root, 'node_modules/electron/package.json'), JSON.stringify({ name: 'electron', version: '45.5.0' }));
  // were the launcher to load the package, this would show: it must not (plain Node would start a download)
  writeFileSync(join(root, 'node_modules/electron/index.js'), "throw new Error('the electron package was loaded');");
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function launch(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(root, 'scripts/start.mjs'), ...args], { cwd: root }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr });
    });
  });
}

describe('npm start', () => {
  it('without the Electron binary: one line saying so and how to get it, exit 1, no stack trace', async () => {
    for (const pathTxt of [undefined, 'electron']) {
      if (pathTxt) writeFileSync(join(root, 'node_modules/electron/path.txt'), pathTxt);
      const r = await launch();
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr.split('\n')).toEqual([expect.stringMatching(/^strongroom: the Electron binary is not installed .*npx install-electron/), '']);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it("without it, fetches it with the electron package's own installer, then runs it; an installer that fails is the one line", async () => {
    // an installer that fails loudly: its noise must not reach the user
    writeFileSync(join(root, 'node_modules/electron/install.js'), "console.error('Error: getaddrinfo ENOTFOUND github.com'); process.exit(1);");
    const failed = await launch();
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^strongroom: the Electron binary is not installed .*could not be fetched.*\n$/);
    expect(failed.stderr).not.toMatch(/ENOTFOUND/);
    // an installer that works: it writes the binary and path.txt, as electron's does
    writeFileSync(
      join(root, 'node_modules/electron/install.js'),
      [
        "const fs = require('fs');",
        "fs.mkdirSync('dist', { recursive: true });",
        `fs.writeFileSync('dist/electron', '#!/bin/sh\\necho launched "$@" > ${join(root, 'args.txt')}\\nexit 0\\n', { mode: 0o755 });`,
        "fs.writeFileSync('path.txt', 'electron');",
      ].join('\n'),
    );
    writeFileSync(join(root, 'node_modules/electron/package.json'), JSON.stringify({ name: 'electron', version: '45.5.0', type: 'commonjs' }));
    const r = await launch();
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(root, 'args.txt'), 'utf8')).toBe(`launched ${root}\n`);
  });

  it('with it: runs the binary on the project root with the arguments given, and exits with its status', async () => {
    mkdirSync(join(root, 'node_modules/electron/dist'));
    const binary = join(root, 'node_modules/electron/dist/electron');
    writeFileSync(binary, `#!/bin/sh\nprintf '%s\\n' "$@" > "${join(root, 'args.txt')}"\nexit 3\n`);
    chmodSync(binary, 0o755);
    writeFileSync(join(root, 'node_modules/electron/path.txt'), 'electron');
    const r = await launch('--inspect-nothing');
    expect(r.code).toBe(3);
    expect(readFileSync(join(root, 'args.txt'), 'utf8')).toBe(`${root}\n--inspect-nothing\n`);
  });
});
