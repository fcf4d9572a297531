import { defineConfig } from "vite";

// `npm run dev` serves the UI on :5173 and proxies API calls to `make serve` on :8000.
export default defineConfig({
  server: {
    proxy: {
      "/api": "http://127.0.0.1:8000",
      "/oauth": "http://127.0.0.1:8000",
      "/health": "http://127.0.0.1:8000",
    },
  },
  build: { outDir: "dist", emptyOutDir: true },
});
