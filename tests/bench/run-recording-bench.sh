#!/usr/bin/env bash
# Recording benchmark: scripted 1920x1080 workloads on a private Xvfb desktop, recorded by the
# real recorder (tests/bench/recording_bench), printed as one table. Figures in one table come
# from the same run (the machine is shared and noisy: compare within a run only).
#
#   tests/bench/run-recording-bench.sh [BUILD_DIR] [SECONDS]      (defaults: build/rel, 60)
#   VARIANTS="superfast:30 veryfast:30" ...   encoder presets:crf to compare (first = default)
#   WORKLOADS="idle typing windows" ...       which workloads to run
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${1:-$root/build/rel}
seconds=${2:-60}
bench=$build/tests/bench/recording_bench
variants=${VARIANTS:-"superfast:30"}
workloads=${WORKLOADS:-"idle typing windows"}
[ -x "$bench" ] || { echo "build $bench first: cmake -S . -B build/rel -DCMAKE_BUILD_TYPE=Release && cmake --build build/rel --target recording_bench" >&2; exit 2; }

work=$(mktemp -d /tmp/rdpwarden-bench.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  [ -n "${KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

exec 3>"$work/display"
Xvfb -displayfd 3 -screen 0 1920x1080x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do [ -s "$work/display" ] && break; sleep 0.1; done
export DISPLAY=":$(head -1 "$work/display")"

start() { "$@" >/dev/null 2>&1 & pids+=($!); echo $!; }
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# Each workload runs `seconds` and drives the desktop while recording_bench records it.
workload_idle() {  # a desktop with a terminal at a prompt and a clock, nobody working
  local term clock
  term=$(start xterm -geometry 120x40+40+40 -fa Monospace -fs 11)
  clock=$(start xclock -geometry 160x160-20+20 -update 1)
  sleep "$seconds"
  stop "$clock"; stop "$term"
}

type_line() { xdotool type --delay 110 "$1"; xdotool key Return; }

workload_typing() {  # an admin typing commands into a terminal; output scrolls
  local term end
  term=$(start xterm -geometry 120x40+40+40 -fa Monospace -fs 11)
  sleep 1
  xdotool search --sync --pid "$term" windowfocus --sync >/dev/null 2>&1 || true
  end=$(( $(date +%s) + seconds - 2 ))
  local cmds=("uname -a" "df -h" "ls -la /etc | head -40" "ps aux --sort=-%mem | head -25"
              "cat /etc/services | head -60" "ip addr" "free -m" "systemctl --version"
              "grep -c processor /proc/cpuinfo" "tail -30 /etc/passwd" "du -sh /usr/share/* | sort -h | tail -15")
  local i=0
  while [ "$(date +%s)" -lt "$end" ]; do
    type_line "${cmds[$(( i % ${#cmds[@]} ))]}"
    i=$(( i + 1 ))
    sleep 2
  done
  stop "$term"
}

workload_windows() {  # opening, moving and closing windows, scrolling long text
  local end a b
  end=$(( $(date +%s) + seconds - 2 ))
  while [ "$(date +%s)" -lt "$end" ]; do
    a=$(start xterm -geometry 100x45+100+80 -fa Monospace -fs 11 -e less /usr/share/common-licenses/GPL-3)
    sleep 1
    xdotool search --sync --pid "$a" windowfocus --sync >/dev/null 2>&1 || true
    for _ in 1 2 3 4 5 6; do xdotool key Next; sleep 0.4; done
    for _ in $(seq 20); do xdotool key Down; sleep 0.05; done
    b=$(start xterm -geometry 80x24+900+300 -fa Monospace -fs 11 -e top -d 1)
    sleep 1
    local wid
    wid=$(xdotool search --sync --pid "$b" 2>/dev/null | head -1 || true)
    if [ -n "$wid" ]; then
      for x in 850 750 650 550 450 350; do xdotool windowmove "$wid" "$x" 250; sleep 0.15; done
    fi
    sleep 2
    stop "$b"; sleep 0.5; stop "$a"; sleep 1
  done
}

printf '%-9s %-12s %10s %10s %9s %9s %7s %7s %5s %4s\n' workload encoder "KB/min" "CPU-s/min" "SSIM" "SSIM-min" frames updates keyf segs
for w in $workloads; do
  for v in $variants; do
    preset=${v%%:*}; crf=${v##*:}
    out=$work/out
    "workload_$w" &
    driver=$!
    "$bench" --display "$DISPLAY" --seconds "$seconds" --out "$out" --name "$w-$preset-$crf" \
      --preset "$preset" --crf "$crf" >"$work/result.json"
    wait "$driver" || true
    python3 - "$w" "$preset:$crf" "$work/result.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[3]))
print(f"{sys.argv[1]:<9} {sys.argv[2]:<12} {r['kb_per_min']:10.1f} {r['cpu_s_per_min']:10.2f} "
      f"{r['ssim_mean']:9.4f} {r['ssim_min']:9.4f} {r['frames']:7d} {r['updates']:7d} {r['keyframes']:5d} {r['segments']:4d}")
PY
    cat "$work/result.json" >>"$work/all.jsonl"
  done
done
echo "raw results: $work/all.jsonl (kept with KEEP=1)"
