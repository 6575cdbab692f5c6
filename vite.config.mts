import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The dashboard: served by `btray dashboard` and loaded by the tray window from disk, so
// every asset path is relative. Tests use vitest.config.ts, not this file.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // No inline module-preload polyfill: the CSP allows no inline script.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
});
