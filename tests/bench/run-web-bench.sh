#!/usr/bin/env bash
# Builds (optimized, no sanitizers) and runs the web player benchmark; prints its tables.
# With arguments: one run of web_player_bench with them (e.g. --minutes 60 --segment-seconds 30
# --player-seek segment). Without: the issue-6 comparison, back to back — a one-hour recording
# with 120-s segments played with server seek fragments, then one with 10-s segments played the
# old way (a seek appends the whole segment from its keyframe). RDPWARDEN_BENCH_CRF (default 37)
# is the encoder's crf for both recordings. Recordings are cached in build/bench/web-bench-cache
# (the first run records each for several minutes).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build="$root/build/bench"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DRDPWARDEN_BENCH=ON >/dev/null
cmake --build "$build" -j2 --target web_player_bench web_player_bench_record rdpwarden
bench() {
  RDPWARDEN_SOURCE_DIR="$root" "$build/tests/bench/web_player_bench" --cache "$build/web-bench-cache" "$@"
}
if [ $# -gt 0 ]; then
  bench "$@"
  exit
fi
crf=${RDPWARDEN_BENCH_CRF:-37}
bench --minutes 60 --segment-seconds 120 --crf "$crf" --player-seek server
bench --minutes 60 --segment-seconds 10 --crf "$crf" --player-seek segment
