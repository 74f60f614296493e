import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

// The server serves dist/ at /console/ under a strict Content-Security-Policy: only files
// of its own origin, so nothing is inlined (no data: scripts or styles), and every file but
// index.html has a content hash in its name (served as immutable).
export default defineConfig({
  base: '/console/',
  plugins: [preact()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: true,
  },
});
