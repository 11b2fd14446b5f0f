// Builds bench/dnd (the drag-and-drop libraries measured side by side on 300 cards) into
// bench-dist/, for bench/dnd.py; never part of the app.
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [react()],
  root: fileURLToPath(new URL("./bench/dnd", import.meta.url)),
  base: "./",
  build: {
    outDir: fileURLToPath(new URL("./bench-dist", import.meta.url)),
    emptyOutDir: true,
    // A production build with React's profiling hooks on, so the Profiler counts commits.
    minify: false,
  },
  resolve: { alias: { "react-dom/client": "react-dom/profiling" } },
});
