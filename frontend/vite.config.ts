/// <reference types="vitest/config" />
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

// The API's interactive docs (/api/docs) load Swagger UI from the app itself, so they work
// offline and where public CDNs are blocked: the build copies the pinned swagger-ui-dist files
// to dist/api-docs/, which the backend names in the docs page (infrashare/app.py, `API_DOCS_ASSETS`).
const SWAGGER_UI_FILES = ["swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css"];

function apiDocsAssets(): Plugin {
  return {
    name: "infrashare-api-docs-assets",
    apply: "build",
    generateBundle() {
      const directory = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
      for (const file of SWAGGER_UI_FILES) {
        this.emitFile({ type: "asset", fileName: `api-docs/${file}`, source: readFileSync(join(directory, file)) });
      }
    },
  };
}

// `npm run dev` serves the UI on :5173 and proxies API calls to `make serve` on :8000.
export default defineConfig({
  plugins: [react(), apiDocsAssets()],
  server: {
    proxy: {
      "/api": "http://127.0.0.1:8000",
      "/oauth": "http://127.0.0.1:8000",
      "/health": "http://127.0.0.1:8000",
    },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // MapLibre alone is ~800 kB minified; it is loaded only by the routes that show a map.
    chunkSizeWarningLimit: 1100,
    rollupOptions: {
      output: {
        manualChunks(id: string) {
          if (!id.includes("node_modules")) return undefined;
          if (id.includes("maplibre-gl")) return "maplibre";
          return undefined;
        },
      },
    },
  },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test/setup.ts"],
    css: false,
    restoreMocks: true,
    // One module graph per worker; src/test/setup.ts resets what tests change between them.
    isolate: false,
    testTimeout: 20_000,
  },
});
