#!/usr/bin/env bash
# Search benchmark (issue 5): generates a demo archive with about 200,000 thought reports
# (MEMBERS, default 37000) in target/bench-search/, then times 2-, 3- and 4-character queries
# and member names through the bigram index beside a plain LIKE scan in the same run, checks
# recall against LIKE, and measures the index build and the database size with and without it.
#   scripts/bench-search.sh [MEMBERS] [QUERIES_PER_KIND]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
members="${1:-37000}"
queries="${2:-30}"
out=target/bench-search
cargo build --release --bin dangan --example bench_search
rm -rf "$out" && mkdir -p "$out"
echo "generating a demo of $members members (with their thought reports)…"
start=$(date +%s.%N)
target/release/dangan --archive "$out/archive" demo --members "$members" --seed 1 --as-of 2026-11-24 --json \
  | python3 -c "import json,sys; d=json.load(sys.stdin); print(d['members'], 'members,', d['reports'], 'reports')"
echo "demo written in $(python3 -c "print(round($(date +%s.%N) - $start, 1))") s"
target/release/examples/bench_search "$out/archive" "$queries"
