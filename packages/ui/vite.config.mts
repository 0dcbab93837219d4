import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The protocol package is compiled to CommonJS for Node; the browser build
 * takes its TypeScript sources instead (same schemas, ESM, tree-shaken), so the
 * forms validate with exactly the rules the API applies.
 */
export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: { '@gatehouse/protocol': fileURLToPath(new URL('../protocol/src/index.ts', import.meta.url)) },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    // The protocol sources only declare schemas and functions, and the UI never
    // reads YAML: marking both side-effect free lets unused parts (the
    // declarative-config reader and its YAML parser) drop out of the bundle.
    rolldownOptions: { treeshake: { moduleSideEffects: (id: string) => !/[\\/](protocol[\\/]src|node_modules[\\/]yaml)[\\/]/.test(id) } },
  },
  server: { proxy: { '/v1': process.env.GATEHOUSE_URL ?? 'http://localhost:8001' } },
});
