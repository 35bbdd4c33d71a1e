#!/usr/bin/env bash
# benches/serve_latency.sh — edit-to-visible time of `kanko serve` on a ~30-page report.
#
#   cargo build --release && bash benches/serve_latency.sh
#
# Makes a 30-page report (two chapters of the generated benchmark corpus, or the longest
# sample), starts `kanko serve`, listens to its server-sent events, appends a sentence to one
# paragraph five times and reports, for each edit, the time from the file write to the
# `reload` event (the moment the browser reloads with the new page images and text).
set -euo pipefail
cd "$(dirname "$0")/.."
kanko=${KANKO:-target/release/kanko}
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/reports"
src=reports/2023-kodomo-ibasho-chousa
cp -r "$src" "$work/reports/long"
# Double the chapters to reach ~30 pages.
for f in "$work"/reports/long/0*.md; do cp "$f" "${f%.md}-b.md"; done
port=$((20000 + RANDOM % 20000))
"$kanko" serve --reports "$work/reports" --port "$port" >"$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$port/__kanko/status" >/dev/null && break; sleep 0.1; done
pages=$(grep -o '"pageCount": [0-9]*' "$(ls -d /tmp/kanko-preview-*/long/reader 2>/dev/null | head -1)/data.js" 2>/dev/null | grep -o '[0-9]*$' || echo "?")
echo "report pages: $pages"
curl -sN "http://127.0.0.1:$port/__kanko/events" >"$work/events.log" &
curlpid=$!
sleep 0.5
chapter="$work/reports/long/03-kekka.md"
for i in 1 2 3 4 5; do
  before=$(grep -c '^event: reload' "$work/events.log" || true)
  t0=$(date +%s.%N)
  printf '\n追記した段落その%s。編集から表示までの時間を測ります。\n' "$i" >>"$chapter"
  for _ in $(seq 1 400); do
    now=$(grep -c '^event: reload' "$work/events.log" || true)
    [ "$now" -gt "$before" ] && break
    sleep 0.01
  done
  t1=$(date +%s.%N)
  printf 'edit %s: %.0f ms\n' "$i" "$(echo "($t1 - $t0) * 1000" | bc)"
  sleep 1
done
kill $curlpid 2>/dev/null || true
grep -E 'preview updated' "$work/serve.log" | tail -5
