#!/usr/bin/env bash
# Makes the README's pictures: runs the real payoutmon demo in xterm under Xvfb with a
# CJK font, presses keys, and saves PNGs to screenshots/.
#
# Needs: xvfb xterm xdotool fonts-wqy-zenhei fonts-dejavu-core imagemagick x11-apps (installed if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

need=()
for pkg in xvfb xterm xdotool fonts-wqy-zenhei fonts-dejavu-core imagemagick x11-apps; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

swift build --product payoutmon >/dev/null
bin="$root/.build/debug/payoutmon"

work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
export XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config" HOME="$work"
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME"

display=:97
Xvfb "$display" -screen 0 1600x1000x24 >/dev/null 2>&1 &
sleep 1
export DISPLAY=$display

# One xterm per picture, so each starts from a known screen.
shot() { # name lang keys...
  local name=$1 lang=$2; shift 2
  local title="payoutmon-$name"
  LANG=C.UTF-8 xterm -T "$title" -geometry 140x42+0+0 -fa "DejaVu Sans Mono" -fd "WenQuanYi Zen Hei Mono" -fs 11 \
    -xrm 'XTerm*allowSendEvents: true' \
    -bg '#1d1f21' -fg '#d0d0d0' -e env TERM=xterm-256color "$bin" --demo --lang "$lang" &
  local pid=$!
  local wid=""
  for _ in $(seq 1 100); do
    wid=$(xdotool search --name "^$title\$" 2>/dev/null | head -1 || true)
    [ -n "$wid" ] && break
    sleep 0.1
  done
  # Wait for the first frame: the demo store is written before the monitor opens.
  sleep 12
  for k in "$@"; do
    xdotool key --window "$wid" "$k"
    sleep 0.4
  done
  sleep 1.5
  import -window "$wid" "$root/screenshots/$name.png"
  xdotool key --window "$wid" ctrl+c || true
  sleep 0.5
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  echo "screenshots/$name.png"
}

mkdir -p screenshots
shot overview en
# The drill-down of the Class II story: filter on its RRN, open it.
shot drilldown-short-payout en slash 8 8 0 0 0 0 0 0 0 2 0 1 Return Return
shot help en question
shot chinese zh-Hans
# The cash-flow calendar on October 2026 (National Day, the 10-10 make-up working day,
# story 4's payout on 10-08): it opens on today, so step back to October, then to the 8th.
months=$(( ($(date +%Y) * 12 + 10#$(date +%m)) - (2026 * 12 + 10) ))
day=$(( 10#$(date +%d) ))
calendar_keys=(c)
for _ in $(seq 1 $(( months > 0 ? months : -months ))); do calendar_keys+=( "$([ "$months" -gt 0 ] && echo Prior || echo Next)" ); done
[ "$day" -gt 31 ] && day=31
for _ in $(seq 1 $(( day > 8 ? day - 8 : 8 - day ))); do calendar_keys+=( "$([ "$day" -gt 8 ] && echo h || echo l)" ); done
shot calendar en "${calendar_keys[@]}"
shot calendar-chinese zh-Hans "${calendar_keys[@]}"
