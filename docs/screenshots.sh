#!/usr/bin/env bash
# Rebuild the screenshots in docs/ from a checkout (needs xvfb; see /work/shared/tools/screenshot
# or any script that starts the app on a virtual screen and grabs it):
#   docs/screenshots.sh [SCREENSHOT-TOOL]
# 1. the demo case (a new desk gets it: docs/screenshot.png), 2. a case at the coast with stranding (an EPIRB off
# the Norwegian coast, a life raft, an onshore gale, three units, one search), 3. the same case
# in the night palette. Desks and settings live in a temporary folder, never the user's.
set -eu
shot=${1:-../shared/tools/screenshot}
tmp=$(mktemp -d)
export XDG_DATA_HOME=$tmp/data XDG_CONFIG_HOME=$tmp/cfg SARAPP_OPERATOR="Watch officer"
cli() { .venv/bin/python -m sarapp.cli --db "$tmp/coast.sqlite" "$@"; }
dtg() { date -u -d "$1" +%d%H%MZ\ %b\ %y | tr a-z A-Z; }

"$shot" docs/screenshot.png 14 -- .venv/bin/python main.py --db "$tmp/demo.sqlite"

cli case new --title "EPIRB off Stad: life raft, 4 POB" --nature "EPIRB alert, abandoned ship" \
  --pob 4 --vessel "FV Havbris" --phase DETRESFA --position "61 42.0N 004 42.0E" \
  --time "$(dtg '3 hours ago')" --source encoded --accuracy-m 120 >/dev/null
case=$(cli case list --json | .venv/bin/python -c "import json,sys; print(json.load(sys.stdin)[0]['number'])")
cli drift run --case "$case" --object AVIATION-1 --hours 12 --wind-from 270 --wind-kn 25 \
  --current-to 090 --current-kn 0.3 --particles 20000 --seed 2026 >/dev/null
cli unit add --type helicopter --speed-kt 130 --endurance-h 3 "Rescue 330" >/dev/null
cli unit add --type lifeboat --speed-kt 25 --endurance-h 10 "RS Kristian" >/dev/null
cli unit add --type patrol_vessel --speed-kt 18 --endurance-h 48 "KV Sortland" >/dev/null
cli unit position "Rescue 330" "61 46.0N 004 58.0E" --time "$(dtg '10 minutes ago')" --heading 250 >/dev/null
cli unit position "RS Kristian" "61 38.5N 004 55.0E" --time "$(dtg '15 minutes ago')" --heading 300 >/dev/null
cli unit position "KV Sortland" "61 50.0N 004 20.0E" --time "$(dtg '20 minutes ago')" --heading 120 >/dev/null
cli plan task "$case" expanding-square --unit "RS Kristian" --csp 61.72,4.80 --course 0 \
  --spacing-nm 0.5 --legs 10 --start "$(dtg '30 minutes ago')" --end "$(dtg '3 hours')" >/dev/null
"$shot" docs/screenshot-coast.png 18 -- .venv/bin/python main.py --db "$tmp/coast.sqlite"

mkdir -p "$XDG_CONFIG_HOME/sarapp"
printf '[view]\nnight=true\n' >>"$XDG_CONFIG_HOME/sarapp/sarapp.conf"
"$shot" docs/screenshot-night.png 18 -- .venv/bin/python main.py --db "$tmp/coast.sqlite"
rm -rf "$tmp"
