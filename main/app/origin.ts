// Where the renderer lives: one privileged custom scheme and one host, so the
// page has a real, fixed origin (app://strongroom) instead of file://'s
// opaque one. CSP 'self', the app:// protocol handler, the session's request
// filter and the IPC sender check (main/bridge) all compare against these.
// Electron security checklist #18: "Avoid usage of the file:// protocol and
// prefer usage of custom protocols"
// (https://www.electronjs.org/docs/latest/tutorial/security).
//
// Plain constants with no imports: the one file of main/app that code outside
// main/app (the IPC dispatcher) may import (eslint.config.js).

export const APP_SCHEME = 'app';
export const APP_HOST = 'strongroom';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The renderer's only page: a single-page app, loaded once per window. */
export const APP_URL = `${APP_ORIGIN}/index.html`;
