#!/usr/bin/env bash
# kanko publish benchmark (issue 28). Not a test: it only measures and reports.
#
#   cargo build --release && bash benches/publish.sh
#
# On the bench corpus (benches/make_corpus.py, BENCH_REPORTS reports, default 20) built into
# target/bench/publish/dist, each target behind benches/delay_proxy.py adding DELAY_MS (30) each
# way on 127.0.0.1: OpenSSH sshd (SFTP) and moto (S3). For each: the first publish into an empty
# folder/bucket, then a one-report change (one sentence of one chapter edited, `kanko build`),
# published again. Beside kanko, in the same run: `lftp mirror -R --parallel=4` (first) and
# `lftp mirror -R --only-newer` (change) for SFTP, `rclone sync` for SFTP and S3, where they install
# (Debian lftp, rclone). Time, files and bytes sent. Table: target/bench/publish/results.md.
# Env: BENCH_REPORTS=20 DELAY_MS=30 KANKO=target/release/kanko
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
B=$ROOT/target/bench/publish
N=${BENCH_REPORTS:-20}
DELAY=${DELAY_MS:-30}
mkdir -p "$B"
cp "${KANKO:-$ROOT/target/release/kanko}" "$B/kanko"
K=$B/kanko
export LANG=C.UTF-8

for tool in lftp rclone; do
  command -v $tool >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $tool >/dev/null 2>&1 || echo "($tool not available)" >&2
done

if [ ! -d "$B/reports" ]; then
  python3 "$ROOT/benches/make_corpus.py" "$B/reports" --reports "$N" >&2
fi
rm -rf "$B/dist"
"$K" build -q --reports "$B/reports" --out "$B/dist"
files=$(find "$B/dist" -type f -not -path '*/.*' | wc -l)
bytes=$(find "$B/dist" -type f -not -path '*/.*' -printf '%s\n' | awk '{s+=$1} END {print s}')
echo "corpus: $N reports, $files files, $((bytes / 1000000)) MB" >&2

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.1; done; return 1; }

# ---- sshd
S=$B/ssh; rm -rf "$S"; mkdir -p "$S/home/.ssh" /run/sshd
ssh-keygen -q -t ed25519 -N '' -f "$S/host_key"
ssh-keygen -q -t ed25519 -N '' -f "$S/home/.ssh/id_ed25519"
cp "$S/home/.ssh/id_ed25519.pub" "$S/authorized_keys"
SP=$(port)
cat >"$S/sshd_config" <<CONF
Port $SP
ListenAddress 127.0.0.1
HostKey $S/host_key
PidFile $S/sshd.pid
AuthorizedKeysFile $S/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
Subsystem sftp internal-sftp
MaxStartups 50
MaxSessions 50
CONF
/usr/sbin/sshd -D -e -f "$S/sshd_config" 2>/dev/null & pids+=($!)
wait_port "$SP"
SPX=$(port)
python3 "$ROOT/benches/delay_proxy.py" "$SPX" "$SP" "$DELAY" & pids+=($!)
wait_port "$SPX"
for p in "$SP" "$SPX"; do echo "[127.0.0.1]:$p $(cut -d' ' -f1-2 "$S/host_key.pub")" >>"$S/home/.ssh/known_hosts"; done

# ---- moto
MP=$(port)
python3 -m moto.server -H 127.0.0.1 -p "$MP" >/dev/null 2>&1 & pids+=($!)
wait_port "$MP"
MPX=$(port)
python3 "$ROOT/benches/delay_proxy.py" "$MPX" "$MP" "$DELAY" & pids+=($!)
wait_port "$MPX"
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench-secret AWS_REGION=us-east-1
python3 - "$MP" <<'PY'
import boto3, sys
s3 = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{sys.argv[1]}", region_name="us-east-1")
for b in ["kanko", "rclone"]:
    s3.create_bucket(Bucket=b)
PY

results=$B/results.tsv
: >"$results"
now() { date +%s.%N; }
record() { printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" >>"$results"; echo "$1 | $2 | $3 s | $4 files | $5" >&2; }
kpub() { # NAME PHASE TARGET [env...]
  local name=$1 phase=$2 target=$3; shift 3
  local t0 t1 out
  t0=$(now)
  out=$(env "$@" "$K" publish --out "$B/dist" --reports "$B/reports" "$target" 2>&1 | tail -1)
  t1=$(now)
  record "$name" "$phase" "$(echo "$t1 - $t0" | bc)" "$(echo "$out" | sed -n 's/.*sent \([0-9]*\) files.*/\1/p')" "$(echo "$out" | sed -n 's/.*files \/ \([0-9.]* MB\).*/\1/p')"
}
SSHCMD="ssh -a -x -i $S/home/.ssh/id_ed25519 -o UserKnownHostsFile=$S/home/.ssh/known_hosts -o BatchMode=yes"
lftp_run() { # NAME PHASE DIR OPTS
  local t0 t1 n
  t0=$(now)
  n=$(lftp -c "set sftp:connect-program '$SSHCMD'; set net:max-retries 2; open sftp://root:x@127.0.0.1:$SPX; mirror -R $4 --verbose=1 $B/dist $3" 2>&1 | grep -c 'Transferring file' || true)
  t1=$(now)
  record "$1" "$2" "$(echo "$t1 - $t0" | bc)" "$n" "-"
}
rclone_run() { # NAME PHASE REMOTE ARGS...
  local name=$1 phase=$2 remote=$3; shift 3
  local t0 t1 n
  t0=$(now)
  n=$(rclone sync "$B/dist" "$remote" --exclude '.*' --exclude '.*/**' --exclude '**/.*' --transfers 4 -v "$@" 2>&1 | grep -c ': Copied' || true)
  t1=$(now)
  record "$name" "$phase" "$(echo "$t1 - $t0" | bc)" "$n" "-"
}
RCS=(--sftp-host 127.0.0.1 --sftp-port "$SPX" --sftp-user root --sftp-key-file "$S/home/.ssh/id_ed25519" --sftp-known-hosts-file "$S/home/.ssh/known_hosts")
RC3=(--s3-provider Other --s3-endpoint "http://127.0.0.1:$MPX" --s3-access-key-id bench --s3-secret-access-key bench-secret --s3-region us-east-1)

W=$B/www; rm -rf "$W"; mkdir -p "$W/kanko" "$W/lftp" "$W/rclone"
for phase in first change; do
  if [ "$phase" = change ]; then
    ch=$(find "$B/reports" -name '*.md' | sort | head -1)
    cp "$ch" "$B/chapter.bak"
    printf '\n一文だけ直しました。\n' >>"$ch"
    "$K" build -q --reports "$B/reports" --out "$B/dist"
    cp "$B/chapter.bak" "$ch"
  fi
  kpub "kanko sftp" "$phase" "sftp://root@127.0.0.1:$SPX/$W/kanko" HOME="$S/home" SSH_AUTH_SOCK=
  if command -v lftp >/dev/null; then
    if [ "$phase" = first ]; then lftp_run "lftp mirror -R --parallel=4" first "$W/lftp" "--parallel=4"
    else lftp_run "lftp mirror -R --only-newer" change "$W/lftp" "--only-newer"; fi
  fi
  command -v rclone >/dev/null && rclone_run "rclone sync sftp" "$phase" ":sftp:$W/rclone" "${RCS[@]}"
  kpub "kanko s3" "$phase" "s3://kanko/" AWS_ENDPOINT_URL="http://127.0.0.1:$MPX"
  command -v rclone >/dev/null && rclone_run "rclone sync s3" "$phase" ":s3:rclone" "${RC3[@]}"
done

{
  echo "kanko publish benchmark: $N reports, $files files, $((bytes / 1000000)) MB; ${DELAY} ms added each way on 127.0.0.1"
  echo
  echo "| tool | phase | seconds | files sent | bytes |"
  echo "| --- | --- | ---: | ---: | ---: |"
  awk -F'\t' '{printf "| %s | %s | %.1f | %s | %s |\n", $1, $2, $3, $4, $5}' "$results"
} | tee "$B/results.md"
