#!/usr/bin/env python3
"""Two dangan builds importing the same rosters, alternately, with openpyxl's read in the loop.

    scripts/bench-roster.sh                      # makes target/bench-roster/{roster.xlsx,roster.csv,big.xlsx}
    scripts/bench_import_ab.py BEFORE_BIN AFTER_BIN [RUNS]   (default 5)

Every run imports with --create-branches into a fresh copy of one empty archive, as --dry-run and
for real, for the 20,000-row .xlsx and GBK .csv and the 100,000-row .xlsx. The two binaries take
turns, so that a change in the machine's load falls on both. Prints a Markdown table of the
medians (wall and CPU seconds) and the largest peak RSS, then every measurement.
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = Path(os.environ.get("BENCH_DIR", ROOT / "target" / "bench-roster"))
PYTHON = ROOT / "target" / "bench-venv" / "bin" / "python"
AS_OF = "2026-11-24"
ENV = dict(os.environ, DANGAN_USER=os.environ.get("DANGAN_USER", "admin"),
           DANGAN_PASSWORD=os.environ.get("DANGAN_PASSWORD", "demo-admin"))
OPENPYXL_READ = """
import sys, time, openpyxl
wall, cpu = time.perf_counter(), time.process_time()
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
for ws in wb.worksheets:
    for row in ws.iter_rows(values_only=True):
        pass
print(time.perf_counter() - wall, time.process_time() - cpu)
"""


def timed(command, scratch):
    """(wall s, CPU s, peak RSS MB) of one run, by /usr/bin/time."""
    out = scratch / "time.txt"
    subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M", "-o", str(out), *command],
                   env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    wall, user, system, rss = out.read_text().split()[-4:]
    return float(wall), float(user) + float(system), int(rss) / 1024


def main():
    before, after = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    files = {"20,000 rows .xlsx": WORK / "roster.xlsx", "20,000 rows GBK .csv": WORK / "roster.csv",
             "100,000 rows .xlsx": WORK / "big.xlsx"}
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        empty = scratch / "empty"
        subprocess.run([after, "--archive", str(empty), "init"], env=ENV,
                       stdout=subprocess.DEVNULL, check=True)
        results = {}
        for _ in range(runs):
            for label, path in files.items():
                for dry in (True, False):
                    for name, binary in (("before", before), ("after", after)):
                        archive = scratch / "archive"
                        shutil.rmtree(archive, ignore_errors=True)
                        shutil.copytree(empty, archive)
                        command = [binary, "--archive", str(archive), "import", str(path),
                                   "--create-branches", "--as-of", AS_OF]
                        command += ["--dry-run"] if dry else []
                        results.setdefault((label, dry, name), []).append(timed(command, scratch))
            read = subprocess.run([str(PYTHON), "-c", OPENPYXL_READ, str(files["20,000 rows .xlsx"])],
                                  capture_output=True, text=True, check=True).stdout.split()
            results.setdefault("openpyxl", []).append((float(read[0]), float(read[1])))

    def median(values, i):
        return statistics.median(v[i] for v in values)

    print(f"| run (median of {runs}) | before: wall / CPU s | after: wall / CPU s "
          "| peak RSS MB, before / after |")
    print("| --- | ---: | ---: | ---: |")
    for label in files:
        for dry in (True, False):
            b, a = results[(label, dry, "before")], results[(label, dry, "after")]
            what = ("`import --dry-run`, " if dry else "import, ") + label
            print(f"| {what} | {median(b, 0):.2f} / {median(b, 1):.2f} | {median(a, 0):.2f} / "
                  f"{median(a, 1):.2f} | {max(v[2] for v in b):.0f} / {max(v[2] for v in a):.0f} |")
    o = results["openpyxl"]
    print(f"| openpyxl `load_workbook(read_only=True)`, every row of the 20,000-row .xlsx "
          f"| {median(o, 0):.2f} / {median(o, 1):.2f} | | |")
    print()
    for key, values in results.items():
        print(key, values)


if __name__ == "__main__":
    main()
