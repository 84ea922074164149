#!/usr/bin/env bash
# Installs what is missing, builds the app, creates a demo archive (once) and opens the window.
#   DANGAN_DEMO_MEMBERS  size of the demo archive (default 20000)
#   DANGAN_ARCHIVE       use this archive folder instead of ./demo-archive
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_system_packages
ensure_ui_deps
build_ui
build_app

archive="${DANGAN_ARCHIVE:-$ROOT/demo-archive}"
if [ ! -f "$archive/archive.db" ]; then
  say "creating a demo archive in $archive"
  target/debug/dangan --archive "$archive" demo --members "${DANGAN_DEMO_MEMBERS:-20000}"
fi

say "starting 党建档案 on $archive — log in as admin / demo-admin (other demo accounts: see README)"
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec target/debug/dangan-app --archive "$archive"
else
  echo "no display found: running the window on a virtual X server (xvfb-run)"
  exec xvfb-run -a target/debug/dangan-app --archive "$archive"
fi
