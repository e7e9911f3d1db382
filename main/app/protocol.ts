// Registers and serves the app:// scheme. Imports electron at runtime, so it
// is only type-checked here; what it registers (scheme.ts) and what the
// handler answers (app-files.ts) are tested in Node.
import { protocol } from 'electron';
import { serveAppRequest } from './app-files.js';
import { APP_SCHEME } from './origin.js';
import { APP_SCHEME_REGISTRATION } from './scheme.js';

/** Must run before the app's 'ready' event (Electron's rule for privileged schemes). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([APP_SCHEME_REGISTRATION]);
}

/** After 'ready': app:// answers from `root`, the built renderer folder (absolute path). */
export function serveRenderer(root: string): void {
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(root, request));
}
