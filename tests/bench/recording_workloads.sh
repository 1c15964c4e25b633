#!/usr/bin/env bash
# Recording benchmark, phase 1: drives scripted workloads on a private 1920x1080 Xvfb desktop
# and captures each one losslessly (ffmpeg x11grab at 20 fps -> libx264rgb qp 0, real capture
# timestamps). Every encoder variant is then replayed from the same capture
# (run-recording-bench.sh), so figures within a table compare the same pixels.
#
#   tests/bench/recording_workloads.sh OUT_DIR [WORKLOAD...]
#     workloads: idle idle-seconds typing typing-heavy windows (default: all)
#     OUT_DIR/<workload>.mkv is written; an existing capture is kept (delete it to redo).
#   SECONDS_<WORKLOAD>=N overrides a workload's length (e.g. SECONDS_typing=60).
set -euo pipefail
out=${1:?usage: recording_workloads.sh OUT_DIR [WORKLOAD...]}
shift
workloads=("$@")
[ ${#workloads[@]} -gt 0 ] || workloads=(idle idle-seconds typing typing-heavy windows)
mkdir -p "$out"

# Each workload runs a second past the capture's end, so the capture never shows it closing.
# Lengths: the idle run is long enough that its one keyframe does not dominate KB/min; the
# typing run covers ~20 commands; the stress runs are shorter.
declare -A length=([idle]=300 [idle-seconds]=120 [typing]=180 [typing-heavy]=60 [windows]=90)

work=$(mktemp -d /tmp/rdpwarden-workload.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

start() { "$@" >/dev/null 2>&1 & pids+=($!); echo $!; }
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }
# A pause of LOW..HIGH milliseconds (bash RANDOM, seeded per workload: reproducible scripts).
pause_ms() { local ms=$(( $1 + RANDOM % ($2 - $1 + 1) ));
  sleep "$(( ms / 1000 )).$(printf '%03d' $(( ms % 1000 )))"; }
terminal() { start xterm -geometry 120x40+40+40 -fa Monospace -fs 11 "$@"; }
focus() { xdotool search --sync --pid "$1" windowfocus --sync >/dev/null 2>&1 || true; }

# Human typing: one key at a time, 4-6 keys/s on average (120-280 ms apart), an occasional
# typo corrected with BackSpace, then Return.
type_human() {
  local text=$1 i ch
  for (( i = 0; i < ${#text}; i++ )); do
    ch=${text:i:1}
    if (( RANDOM % 40 == 0 )); then
      xdotool type --delay 0 "x"; pause_ms 150 350; xdotool key BackSpace; pause_ms 120 280
    fi
    if [ "$ch" = " " ]; then xdotool key space; else xdotool type --delay 0 -- "$ch"; fi
    pause_ms 120 280
  done
  pause_ms 200 600
  xdotool key Return
}

workload_idle() {  # "a clock only": a terminal at a prompt and a taskbar-style HH:MM clock
  local term clock
  term=$(terminal)
  clock=$(start xclock -digital -strftime '%H:%M' -update 1 -geometry 90x30-10-10)
  sleep "$(( $1 + 1 ))"
  stop "$clock"; stop "$term"
}

workload_idle-seconds() {  # stress: the same desktop with an analog clock with a second hand
  local term clock
  term=$(terminal)
  clock=$(start xclock -geometry 160x160-20+20 -update 1)
  sleep "$(( $1 + 1 ))"
  stop "$clock"; stop "$term"
}

# An admin's commands at a shell: mostly short outputs (1-20 lines), now and then a longer one.
admin_commands=(
  "hostname" "uptime" "id" "date" "df -h /" "free -m" "ls /etc/ssh" "uname -r"
  "ip -br addr" "cat /etc/os-release" "tail -5 /etc/passwd" "ps -eo pid,comm | head -8"
  "grep -c '' /etc/services" "ls -l /var/log | head -12" "stat /etc/hosts" "echo \$PATH"
  "cd /etc && ls | wc -l" "cat /etc/resolv.conf" "whoami" "ls -la /etc | head -30"
  "df -h" "env | grep -i ^lang" "ls /usr/share | head -20" "cd && pwd"
)

workload_typing() {  # representative: human speed, think time, short outputs, ~3 minutes
  local term end i=0
  RANDOM=5
  term=$(terminal)
  sleep 1; focus "$term"
  end=$(( $(date +%s) + $1 + 1 ))
  while [ "$(date +%s)" -lt "$end" ]; do
    type_human "${admin_commands[$(( i % ${#admin_commands[@]} ))]}"
    i=$(( i + 1 ))
    pause_ms 2000 6000  # reading the output, thinking
  done
  stop "$term"
}

workload_typing-heavy() {  # stress: 9 keys/s, 2 s pauses, 25-60 line outputs
  local term end i=0
  term=$(terminal)
  sleep 1; focus "$term"
  end=$(( $(date +%s) + $1 + 1 ))
  local cmds=("uname -a" "df -h" "ls -la /etc | head -40" "ps aux --sort=-%mem | head -25"
              "cat /etc/services | head -60" "ip addr" "free -m" "systemctl --version"
              "grep -c processor /proc/cpuinfo" "tail -30 /etc/passwd" "du -sh /usr/share/* | sort -h | tail -15")
  while [ "$(date +%s)" -lt "$end" ]; do
    xdotool type --delay 110 "${cmds[$(( i % ${#cmds[@]} ))]}"; xdotool key Return
    i=$(( i + 1 ))
    sleep 2
  done
  stop "$term"
}

workload_windows() {  # opening, moving and closing windows, scrolling long text
  local end a b wid
  end=$(( $(date +%s) + $1 + 1 ))
  while [ "$(date +%s)" -lt "$end" ]; do
    a=$(start xterm -geometry 100x45+100+80 -fa Monospace -fs 11 -e less /usr/share/common-licenses/GPL-3)
    sleep 1; focus "$a"
    for _ in 1 2 3 4 5 6; do xdotool key Next; sleep 0.4; done
    for _ in $(seq 20); do xdotool key Down; sleep 0.05; done
    b=$(start xterm -geometry 80x24+900+300 -fa Monospace -fs 11 -e top -d 1)
    sleep 1
    wid=$(xdotool search --sync --pid "$b" 2>/dev/null | head -1 || true)
    if [ -n "$wid" ]; then
      for x in 850 750 650 550 450 350; do xdotool windowmove "$wid" "$x" 250; sleep 0.15; done
    fi
    sleep 2
    stop "$b"; sleep 0.5; stop "$a"; sleep 1
  done
}

for w in "${workloads[@]}"; do
  declare -F "workload_$w" >/dev/null || { echo "unknown workload $w" >&2; exit 2; }
  [ -s "$out/$w.mkv" ] && { echo "$w: kept $out/$w.mkv"; continue; }
  var="SECONDS_${w//-/_}"
  secs=${!var:-${length[$w]}}
  exec 3>"$work/display"
  Xvfb -displayfd 3 -screen 0 1920x1080x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
  xvfb=$!
  pids+=("$xvfb")
  for _ in $(seq 50); do [ -s "$work/display" ] && break; sleep 0.1; done
  export DISPLAY=":$(head -1 "$work/display")"
  exec 3>&-
  "workload_$w" "$secs" &
  driver=$!
  ffmpeg -nostdin -loglevel error -f x11grab -draw_mouse 0 -framerate 20 -video_size 1920x1080 \
    -i "$DISPLAY" -t "$secs" -c:v libx264rgb -preset ultrafast -qp 0 -threads 1 \
    -y "$out/$w.mkv.tmp.mkv"
  wait "$driver" || true
  mv "$out/$w.mkv.tmp.mkv" "$out/$w.mkv"
  stop "$xvfb"
  : >"$work/display"
  echo "$w: $secs s -> $out/$w.mkv ($(du -h "$out/$w.mkv" | cut -f1))"
done
