#!/usr/bin/env bash
# Installs every build, runtime and test dependency of rdpwarden from Debian 12's archive,
# plus playwright-core from npm (pinned by tests/support/browser/package-lock.json).
# Non-interactive and idempotent; a no-op in a few seconds when everything is present.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)

build_pkgs=(
  build-essential cmake pkg-config clang-format git
  freerdp2-dev libwinpr2-dev
  libavcodec-dev libavformat-dev libavutil-dev libswscale-dev libx264-dev
  libssl-dev libpq-dev libboost1.74-dev
  libfmt-dev catch2 nlohmann-json3-dev libtomlplusplus-dev libcli11-dev
  libxkbcommon-dev xkb-data libfreetype-dev fonts-dejavu-core
  libx11-dev libxtst-dev
  libpng-dev zlib1g-dev
)
runtime_pkgs=(
  postgresql-15 openssl ca-certificates
  # the demo target: an Xvfb desktop served by FreeRDP's shadow server
  xvfb xauth xterm x11-apps freerdp2-shadow-x11 winpr-utils
)
test_pkgs=(
  freerdp2-x11 xdotool imagemagick x11-utils
  xrdp xorgxrdp
  ffmpeg chromium procps iproute2 psmisc python3
)

want=("${build_pkgs[@]}" "${runtime_pkgs[@]}" "${test_pkgs[@]}")
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$p")
done
# node + npm only drive the browser tests; use the machine's node when present.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${#missing[@]} package(s): ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # xrdp's and postgresql's packaging may start daemons on systems with an init; the tests
  # run their own private instances, so stop any system copy that a postinst started.
else
  echo "install-deps: all Debian packages present"
fi

# The unprivileged account that runs the embedded PostgreSQL cluster when we are root
# (initdb and postgres refuse to run as root).
if [ "$(id -u)" -eq 0 ] && ! id rdpwarden >/dev/null 2>&1; then
  useradd --system --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin rdpwarden
fi

# playwright-core for the browser tests, pinned by the lockfile; reinstalled only when it changed.
browser="$root/tests/support/browser"
if [ -f "$browser/package-lock.json" ]; then
  stamp="$browser/node_modules/.rdpwarden-lock"
  if ! cmp -s "$browser/package-lock.json" "$stamp" 2>/dev/null; then
    (cd "$browser" && npm ci --no-audit --no-fund --silent)
    cp "$browser/package-lock.json" "$stamp"
  fi
fi
echo "install-deps: done"
