#!/usr/bin/env bash
# Encryption at rest benchmark (issue 8): plain vs SQLCipher-encrypted archives side by side.
#
#   scripts/bench-encryption.sh [MEMBERS] [RUNS]     (defaults 20000 and 5)
#
# Builds the release CLI (`cargo build --release --bin dangan`, SQLCipher in every build), then in
# the same run, for a plain and an encrypted archive (DANGAN_PASSPHRASE):
# - `dangan import` of a MEMBERS-row national roster (.xlsx, exported from a demo archive as in
#   scripts/bench-roster.sh) into an empty archive, branches created from the roster;
# - `dangan demo --members MEMBERS` (the demo writes members, timelines, reports and the
#   full-text index in one go);
# - opening: `dangan info`, whole process, median of RUNS;
# - `dangan search` for a member's name and 2- and 3-character pieces of report text, whole
#   process, median of RUNS each;
# - the database size (after the last connection closed: no WAL);
# - `dangan encrypt` of a copy of the plain demo, and a verified `dangan backup` of each (time
#   and the backup file's size).
# Every command logs in as the demo admin (DANGAN_USER/DANGAN_PASSWORD; `init` creates that admin,
# `demo` on an empty archive too), after the passphrase for the encrypted ones.
# Wall and CPU (user + sys) seconds; on a shared machine the CPU time is the steadier figure.
# Everything is written under target/bench-encryption/.
set -euo pipefail
MEMBERS=${1:-20000}
RUNS=${2:-5}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK="${BENCH_WORK:-$ROOT/target/bench-encryption}"
# DANGAN_BIN=path/to/dangan skips the release build (e.g. a quick run with the debug binary).
DANGAN="${DANGAN_BIN:-$ROOT/target/release/dangan}"
AS_OF=2026-11-24
PASS="bench-passphrase-口令"
rm -rf "$WORK" && mkdir -p "$WORK"
if [ -z "${DANGAN_BIN:-}" ]; then cd "$ROOT" && cargo build --release --locked --bin dangan >/dev/null; fi
cd "$ROOT"
unset DANGAN_PASSPHRASE DANGAN_ARCHIVE DANGAN_NEW_PASSPHRASE
export DANGAN_USER=admin DANGAN_PASSWORD=demo-admin

once() { # once COMMAND... : "wall cpu" of one run, in seconds
  /usr/bin/time -f "%e %U %S" -o "$WORK/time.txt" "$@" >/dev/null
  awk '{printf "%.3f %.3f", $1, $2 + $3}' "$WORK/time.txt"
}
median() { # median RUNS COMMAND... : "wall | cpu", medians of RUNS runs
  local n=$1; shift
  for _ in $(seq "$n"); do once "$@"; echo; done | sort -n -k1 >"$WORK/runs.txt"
  local wall cpu
  wall=$(awk '{print $1}' "$WORK/runs.txt" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  cpu=$(awk '{print $2}' "$WORK/runs.txt" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf "%.3f | %.3f" "$wall" "$cpu"
}
fmt() { awk '{printf "%.2f | %.2f", $1, $2}' <<<"$1"; }
plain() { "$DANGAN" --archive "$WORK/$1" "${@:2}"; }
enc() { DANGAN_PASSPHRASE="$PASS" "$DANGAN" --archive "$WORK/$1" "${@:2}"; }
size() { du -b "$WORK/$1/archive.db" | awk '{printf "%.1f MB", $1 / 1e6}'; }

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo "generating a $MEMBERS-member roster" >&2
plain source demo --members "$MEMBERS" --as-of $AS_OF >/dev/null
plain source export "$WORK/roster.xlsx" --as-of $AS_OF >/dev/null

echo "import" >&2
plain import-plain init >/dev/null
enc import-enc init --encrypt >/dev/null
import_plain=$(fmt "$(once "$DANGAN" --archive "$WORK/import-plain" import "$WORK/roster.xlsx" --create-branches --as-of $AS_OF)")
import_enc=$(fmt "$(DANGAN_PASSPHRASE="$PASS" once "$DANGAN" --archive "$WORK/import-enc" import "$WORK/roster.xlsx" --create-branches --as-of $AS_OF)")

echo "demo" >&2
demo_plain=$(fmt "$(once "$DANGAN" --archive "$WORK/demo-plain" demo --members "$MEMBERS" --as-of $AS_OF)")
enc demo-enc init --encrypt >/dev/null
demo_enc=$(fmt "$(DANGAN_PASSPHRASE="$PASS" once "$DANGAN" --archive "$WORK/demo-enc" demo --members "$MEMBERS" --as-of $AS_OF)")

echo "open and search" >&2
open_plain=$(median "$RUNS" "$DANGAN" --archive "$WORK/demo-plain" info)
open_enc=$(DANGAN_PASSPHRASE="$PASS" median "$RUNS" "$DANGAN" --archive "$WORK/demo-enc" info)
name=$(plain demo-plain member list --json | python3 -c 'import json,sys; d = json.load(sys.stdin); d = d["rows"] if isinstance(d, dict) else d; print(d[7]["name"])')
search_rows=""
for q in "$name" "党史" "学习党" "理论"; do
  p=$(median "$RUNS" "$DANGAN" --archive "$WORK/demo-plain" search "$q")
  e=$(DANGAN_PASSPHRASE="$PASS" median "$RUNS" "$DANGAN" --archive "$WORK/demo-enc" search "$q")
  search_rows+="| \`dangan search $q\` (median of $RUNS) | $p | $e |"$'\n'
done

echo "sizes, backup, encrypt" >&2
size_plain=$(size demo-plain)
size_enc=$(size demo-enc)
backup_plain=$(fmt "$(once "$DANGAN" --archive "$WORK/demo-plain" backup)")
backup_enc=$(fmt "$(DANGAN_PASSPHRASE="$PASS" once "$DANGAN" --archive "$WORK/demo-enc" backup)")
newest() { ls -t "$WORK/$1/backups"/*.db | head -1 | xargs du -b | awk '{printf "%.1f MB", $1 / 1e6}'; }
backup_size_plain=$(newest demo-plain)
backup_size_enc=$(newest demo-enc)
cp -r "$WORK/demo-plain" "$WORK/to-encrypt"
rm -rf "$WORK/to-encrypt/backups"/*
encrypt=$(fmt "$(DANGAN_PASSPHRASE="$PASS" once "$DANGAN" --archive "$WORK/to-encrypt" encrypt)")

cat <<TABLE
$MEMBERS members, $DANGAN, $(nproc) cores, $(date -u +%Y-%m-%d), load before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg). Seconds; CPU = user + sys.

| operation | plain wall | plain CPU | encrypted wall | encrypted CPU |
| --- | ---: | ---: | ---: | ---: |
| \`dangan import\` of the $MEMBERS-row roster (.xlsx) into an empty archive | $import_plain | $import_enc |
| \`dangan demo --members $MEMBERS\` | $demo_plain | $demo_enc |
| open: \`dangan info\` (median of $RUNS) | $open_plain | $open_enc |
${search_rows}| verified \`dangan backup\` | $backup_plain | $backup_enc |
| verified backup file size | $backup_size_plain | | $backup_size_enc | |
| database size (demo) | $size_plain | | $size_enc | |

\`dangan encrypt\` of the plain demo (no backups), wall | CPU: $encrypt.
TABLE
