#!/usr/bin/env bash
# Benchmark of the PDF documents: one dossier and a batch of dossiers with `dangan` (release
# build), side by side with Typst (the real compiler from PyPI, in a throwaway venv) compiling
# equivalent .typ files with the same Noto CJK fonts, and with LibreOffice (Debian's
# libreoffice-writer-nogui, if `soffice` is installed) converting equivalent .docx files written
# with python-docx (PyPI, same venv) — `soffice --headless --convert-to pdf`.
#
#   scripts/bench-pdf.sh [BATCH_SIZE]      (default 500)
#
# The single dossier is a member with 30 thought reports (~20 pages); the batch is the demo's
# first N members with their reports. Prints a table of wall times and file sizes. Needs fonts-noto-cjk and python3-venv; downloads
# the `typst` wheel from PyPI into a temporary venv that is deleted afterwards.

set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

N="${1:-500}"
FONT_DIR="${FONT_DIR:-/usr/share/fonts/opentype/noto}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
ARCHIVE="$WORK/archive"
BIN="$ROOT/target/release/dangan"
# Every command runs as the demo admin (`init` creates its admin from the same variables).
export DANGAN_USER="${DANGAN_USER:-admin}" DANGAN_PASSWORD="${DANGAN_PASSWORD:-demo-admin}"

now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc; }

echo "building dangan (release, CLI only)..." >&2
cargo build --release -p dangan --bin dangan >&2

"$BIN" --archive "$ARCHIVE" demo --members "$N" --seed 1 --as-of 2026-11-24 >/dev/null
# The single dossier is a long file: the member with the most thought reports (one per quarter
# in the demo), topped up to 30 reports with typed ones (texts of other members' reports), which
# makes it about 20 pages.
ID="$(python3 scripts/bench_pdf_typst.py top-up "$ARCHIVE" "$BIN" 30 2026-11-24)"
IDS="$(seq -s, 1 "$N")"

# One dossier, whole process (font discovery, archive reads, layout, subsetting, writing): best of 5.
best=""
for _ in 1 2 3 4 5; do
  t0=$(now); "$BIN" --archive "$ARCHIVE" dossier "$ID" --out "$WORK/one.pdf" --as-of 2026-11-24 >/dev/null; t1=$(now)
  t=$(elapsed "$t0" "$t1"); if [ -z "$best" ] || (( $(echo "$t < $best" | bc) )); then best=$t; fi
done
ONE_OURS=$best
ONE_OURS_BYTES=$(stat -c %s "$WORK/one.pdf")
ONE_OURS_PAGES=$(pdfinfo "$WORK/one.pdf" | awk '/^Pages:/ {print $2}')

# The batch, on every core.
t0=$(now); "$BIN" --archive "$ARCHIVE" dossier --members "$IDS" --out-dir "$WORK/batch" --as-of 2026-11-24 --json > "$WORK/batch.json" 2>/dev/null; t1=$(now)
BATCH_OURS=$(elapsed "$t0" "$t1")
BATCH_OURS_AVG=$(python3 -c "import json; d=json.load(open('$WORK/batch.json'))['dossiers']; print(sum(x['pdf']['bytes'] for x in d)//len(d))")
BATCH_OURS_MAX=$(python3 -c "import json; d=json.load(open('$WORK/batch.json'))['dossiers']; print(max(x['pdf']['bytes'] for x in d))")
THREADS=$(python3 -c "import json; print(json.load(open('$WORK/batch.json'))['threads'])")

# Typst: the same content as .typ (generated from the archive, not timed), compiled in a venv.
echo "installing typst from PyPI into a throwaway venv..." >&2
python3 -m venv "$WORK/venv" >&2
"$WORK/venv/bin/pip" install -q typst python-docx >&2
TYPST_VERSION=$("$WORK/venv/bin/python" -c 'import importlib.metadata as m; print(m.version("typst"))')
PY="$WORK/venv/bin/python"
"$PY" scripts/bench_pdf_typst.py make "$ARCHIVE" "$BIN" "$WORK/typ-one" "$ID"
best=""
for _ in 1 2 3 4 5; do
  t0=$(now); "$PY" scripts/bench_pdf_typst.py one "$FONT_DIR" "$WORK/typ-one/$ID.typ" "$WORK/one-typst.pdf" >/dev/null; t1=$(now)
  t=$(elapsed "$t0" "$t1"); if [ -z "$best" ] || (( $(echo "$t < $best" | bc) )); then best=$t; fi
done
ONE_TYPST=$best
ONE_TYPST_BYTES=$(stat -c %s "$WORK/one-typst.pdf")
ONE_TYPST_PAGES=$(pdfinfo "$WORK/one-typst.pdf" | awk '/^Pages:/ {print $2}')
echo "writing $N .typ files (not timed)..." >&2
# shellcheck disable=SC2046
"$PY" scripts/bench_pdf_typst.py make "$ARCHIVE" "$BIN" "$WORK/typ-batch" $(seq 1 "$N")
read -r _ BATCH_TYPST_INNER < <("$PY" scripts/bench_pdf_typst.py batch "$FONT_DIR" "$THREADS" "$WORK/typ-batch")
BATCH_TYPST_AVG=$(python3 -c "import os,glob; f=glob.glob('$WORK/typ-batch/*.pdf'); print(sum(os.path.getsize(x) for x in f)//len(f))")

# LibreOffice: the same content as .docx (not timed), converted by soffice. One dossier is a whole
# soffice process (its start-up included, as ours); the batch runs THREADS soffice processes, each
# with its own profile, each converting its share of the files in one invocation.
LO=""
if command -v soffice >/dev/null; then
  LO_VERSION=$(soffice --version | awk '{print $2}')
  echo "writing .docx files for LibreOffice $LO_VERSION (not timed)..." >&2
  (cd scripts && "$PY" bench_pdf_docx.py make "$ARCHIVE" "$BIN" "$WORK/docx-one" "$ID")
  lo() { soffice --headless "-env:UserInstallation=file://$WORK/lo-profile-$1" --convert-to pdf --outdir "$2" "${@:3}" >/dev/null 2>&1; }
  lo 0 "$WORK/lo-warm" "$WORK/docx-one/$ID.docx"   # first start creates the profile: not timed
  best=""
  for _ in 1 2 3 4 5; do
    t0=$(now); lo 0 "$WORK/lo-one" "$WORK/docx-one/$ID.docx"; t1=$(now)
    t=$(elapsed "$t0" "$t1"); if [ -z "$best" ] || (( $(echo "$t < $best" | bc) )); then best=$t; fi
  done
  ONE_LO=$best
  ONE_LO_BYTES=$(stat -c %s "$WORK/lo-one/$ID.pdf")
  ONE_LO_PAGES=$(pdfinfo "$WORK/lo-one/$ID.pdf" | awk '/^Pages:/ {print $2}')
  # shellcheck disable=SC2046
  (cd scripts && "$PY" bench_pdf_docx.py make "$ARCHIVE" "$BIN" "$WORK/docx-batch" $(seq 1 "$N"))
  for p in $(seq 1 "$THREADS"); do lo "$p" "$WORK/lo-warm" "$WORK/docx-one/$ID.docx"; done
  t0=$(now)
  for p in $(seq 1 "$THREADS"); do
    # shellcheck disable=SC2046
    lo "$p" "$WORK/lo-batch" $(ls "$WORK"/docx-batch/*.docx | awk -v p="$p" -v n="$THREADS" 'NR % n == p % n') &
  done
  wait
  t1=$(now)
  BATCH_LO=$(elapsed "$t0" "$t1")
  BATCH_LO_COUNT=$(ls "$WORK"/lo-batch/*.pdf | wc -l)
  BATCH_LO_AVG=$(python3 -c "import os,glob; f=glob.glob('$WORK/lo-batch/*.pdf'); print(sum(os.path.getsize(x) for x in f)//len(f))")
  LO=1
else
  echo "soffice not found: no LibreOffice column (apt-get install libreoffice-writer-nogui)" >&2
fi

if [ -n "$LO" ]; then
  printf '\n%-34s %12s %12s %12s\n' "" "dangan" "typst $TYPST_VERSION" "LO $LO_VERSION"
  printf '%-34s %11.3fs %11.3fs %11.3fs\n' "one dossier, whole process" "$ONE_OURS" "$ONE_TYPST" "$ONE_LO"
  printf '%-34s %12s %12s %12s\n' "  pages" "$ONE_OURS_PAGES" "$ONE_TYPST_PAGES" "$ONE_LO_PAGES"
  printf '%-34s %12s %12s %12s\n' "  bytes" "$ONE_OURS_BYTES" "$ONE_TYPST_BYTES" "$ONE_LO_BYTES"
  printf '%-34s %11.2fs %11.2fs %11.2fs\n' "batch of $N on $THREADS threads/procs" "$BATCH_OURS" "$BATCH_TYPST_INNER" "$BATCH_LO"
  printf '%-34s %12s %12s %12s\n' "  mean bytes per dossier" "$BATCH_OURS_AVG" "$BATCH_TYPST_AVG" "$BATCH_LO_AVG"
  printf '%-34s %12s\n' "  largest dossier (bytes)" "$BATCH_OURS_MAX"
  echo "(dangan's batch time includes reading the archive; typst's is compile time only, fonts loaded once per process; LibreOffice's is $THREADS soffice processes converting $BATCH_LO_COUNT .docx files, start-up included)"
  exit 0
fi

printf '\n%-34s %12s %12s\n' "" "dangan" "typst $TYPST_VERSION"
printf '%-34s %11.3fs %11.3fs\n' "one dossier, whole process" "$ONE_OURS" "$ONE_TYPST"
printf '%-34s %12s %12s\n' "  pages" "$ONE_OURS_PAGES" "$ONE_TYPST_PAGES"
printf '%-34s %12s %12s\n' "  bytes" "$ONE_OURS_BYTES" "$ONE_TYPST_BYTES"
printf '%-34s %11.2fs %11.2fs\n' "batch of $N on $THREADS threads/procs" "$BATCH_OURS" "$BATCH_TYPST_INNER"
printf '%-34s %12s %12s\n' "  mean bytes per dossier" "$BATCH_OURS_AVG" "$BATCH_TYPST_AVG"
printf '%-34s %12s\n' "  largest dossier (bytes)" "$BATCH_OURS_MAX"
echo "(dangan's batch time includes reading the archive; typst's is compile time only, fonts loaded once per process)"
