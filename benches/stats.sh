#!/usr/bin/env bash
# benches/stats.sh — `kanko stats` on a generated year of a busy site's access log, beside GoAccess.
#
#   benches/stats.sh [LINES]     (default 5000000, about 1.2 GB)
#
# Builds the sample reports into target/bench-stats/dist, writes the log with benches/stats_log.py
# (deterministic), then times `kanko stats --format json` and, when the system package is there
# (apt-get install goaccess), `goaccess --log-format=COMBINED -o report.json` on the same file,
# with /usr/bin/time -v for the peak memory. Prints elapsed seconds, peak RSS and what each says
# about one report's PDF. Run it once, on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."
lines=${1:-5000000}
work=target/bench-stats
mkdir -p "$work"
bin=target/release/kanko
[ -x "$bin" ] || cargo build --release
if [ ! -d "$work/dist" ]; then
  "$bin" build --reports reports --out "$work/dist" -q
fi
log=$work/access-$lines.log
if [ ! -s "$log" ]; then
  echo "writing $lines lines to $log" >&2
  python3 benches/stats_log.py "$lines" "$work/dist" /hokoku/ > "$log"
fi
echo "log: $(wc -l < "$log") lines, $(du -h "$log" | cut -f1)"
slug=$(ls "$work/dist" | grep -E '^[0-9]' | sort | tail -n 1)

measure() {  # measure NAME CMD...: elapsed and peak RSS from /usr/bin/time -v
  local name=$1; shift
  /usr/bin/time -v "$@" > "$work/$name.out" 2> "$work/$name.time"
  local wall rss user sys
  wall=$(grep 'Elapsed (wall clock)' "$work/$name.time" | awk '{print $NF}')
  rss=$(grep 'Maximum resident set size' "$work/$name.time" | awk '{print $NF}')
  user=$(grep 'User time' "$work/$name.time" | awk '{print $NF}')
  sys=$(grep 'System time' "$work/$name.time" | awk '{print $NF}')
  printf '%-8s wall %s  cpu user %ss sys %ss  peak RSS %d MB  (load %s)\n' "$name" "$wall" "$user" "$sys" $((rss / 1024)) "$(cut -d' ' -f1 /proc/loadavg)"
}

measure kanko "$bin" stats "$log" --out "$work/dist" --base-path /hokoku/ --fiscal-year 2024 --format json -q
python3 - "$work/kanko.out" "$slug" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
r = next(x for x in s["reports"] if x["slug"] == sys.argv[2])
print(f"kanko    {sys.argv[2]}: PDF downloads {r['pdf']}, EPUB {r['epub']}, reader {r['reader']} (to the end {r['reader_end']}); left out {s['left_out']['visits']} crawler visits")
PY
if command -v goaccess >/dev/null; then
  measure goaccess goaccess "$log" --log-format=COMBINED --no-global-config -o "$work/goaccess.json"
  python3 - "$work/goaccess.json" "$slug" <<'PY'
import json, sys
g = json.load(open(sys.argv[1]))
path = f"/hokoku/{sys.argv[2]}/{sys.argv[2]}.pdf"
# a PDF is a "static request" to GoAccess
for panel in ("requests", "static_requests"):
    for d in g.get(panel, {}).get("data", []):
        if d["data"] == path:
            print(f"goaccess {path}: hits {d['hits']['count']}, visitors {d['visitors']['count']}")
PY
else
  echo "goaccess not installed (apt-get install goaccess)"
fi
