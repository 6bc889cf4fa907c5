import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer bundle, shared by the Electron shell (app://dbdesk/) and the browser shell
// (http://127.0.0.1:PORT/TOKEN/): relative asset URLs fit both.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'chrome130',
    sourcemap: true,
    // No inline scripts or styles: the CSP allows neither.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    // A desktop app loads from disk or loopback: one big chunk is fine.
    chunkSizeWarningLimit: 8000,
  },
});
