#!/usr/bin/env bash
# Recording benchmark: Chromium seek time per segment of a recording (recording_seek.mjs),
# served over loopback by a private python3 http.server.
#
#   tests/bench/recording_seek.sh SESSION_DIR [ROUNDS]
# Prints one line per segment (bytes, ms from fetch to frame shown, ms from seek to frame
# shown) and the worst and median totals.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
dir=${1:?usage: recording_seek.sh SESSION_DIR [ROUNDS]}
rounds=${2:-3}
[ -f "$dir/manifest.json" ] || { echo "no manifest.json in $dir" >&2; exit 2; }
[ -d "$root/tests/support/browser/node_modules/playwright-core" ] ||
  { echo "playwright-core missing: run ./deploy/install-deps.sh" >&2; exit 2; }

work=$(mktemp -d /tmp/rdpwarden-seek.XXXXXX)
server=
cleanup() {
  [ -z "$server" ] || { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; }
  rm -rf "$work"
}
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$dir" >"$work/http.log" 2>&1 &
server=$!
for _ in $(seq 50); do
  python3 -c "import socket; socket.create_connection(('127.0.0.1',$port),1)" 2>/dev/null && break
  sleep 0.1
done
mkdir -p "$work/profile"
RDPWARDEN_RESULT_FILE=$work/result.json RDPWARDEN_BROWSER_PROFILE=$work/profile \
  node "$root/tests/bench/recording_seek.mjs" "http://127.0.0.1:$port/" "$rounds" >"$work/node.log" 2>&1 ||
  { cat "$work/node.log" >&2; exit 1; }
python3 - "$work/result.json" <<'PY'
import json, statistics, sys
segs = json.load(open(sys.argv[1]))["segments"]
print(f"{'segment':>7} {'bytes':>9} {'ms total':>9} {'ms seek':>8}")
for s in segs:
    print(f"{s['index']:7d} {s['bytes']:9d} {s['ms_total']:9.1f} {s['ms_seek']:8.1f}")
tot = [s["ms_total"] for s in segs]
print(f"segments {len(segs)}  worst {max(tot):.1f} ms  median {statistics.median(tot):.1f} ms")
PY
