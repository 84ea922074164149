# Shared by scripts/demo.sh and scripts/test.sh: install what is missing, nothing more.
# Everything comes from Debian's archive, crates.io, npm or PyPI.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# Packages to build and run the Tauri shell (webkit2gtk 4.1), to test it under Xvfb through
# WebDriver, CJK fonts so Chinese renders in the window and in PDFs, and poppler-utils (pdftotext,
# pdffonts, pdfinfo) for the tests that read generated PDFs back.
SYSTEM_PACKAGES=(
  build-essential pkg-config file patchelf curl ca-certificates
  libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libsoup-3.0-dev libjavascriptcoregtk-4.1-dev
  libssl-dev libayatana-appindicator3-dev libxdo-dev
  xvfb xauth webkit2gtk-driver fonts-noto-cjk poppler-utils
  python3-venv nodejs npm
  # SQLCipher's vendored OpenSSL (rusqlite bundled-sqlcipher-vendored-openssl) runs Configure with perl.
  perl
)

say() { printf '\n==> %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

ensure_system_packages() {
  local missing=()
  for pkg in "${SYSTEM_PACKAGES[@]}"; do
    # node and npm may come from elsewhere than Debian (as on the project's machines).
    if [ "$pkg" = nodejs ] && command -v node >/dev/null; then continue; fi
    if [ "$pkg" = npm ] && command -v npm >/dev/null; then continue; fi
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$pkg")
    fi
  done
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing system packages: ${missing[*]}"
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
  fi
  # Vite 8 needs Node.js 20.19 or newer; Debian 12's own nodejs is 18.
  if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; then
    echo "Node.js $(node --version) is too old: the UI build needs Node.js 20.19 or newer" >&2
    exit 1
  fi
  if ! command -v cargo >/dev/null; then
    echo "cargo is missing: install Rust with rustup (the toolchain is pinned in rust-toolchain.toml)" >&2
    exit 1
  fi
}

ensure_ui_deps() {
  # npm ci does not work against every registry mirror; npm install honours package-lock.json.
  if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
    say "installing UI dependencies (npm install)"
    npm install --prefix ui --no-audit --no-fund
  fi
}

ensure_test_tools() {
  export PATH="$HOME/.cargo/bin:$PATH"
  if ! command -v tauri-driver >/dev/null; then
    say "installing tauri-driver"
    cargo install tauri-driver --locked --version 2.1.0
  fi
  if [ ! -x .venv/bin/pytest ] || [ tests/e2e/requirements.txt -nt .venv/bin/pytest ]; then
    say "installing the end-to-end test tools (selenium, pytest) into .venv"
    python3 -m venv .venv
    .venv/bin/pip install --quiet --disable-pip-version-check -r tests/e2e/requirements.txt
    touch .venv/bin/pytest
  fi
}

build_ui() {
  say "building the UI (vue-tsc + vite)"
  npm --prefix ui run build
}

# The app with its UI embedded (custom-protocol): a debug build that needs no dev server.
build_app() {
  say "building dangan-app and the dangan CLI"
  cargo build -p dangan-app --features tauri/custom-protocol
  cargo build -p dangan
}
