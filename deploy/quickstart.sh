#!/usr/bin/env bash
# The README's first command: install dependencies, build a Release rdpwarden, and run the demo
# in the foreground (gateway, web console, embedded PostgreSQL, a demo target and a demo user).
# Ctrl-C stops everything it started.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

./deploy/install-deps.sh
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DRDPWARDEN_TESTS=OFF >/dev/null
cmake --build build/release -j "$(nproc)" --target rdpwarden

data_dir=${RDPWARDEN_DEMO_DIR:-$root/var/demo}
mkdir -p "$data_dir"
exec "$root/build/release/server/rdpwarden" --data-dir "$data_dir" demo "$@"
