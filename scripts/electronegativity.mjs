#!/usr/bin/env node
// Electronegativity (Doyensec's Electron security linter) over the app's
// Electron code, failing on what it finds: it never fails by itself (its CLI
// always exits 0), so this script reads its findings and exits 1 on any HIGH
// or MEDIUM one. Part of `npm run lint` (issue 11, "Checks").
//
//   node scripts/electronegativity.mjs [project-root]     (default: this repo)
//
// - main/app, preload and renderer (those that exist) are scanned in ONE run:
//   its global checks look at the app as a whole (a will-navigate handler in
//   main, a CSP in renderer/index.html, ...), so scanning them one by one
//   would report each as missing what the others hold. They are copied into a
//   temporary folder laid out like the project, so paths print as in the repo.
// - It runs through electronegativity's programmatic API, not its CLI: the API
//   returns the files it could not parse, which the CLI's report file leaves
//   out (and the CLI writes that file without waiting for it). A file it
//   cannot parse was not checked, so it fails the run too.
// - TypeScript and TSX need no flag: it picks Babel's typescript+jsx parser by
//   extension (falling back to typescript-estree 4). Known limits: an
//   angle-bracket cast (`<T>x`) or a generic arrow written `<T>(…) =>` in a .ts
//   file reads as JSX; write `x as T` and `<T,>(…) =>`.
// - The Electron version decides the defaults its checks assume (for example
//   nodeIntegration defaults to off since 5); without one it assumes 0.1.0,
//   where everything defaults to insecure. We pass the installed `electron`
//   package's version, read from its package.json (never `require('electron')`).
// - AvailableSecurityFixesGlobalCheck is left out: it downloads Electron's
//   release list from GitHub on every run to judge the Electron version in a
//   package.json, and no package.json is scanned here; staying on a patched
//   Electron is a dependency matter, not something in our code.
// - It reads only .js, .jsx, .ts, .tsx, .html and .htm; a preload written as
//   .cts (CommonJS TypeScript) or any .mts, .cjs or .mjs file would be skipped
//   without a word, so the copy gives those a second extension it reads
//   (preload.cts -> preload.cts.ts), and paths print with their real names.
// - A finding can be silenced on its line with `// eng-disable CHECK_ID`
//   (electronegativity's own mechanism); every such line is printed, so a
//   silenced check stays visible in the lint output and in review.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import run from '@doyensec/electronegativity';

/** The folders holding code that runs in Electron (DESIGN §2). */
const APP_FOLDERS = ['main/app', 'preload', 'renderer'];
/** Check classes not run, by name (see above for why). */
const EXCLUDED_CHECKS = ['AvailableSecurityFixesGlobalCheck'];
/** Severities that fail the run (electronegativity's scale: HIGH 3, MEDIUM 2, LOW 1, INFORMATIONAL 0). */
const FAILING = new Set(['HIGH', 'MEDIUM']);
/** Extensions electronegativity skips, and the one appended to each so it reads the file. */
const UNREAD_EXTENSIONS = { '.cts': '.ts', '.mts': '.ts', '.cjs': '.js', '.mjs': '.js' };
/** Never copied into the scan: dependencies and build output. */
const SKIPPED_DIRS = new Set(['node_modules', 'dist']);

const require = createRequire(import.meta.url);
const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));

function electronVersion() {
  return JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
}

/** Gives every file electronegativity would skip a second extension it reads. */
function makeReadable(dir) {
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const added = UNREAD_EXTENSIONS[extname(entry)];
    if (added !== undefined) renameSync(join(dir, entry), join(dir, entry + added));
  }
}

/** A scanned path as it is in the project: forward slashes, without the extension makeReadable added. */
function projectPath(path) {
  return path.split(sep).join('/').replace(/\.(cts|mts)\.ts$|\.(cjs|mjs)\.js$/, (_, ts, js) => `.${ts ?? js}`);
}

/** Every `eng-disable` line in the scanned copy, as `path:line: text`. */
function suppressions(dir) {
  const found = [];
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (!/\.(js|jsx|ts|tsx|mjs|cjs|html|htm)$/.test(entry)) continue;
    const lines = readFileSync(join(dir, entry), 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (/eng-disable/.test(line)) found.push(`${projectPath(entry)}:${i + 1}: ${line.trim()}`);
    });
  }
  return found;
}

function where(issue) {
  return issue.file === 'N/A' ? '(whole app)' : `${projectPath(issue.file)}:${issue.location.line}:${issue.location.column}`;
}

async function main() {
  const started = Date.now();
  const folders = APP_FOLDERS.filter((f) => existsSync(join(root, f)));
  if (folders.length === 0) {
    console.error(`electronegativity: nothing to scan: none of ${APP_FOLDERS.join(', ')} exists under ${root}`);
    return 1;
  }
  const version = electronVersion();
  const scan = mkdtempSync(join(tmpdir(), 'strongroom-electronegativity-'));
  try {
    for (const folder of folders) {
      cpSync(join(root, folder), join(scan, folder), {
        recursive: true,
        dereference: true,
        filter: (src) => !relative(root, src).split(sep).some((part) => SKIPPED_DIRS.has(part)),
      });
    }
    makeReadable(scan);
    const result = await run({
      input: scan,
      isRelative: true,
      electronVersionOverride: version,
      excludeFromScan: EXCLUDED_CHECKS.map((c) => c.toLowerCase()),
    });

    console.log(`electronegativity over ${folders.join(', ')} (Electron ${version}; ${result.atomicChecks} atomic and ${result.globalChecks} global checks)`);
    const issues = [...result.issues].sort((a, b) => b.severity.value - a.severity.value || where(a).localeCompare(where(b)));
    for (const issue of issues) {
      const review = issue.manualReview ? ' (review)' : '';
      console.log(`  ${issue.severity.name.padEnd(13)} ${issue.confidence.name.padEnd(9)} ${issue.id.padEnd(40)} ${where(issue)}  ${issue.description}${review} ${issue.shortenedURL ?? ''}`);
    }
    const unparsed = result.errors.filter((e) => !e.tolerable);
    for (const error of result.errors) {
      const file = projectPath(relative(scan, error.file));
      if (error.tolerable) console.log(`  parse warning in ${file}: ${error.message}`);
      else console.log(`  cannot parse ${file}: ${error.message}; electronegativity checked nothing in it`);
    }
    for (const line of suppressions(scan)) console.log(`  silenced in source: ${line}`);

    const failing = issues.filter((i) => FAILING.has(i.severity.name));
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (failing.length > 0 || unparsed.length > 0) {
      console.log(`electronegativity: FAILED: ${failing.length} HIGH or MEDIUM finding(s), ${unparsed.length} file(s) not parsed (${seconds} s)`);
      return 1;
    }
    console.log(`electronegativity: OK: no HIGH or MEDIUM finding, ${issues.length} lower (${seconds} s)`);
    return 0;
  } finally {
    rmSync(scan, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`electronegativity: could not run: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
