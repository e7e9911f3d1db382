// Builds the preload into one CommonJS file (dist/preload/preload.cjs): a
// sandboxed preload can require nothing but `electron`, so the contract's
// names it checks against are bundled in (Electron docs, "Process
// Sandboxing: Preload scripts").
import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    outDir: 'dist/preload',
    emptyOutDir: true,
    minify: false,
    sourcemap: true,
    // Electron 45 is Chromium 142
    target: 'chrome142',
    lib: { entry: 'preload/preload.ts', formats: ['cjs'], fileName: () => 'preload.cjs' },
    rollupOptions: { external: ['electron'] },
  },
});
