#!/usr/bin/env bash
# Runs every test: formatting, lints, core and CLI tests, UI type check, lint and component
# tests, then the end-to-end test through the real window under Xvfb.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
started=$(date +%s)

ensure_system_packages
ensure_ui_deps
ensure_test_tools

say "cargo fmt --check"
cargo fmt --all --check

build_ui

say "the core does not depend on tauri"
if cargo tree -p dangan -e normal --prefix none | grep -E '^tauri' ; then
  echo "the core library must not depend on tauri" >&2
  exit 1
fi

say "cargo clippy (workspace, all targets, warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings

say "core, CLI and integration tests"
cargo test --locked

say "UI: type check, lint, component tests"
npm --prefix ui run typecheck
npm --prefix ui run lint
npm --prefix ui test

build_app

say "end-to-end: the real window under Xvfb, driven through WebDriver"
xvfb-run -a --server-args="-screen 0 1440x900x24" \
  .venv/bin/python -m pytest tests/e2e -v -s

say "all tests passed in $(( $(date +%s) - started )) s"
