import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Built once to dist/ and served by the Fastify server at the same origin (base '/').
// In development Vite proxies the API to a server on :3000, so cookies stay same-origin.
export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // antd is one shared chunk of ~1 MB before gzip; pages are split per route.
    chunkSizeWarningLimit: 1600,
  },
  server: {
    port: 5173,
    proxy: { '/api': { target: 'http://localhost:3000', changeOrigin: false } },
  },
});
