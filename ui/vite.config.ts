/// <reference types="vitest/config" />
// Vite serves and builds the UI for the Tauri shell; Vitest reuses this config for component tests.
import { fileURLToPath, URL } from "node:url";
import vue from "@vitejs/plugin-vue";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [vue()],
  resolve: {
    alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) },
  },
  // vue-i18n's compile-time flags: Composition API only, no devtools in production.
  define: {
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  // Tauri prints its own output in the same terminal; keep it visible.
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: {
    outDir: "dist",
    rolldownOptions: {
      output: {
        // Libraries change less often than the app, so they get chunks of their own.
        codeSplitting: {
          groups: [
            // pdf.js (the preview) is loaded only when a preview opens.
            { name: "pdfjs", test: /node_modules[\\/]pdfjs-dist[\\/]/ },
            { name: "element-plus", test: /node_modules[\\/](element-plus|@element-plus)[\\/]/ },
            { name: "vendor", test: /node_modules[\\/]/ },
          ],
        },
      },
    },
    // The window loads these files from local disk, never over a network, and Element Plus on
    // its own is about a megabyte (all components registered); warn only well above that.
    chunkSizeWarningLimit: 1500,
  },
  test: {
    environment: "jsdom",
    include: ["tests/unit/**/*.spec.ts"],
    setupFiles: ["tests/unit/setup.ts"],
    css: false,
    // Mounting Element Plus dialogs takes seconds on a 2-core machine shared with Rust builds;
    // the default 5 s made tests fail for load alone.
    testTimeout: 30_000,
  },
});
