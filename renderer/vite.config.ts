// Builds the renderer (React 19) into dist/renderer, which main/app serves
// over app:// (never file://). Relative asset URLs, so the same build works
// under app://strongroom/ and under the browser tests' server.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // Electron 45 is Chromium 142
    target: 'chrome142',
    sourcemap: true,
    // no inline module-preload polyfill: the CSP allows no inline script
    modulePreload: { polyfill: false },
    // no data: URLs for fonts or scripts: the CSP allows data: for images only
    assetsInlineLimit: 0,
  },
});
