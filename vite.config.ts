import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The renderer's build (browser mode serves renderer/dist; the Electron shell loads it too).
 * `base: './'` keeps asset URLs relative, so the same files work from http://127.0.0.1 and from
 * the app's own files. No inline script or style is emitted: the page runs under
 * `default-src 'self'; style-src 'self'`.
 */
export default defineConfig({
  // Relative to this file, not to wherever the command runs.
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: './',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The CSP allows no inline data: scripts; keep every asset a file.
    assetsInlineLimit: 0,
    sourcemap: true,
    rollupOptions: {
      onwarn(warning, warn) {
        // zod's sources carry comments Rollup cannot place; harmless, and not ours to fix.
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('node_modules')) return;
        warn(warning);
      },
    },
  },
  server: { host: '127.0.0.1' },
});
