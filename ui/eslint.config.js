// ESLint flat config: recommended JS, TypeScript and Vue rules, with no warnings allowed in CI.
import js from "@eslint/js";
import { defineConfig, globalIgnores } from "eslint/config";
import pluginVue from "eslint-plugin-vue";
import tseslint from "typescript-eslint";

export default defineConfig(
  // The generated types come from Rust (ts-rs) and are never edited by hand.
  globalIgnores(["dist/", "node_modules/", "src/generated/", "coverage/"]),
  js.configs.recommended,
  tseslint.configs.recommended,
  pluginVue.configs["flat/recommended"],
  {
    files: ["**/*.vue"],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    files: ["**/*.ts", "**/*.vue"],
    rules: {
      // TypeScript already checks undefined names, including browser globals.
      "no-undef": "off",
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
);
