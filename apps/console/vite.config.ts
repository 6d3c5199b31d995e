import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    proxy: { "/api": { target: "http://127.0.0.1:3000", ws: true }, "/healthz": "http://127.0.0.1:3000" },
  },
  build: {
    outDir: "dist",
    sourcemap: false,
    chunkSizeWarningLimit: 400,
    rolldownOptions: {
      output: {
        // zod and the module that turns its eval probe off share one chunk, so the switch runs as zod loads — before
        // any chunk builds a schema (the CSP forbids eval; a shared chunk of @inbox/contracts would otherwise run
        // ahead of the entry's first import).
        advancedChunks: { groups: [{ name: "zod", test: /[\\/]node_modules[\\/]zod[\\/]|zod-without-eval/ }] },
      },
    },
  },
});
