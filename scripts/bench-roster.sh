#!/usr/bin/env bash
# Roster import/export benchmark (issue 6), with openpyxl beside it.
#
#   scripts/bench-roster.sh [ROWS] [BIG_ROWS]     (defaults 20000 and 100000)
#   DANGAN_BIN=path/to/dangan scripts/bench-roster.sh    (no build: time that binary)
#
# Builds the release CLI (`cargo build --release --bin dangan`), generates a national-format
# roster of ROWS members (.xlsx and GBK .csv) by exporting a demo archive (the .xlsx re-saved by
# openpyxl with a shared-string table, as Excel saves files), then times in the same
# run: `dangan import --dry-run`, the full import into an empty archive (branches created from the
# roster), the export of the same members, openpyxl `load_workbook(read_only=True)` reading every
# row of the same file, and openpyxl writing the same rows (normal and write_only workbooks).
# Wall and CPU (user + sys) seconds and the peak RSS (/usr/bin/time) are given for each run: on a
# shared machine the CPU time is the steadier figure. Every dangan command logs in first (argon2,
# a fixed cost timed on its own with `dangan info`). Finally the peak memory of importing a
# BIG_ROWS roster, beside the ROWS one, shows whether memory grows with the file. openpyxl is
# installed in a throwaway venv under target/. Everything is written under target/bench-roster/.
set -euo pipefail
ROWS=${1:-20000}
BIG=${2:-100000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK="${BENCH_DIR:-$ROOT/target/bench-roster}"
# DANGAN_BIN runs a binary built elsewhere (an older commit, for a before/after table).
DANGAN="${DANGAN_BIN:-$ROOT/target/release/dangan}"
AS_OF=2026-11-24
# Every command runs as the demo admin (`init` creates its admin from the same variables).
export DANGAN_USER="${DANGAN_USER:-admin}" DANGAN_PASSWORD="${DANGAN_PASSWORD:-demo-admin}"
rm -rf "$WORK" && mkdir -p "$WORK"
cd "$ROOT"
[ -n "${DANGAN_BIN:-}" ] || cargo build --release --locked --bin dangan >/dev/null

if [ ! -x "$ROOT/target/bench-venv/bin/python" ]; then
  python3 -m venv "$ROOT/target/bench-venv"
  "$ROOT/target/bench-venv/bin/pip" install -q openpyxl
fi
PY="$ROOT/target/bench-venv/bin/python"

seconds() { # seconds COMMAND... : "wall | cpu (user+sys) | peak RSS MB" of one run
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/time.txt" "$@" >/dev/null
  awk '{printf "%.2f | %.2f | %.0f", $1, $2 + $3, $4 / 1024}' "$WORK/time.txt"
}
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

echo "generating a $ROWS-member roster" >&2
"$DANGAN" --archive "$WORK/source" demo --members "$ROWS" --as-of $AS_OF >/dev/null
"$DANGAN" --archive "$WORK/source" export "$WORK/exported.xlsx" --as-of $AS_OF >/dev/null
# Dangan's export streams inline strings; save the roster the way Excel does (a shared-string
# table, dates as date cells) so that both readers get a typical file.
resave() {
  "$PY" - "$1" "$2" <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
wb.save(sys.argv[2])
PY
}
resave "$WORK/exported.xlsx" "$WORK/roster.xlsx"
"$DANGAN" --archive "$WORK/source" export "$WORK/roster.csv" --encoding gbk --as-of $AS_OF >/dev/null
"$DANGAN" --archive "$WORK/empty" init >/dev/null
"$DANGAN" --archive "$WORK/empty-csv" init >/dev/null

dry=$(seconds "$DANGAN" --archive "$WORK/empty" import "$WORK/roster.xlsx" --dry-run --create-branches --as-of $AS_OF)
dry_csv=$(seconds "$DANGAN" --archive "$WORK/empty-csv" import "$WORK/roster.csv" --dry-run --create-branches --as-of $AS_OF)
full=$(seconds "$DANGAN" --archive "$WORK/empty" import "$WORK/roster.xlsx" --create-branches --as-of $AS_OF)
full_csv=$(seconds "$DANGAN" --archive "$WORK/empty-csv" import "$WORK/roster.csv" --create-branches --as-of $AS_OF)
login=$(seconds "$DANGAN" --archive "$WORK/empty" info)
export=$(seconds "$DANGAN" --archive "$WORK/empty" export "$WORK/again.xlsx" --as-of $AS_OF)
export_full=$(seconds "$DANGAN" --archive "$WORK/empty" export "$WORK/again-full.xlsx" --format full --as-of $AS_OF)
export_csv=$(seconds "$DANGAN" --archive "$WORK/empty" export "$WORK/again.csv" --encoding gbk --as-of $AS_OF)

cat > "$WORK/openpyxl_bench.py" <<'PY'
import sys, time
import openpyxl

def timed(f):
    wall, cpu = time.perf_counter(), time.process_time()
    value = f()
    return value, f"{time.perf_counter() - wall:.2f} | {time.process_time() - cpu:.2f} | –"

path, out = sys.argv[1], sys.argv[2]

def read():
    wb = openpyxl.load_workbook(path, read_only=True)
    rows = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    wb.close()
    return rows

def write(rows, write_only):
    wb = openpyxl.Workbook(write_only=write_only)
    ws = wb.create_sheet() if write_only else wb.active
    for r in rows:
        ws.append(r)
    wb.save(out)

rows, read_time = timed(read)
_, write_time = timed(lambda: write(rows, False))
_, write_only_time = timed(lambda: write(rows, True))
print(read_time)
print(write_time)
print(write_only_time)
PY
{ read -r py_read; read -r py_write; read -r py_write_only; } < <("$PY" "$WORK/openpyxl_bench.py" "$WORK/roster.xlsx" "$WORK/openpyxl-out.xlsx")

echo "generating a $BIG-member roster" >&2
"$DANGAN" --archive "$WORK/big-source" demo --members "$BIG" --as-of $AS_OF >/dev/null
"$DANGAN" --archive "$WORK/big-source" export "$WORK/big-exported.xlsx" --as-of $AS_OF >/dev/null
resave "$WORK/big-exported.xlsx" "$WORK/big.xlsx"
"$DANGAN" --archive "$WORK/big" init >/dev/null
big=$(seconds "$DANGAN" --archive "$WORK/big" import "$WORK/big.xlsx" --create-branches --as-of $AS_OF)
"$DANGAN" --archive "$WORK/big-dry" init >/dev/null
big_dry=$(seconds "$DANGAN" --archive "$WORK/big-dry" import "$WORK/big.xlsx" --dry-run --create-branches --as-of $AS_OF)
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

cat <<TABLE
| $ROWS national rows (xlsx $(du -k "$WORK/roster.xlsx" | cut -f1) KB, GBK csv $(du -k "$WORK/roster.csv" | cut -f1) KB) | wall s | cpu s | peak RSS MB |
| --- | ---: | ---: | ---: |
| dangan info (login alone: argon2, opening the archive) | $login |
| dangan import --dry-run (.xlsx) | $dry |
| dangan import --dry-run (GBK .csv) | $dry_csv |
| dangan import into an empty archive (.xlsx) | $full |
| dangan import into an empty archive (GBK .csv) | $full_csv |
| dangan export (.xlsx, national) | $export |
| dangan export (.xlsx, full) | $export_full |
| dangan export (GBK .csv) | $export_csv |
| openpyxl load_workbook(read_only=True), every row | $py_read |
| openpyxl writing the same rows (Workbook) | $py_write |
| openpyxl writing the same rows (write_only=True) | $py_write_only |

| $BIG rows (.xlsx $(du -k "$WORK/big.xlsx" | cut -f1) KB): dangan import --dry-run | $big_dry |
| $BIG rows: dangan import into an empty archive | $big |

Load average (1, 5, 15 min) before: $load_before; after: $load_after; $(nproc) cores.
TABLE
