// How the app:// scheme is registered (protocol.ts passes this to
// protocol.registerSchemesAsPrivileged before the app is ready). Each
// privilege is a decision; the ones not listed stay off (Electron's default).
// Electron security checklist #18,
// https://www.electronjs.org/docs/latest/tutorial/security#18-avoid-usage-of-the-file-protocol-and-prefer-usage-of-custom-protocols
import type { CustomScheme } from 'electron';
import { APP_SCHEME } from './origin.js';

export const APP_SCHEME_REGISTRATION: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: {
    // Parsed like http: a real host and origin (app://strongroom, not the
    // opaque "null" of file://), so CSP 'self', relative URLs and the IPC
    // sender check work.
    standard: true,
    // A secure context like https: Web Crypto and COOP/COEP need one, and no
    // mixed-content rules treat the app as insecure.
    secure: true,
    // fetch() of the app's own files (JSON, wasm).
    supportFetchAPI: true,
    // Left off on purpose:
    // - bypassCSP: the app's pages obey their CSP like any page.
    // - corsEnabled: it would let other origins read app:// responses (Electron
    //   serves custom schemes without checking Access-Control-Allow-Origin);
    //   same-origin module scripts load without it.
    // - allowServiceWorkers: a worker could outlive a build and answer app://
    //   requests itself.
    // - stream, codeCache, allowExtensions: nothing in the app needs them.
  },
};
