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
    // The SQL editor and the schema designer are loaded when first opened (React.lazy), so start-up
    // parses a third of the code. Chunks come from disk or loopback: their size matters little.
    chunkSizeWarningLimit: 8000,
    rollupOptions: {
      output: {
        // zod and the setting that turns off its eval probe share a chunk, and the setting runs right
        // after zod (it imports nothing else): every chunk that defines a schema imports this one
        // first, so no schema is built before it (see zod-config.ts).
        manualChunks(id) {
          if (id.includes('/node_modules/zod/') || id.endsWith('/renderer/src/zod-config.ts')) return 'zod';
          return undefined;
        },
      },
    },
  },
});
