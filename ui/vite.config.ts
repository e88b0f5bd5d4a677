// Builds the single-page app into ui/dist for the agent to serve at /ui (src/http/routes/ui.ts).
// `npm run dev` serves it with hot reload and proxies /v1 to an agent (ROAM_ADDR, default :4646).
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const agent = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env['ROAM_ADDR'] ?? 'http://127.0.0.1:4646';

export default defineConfig({
  base: '/ui/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: { '/v1': { target: agent, ws: true, changeOrigin: true } },
  },
});
