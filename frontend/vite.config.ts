// Builds the app into the Python package (src/journeymap/_static), which the server serves at /.
// No CDN and nothing from elsewhere: every file the app needs is in that folder.
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

const outDir = fileURLToPath(new URL("../src/journeymap/_static", import.meta.url));

export default defineConfig({
  plugins: [react()],
  build: {
    outDir,
    emptyOutDir: true,
    // The page's policy allows no inline script; keep the module preload polyfill out of it.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  server: {
    // `npm run dev` against a local `journeymap serve`.
    proxy: { "/api": "http://127.0.0.1:8000" },
  },
  test: {
    environment: "node",
    include: ["src/**/*.test.ts", "src/**/*.test.tsx"],
  },
});
