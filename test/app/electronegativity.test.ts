// scripts/electronegativity.mjs, the lint step that runs Doyensec's
// electronegativity over main/app, preload and renderer and fails on HIGH or
// MEDIUM findings (electronegativity itself always exits 0). Proven to bite:
// run on temporary projects, it fails an insecure window naming the checks,
// passes a hardened app, and fails again when one hardening line is taken out.
// Each run takes about 3 s, mostly electronegativity's own attempt to fetch
// translations (offline here), so the cases run concurrently.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scripts', 'electronegativity.mjs');

/** Runs the script on a temporary project holding `files` (path → content). */
async function scan(files: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const root = mkdtempSync(join(tmpdir(), 'strongroom-eng-test-'));
  try {
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), content);
    }
    return await new Promise((resolve) => {
      execFile(process.execPath, [SCRIPT, root], { timeout: 60_000 }, (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      });
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** The printed finding for a check: `SEVERITY CONFIDENCE CHECK_ID where`. */
const finding = (severity: string, check: string, where: string) => new RegExp(`^  ${severity} +\\w+ +${check} +${where.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'm');

const INSECURE_WINDOW = `import { BrowserWindow } from 'electron';

export function openWindow(): BrowserWindow {
  return new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false } });
}
`;

/** The shape the window factory takes to pass: every option literal, inside the `new BrowserWindow(...)` call. */
const HARDENED_WINDOW = `import { app, BrowserWindow, session } from 'electron';

export function openWindow(preload: string): BrowserWindow {
  const win = new BrowserWindow({
    show: false,
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      disableBlinkFeatures: 'Auxclick',
      preload, // eng-disable PRELOAD_JS_CHECK: the contextBridge preload, sandboxed
    },
  });
  win.webContents.on('will-navigate', (event) => event.preventDefault());
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  return win;
}

app.whenReady().then(() => {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
});
`;

const HARDENED_APP = {
  'main/app/window.ts': HARDENED_WINDOW,
  'preload/preload.cts': `import { contextBridge, ipcRenderer } from 'electron';
contextBridge.exposeInMainWorld('strongroom', Object.freeze({ call: (name: string, input: unknown) => ipcRenderer.invoke('call', name, input) }));
`,
  'renderer/index.html': `<!doctype html>
<html>
  <head>
    <meta http-equiv="Content-Security-Policy" content="default-src 'self'; object-src 'none'; base-uri 'none'">
    <title>Strongroom</title>
  </head>
  <body><div id="root"></div><script type="module" src="./main.tsx"></script></body>
</html>
`,
  'renderer/main.tsx': `import { createRoot } from 'react-dom/client';
const App = () => <p>Strongroom</p>;
createRoot(document.getElementById('root')!).render(<App />);
`,
};

describe.concurrent('scripts/electronegativity.mjs', () => {
  test('an insecure window fails, naming the checks and where', async () => {
    const r = await scan({ 'main/app/window.ts': INSECURE_WINDOW });
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(finding('HIGH', 'CONTEXT_ISOLATION_JS_CHECK', 'main/app/window.ts:4:'));
    expect(r.stdout).toMatch(finding('MEDIUM', 'SANDBOX_JS_CHECK', 'main/app/window.ts:4:'));
    // electronegativity rates an explicit nodeIntegration: true INFORMATIONAL; the missing sandbox is what fails it
    expect(r.stdout).toMatch(finding('INFORMATIONAL', 'NODE_INTEGRATION_JS_CHECK', 'main/app/window.ts:4:'));
    // and what the rest of the app lacks
    expect(r.stdout).toMatch(finding('HIGH', 'LIMIT_NAVIGATION_GLOBAL_CHECK', '(whole app)'));
    expect(r.stdout).toMatch(finding('MEDIUM', 'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK', '(whole app)'));
    expect(r.stdout).toMatch(finding('MEDIUM', 'CSP_GLOBAL_CHECK', '(whole app)'));
    expect(r.stdout).toMatch(/^electronegativity: FAILED: \d+ HIGH or MEDIUM finding/m);
  });

  test('a hardened app passes; the silenced preload check is listed', async () => {
    const r = await scan(HARDENED_APP);
    expect(r.stdout).toContain('electronegativity over main/app, preload, renderer (Electron 45.');
    expect(r.stdout).not.toMatch(/^ {2}(HIGH|MEDIUM) /m);
    expect(r.stdout).toContain('silenced in source: main/app/window.ts:12: preload, // eng-disable PRELOAD_JS_CHECK');
    expect(r.stdout).toMatch(/^electronegativity: OK: no HIGH or MEDIUM finding/m);
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });

  test.each([
    ['sandbox off', 'sandbox: true', 'sandbox: false', 'MEDIUM', 'SANDBOX_JS_CHECK', 'main/app/window.ts:8:'],
    // (a setWindowOpenHandler alone satisfies electronegativity: it does not insist on will-navigate too)
    ['no navigation handlers', "win.webContents.on('will-navigate', (event) => event.preventDefault());\n  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));", '', 'HIGH', 'LIMIT_NAVIGATION_GLOBAL_CHECK', '(whole app)'],
    ['no permission handler', 'session.defaultSession.setPermissionRequestHandler(', 'void (', 'MEDIUM', 'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK', '(whole app)'],
    ['the preload check not silenced', ' // eng-disable PRELOAD_JS_CHECK: the contextBridge preload, sandboxed', '', 'MEDIUM', 'PRELOAD_JS_CHECK', 'main/app/window.ts:12:'],
  ])('the hardened app with %s fails', async (_, line, replacement, severity, check, where) => {
    expect(HARDENED_WINDOW).toContain(line);
    const r = await scan({ ...HARDENED_APP, 'main/app/window.ts': HARDENED_WINDOW.replace(line, replacement) });
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(finding(severity, check, where));
  });

  test('a window in a .cts preload is checked too, under its own name', async () => {
    const r = await scan({ ...HARDENED_APP, 'preload/extra.cts': INSECURE_WINDOW });
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(finding('HIGH', 'CONTEXT_ISOLATION_JS_CHECK', 'preload/extra.cts:4:'));
  });

  test('a file it cannot parse fails the run: nothing in it was checked', async () => {
    const r = await scan({ ...HARDENED_APP, 'main/app/cast.ts': 'export const id = <T>(v: T): T => v;\nexport const n = <number>(id(1) as unknown);\nclass K { #p = 1; }\n' });
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^ {2}cannot parse main\/app\/cast\.ts: .*checked nothing in it$/m);
    expect(r.stdout).toMatch(/^electronegativity: FAILED: 0 HIGH or MEDIUM finding\(s\), 1 file\(s\) not parsed/m);
  });

  test('nothing to scan is a failure, not a pass', async () => {
    const r = await scan({ 'main/core/x.ts': 'export const x = 1;\n' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('nothing to scan: none of main/app, preload, renderer exists');
  });
});

describe('the app itself', () => {
  test('main/app, preload and renderer have no HIGH or MEDIUM finding', async () => {
    const r = await new Promise<{ code: number; out: string }>((resolve) =>
      execFile(process.execPath, [SCRIPT], { cwd: join(dirname(SCRIPT), '..') }, (e, stdout, stderr) => resolve({ code: e ? Number(e.code) : 0, out: stdout + stderr })),
    );
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/OK: no HIGH or MEDIUM finding/);
  }, 60_000);
});
