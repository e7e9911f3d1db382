// Bundles the `strongroom` command line (package.json "bin":
// dist/cli/strongroom.js) from main/cli/bin.ts, issue 14 "Start fast".
// Node spends most of a short command's start-up finding, reading and
// compiling modules one by one (the unbundled CLI is some 300 files for
// `encrypt`, zod alone 95); bundled, the same code loads in a few chunks.
// The dynamic imports at run.ts's dispatch stay chunk boundaries, so each
// command still loads only what it needs. The native modules stay outside
// (they are dlopen()ed from node_modules), and so does every other
// dependency's package.json lookup: nothing else changes at run time.
// tsc still builds dist/main/ (the desktop app, the tests' in-process CLI).
//
// CommonJS (.cjs, the package is "type": "module"): Node 20 loads CommonJS
// chunks faster than ES modules, and only CommonJS lets the CLI keep V8's
// code cache of its chunks (main/cli/compile-cache.ts).
import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    outDir: 'dist/cli',
    emptyOutDir: true,
    minify: false,
    sourcemap: true,
    target: 'node20',
    ssr: 'main/cli/bin.ts',
    rollupOptions: { output: { format: 'cjs', entryFileNames: 'strongroom.cjs', chunkFileNames: '[name]-[hash].cjs' } },
  },
  // bundle the pure-JS dependencies too (vite's SSR build leaves them outside by default); not the native ones
  ssr: { noExternal: true, external: ['sqlite3', '@napi-rs/keyring'] },
});
