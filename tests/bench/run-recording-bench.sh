#!/usr/bin/env bash
# Recording benchmark: scripted 1920x1080 workloads captured once on a private Xvfb desktop
# (recording_workloads.sh), then replayed into the real recorder (recording_bench) once per
# encoder variant, printed as one table. Every variant sees the same pixels at the same times;
# CPU figures still depend on the shared machine's load: compare within one run only.
#
#   tests/bench/run-recording-bench.sh [BUILD_DIR] [CAPTURE_DIR]    (build/rel, build/captures)
#   WORKLOADS="idle typing ..."   idle idle-seconds typing typing-heavy windows (default: all)
#   VARIANTS="default crf=32,x264=me=umh:merange=32 ..."   recorder settings per variant:
#       comma-separated recording_bench options without the dashes ("default": none)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${1:-$root/build/rel}
captures=${2:-$root/build/captures}
bench=$build/tests/bench/recording_bench
workloads=${WORKLOADS:-"idle idle-seconds typing typing-heavy windows"}
variants=${VARIANTS:-"default"}
[ -x "$bench" ] || { echo "build $bench first: cmake -S . -B build/rel -DCMAKE_BUILD_TYPE=Release && cmake --build build/rel --target recording_bench" >&2; exit 2; }

# shellcheck disable=SC2086
"$root/tests/bench/recording_workloads.sh" "$captures" $workloads

out=$(mktemp -d /tmp/rdpwarden-bench.XXXXXX)
[ -n "${KEEP:-}" ] || trap 'rm -rf "$out"' EXIT
printf '%-13s %-34s %8s %8s %7s %7s %7s %7s %6s %5s\n' workload variant "KB/min" "CPU-s/m" "ms/fr" \
  SSIM SSIM-min settled frames keyf
for w in $workloads; do
  n=0
  for v in $variants; do
    n=$((n + 1))
    args=()
    if [ "$v" != default ]; then
      IFS=, read -ra kvs <<<"$v"
      for kv in "${kvs[@]}"; do args+=("--${kv%%=*}" "${kv#*=}"); done
    fi
    "$bench" --input "$captures/$w.mkv" --out "$out" --name "$w-$n" "${args[@]}" >"$out/result.json"
    python3 - "$w" "$v" "$out/result.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[3]))
print(f"{sys.argv[1]:<13} {sys.argv[2][:34]:<34} {r['kb_per_min']:8.1f} {r['cpu_s_per_min']:8.2f} "
      f"{r['ms_per_frame']:7.2f} {r['ssim_mean']:7.4f} {r['ssim_min']:7.4f} {r['ssim_settled_mean']:7.4f} "
      f"{r['frames']:6d} {r['keyframes']:5d}")
PY
    { printf '{"workload":"%s","variant":"%s","result":' "$w" "$v"; cat "$out/result.json"; echo '}'; } \
      >>"$out/all.jsonl"
  done
done
[ -z "${KEEP:-}" ] || echo "raw results: $out/all.jsonl; recordings: $out/<workload>-<variant number>"
