#!/usr/bin/env bash
# Builds (optimized, no sanitizers) and runs the web player benchmark; prints its table.
# Arguments go to web_player_bench (e.g. --minutes 60 --segment-seconds 30 --fps 10).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build="$root/build/bench"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DRDPWARDEN_BENCH=ON >/dev/null
cmake --build "$build" -j2 --target web_player_bench rdpwarden
RDPWARDEN_SOURCE_DIR="$root" "$build/tests/bench/web_player_bench" --cache "$build/web-bench-cache" "$@"
