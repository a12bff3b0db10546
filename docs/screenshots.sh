#!/usr/bin/env bash
# Rebuild the screenshots in docs/ from a checkout (needs xvfb; see /work/shared/tools/screenshot
# or any script that starts the app on a virtual screen and grabs it):
#   docs/screenshots.sh [SCREENSHOT-TOOL]
# 1. the demo case (a new desk gets it: docs/screenshot.png), 2. a case at the coast with stranding (an EPIRB off
# the Norwegian coast, a life raft, an onshore gale, three units, one search), 3. the same case
# in the night palette, 4. the Persons tab of a mass rescue (60 on a rubber boat: counts,
# a CSV of the persons recovered, statuses, a place of safety assigned). Desks and settings
# live in a temporary folder, never the user's.
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
# 4. A mass rescue: counted first, names later from the rescue unit's list (CSV), some found
# dead or medevac'd, the place of safety assigned; the app opens on the Persons tab.
boat() { .venv/bin/python -m sarapp.cli --db "$tmp/boat.sqlite" "$@"; }
boat case new --title "Rubber boat, about 60 POB, taking water" --nature "sinking, overcrowded" \
  --pob 60 --phase DETRESFA --position "35 42.0N 012 35.0E" --time "$(dtg '5 hours ago')" >/dev/null
boat persons counts 2026-0001 --on-board 60 --rescued 54 --missing 6 --women 11 --minors 9 >/dev/null
.venv/bin/python - "$tmp/persons.csv" <<'PY'
import csv, sys
names = ["Amadou Touré", "Aïcha Bello", "Kwame Boateng", "Fatoumata Keita", "Ibrahim Sow",
         "Mariam Diarra", "Yaw Mensah", "Awa Ndiaye", "Samuel Okafor", "Hawa Camara",
         "Moussa Traoré", "Binta Barry", "Kofi Asante", "Nafissatou Diop", "Ousmane Cissé",
         "Adjoa Owusu", "Lamine Fofana", "Salimata Koné", "man, red jacket", "boy, about 10"]
with open(sys.argv[1], "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["name", "age", "sex", "nationality", "status", "unit", "taken_to", "note"])
    for i, name in enumerate(names):
        status = "dead" if i == 12 else "medevac" if i in (3, 9) else "missing" if i == 18 else "rescued"
        sex = "F" if name.split()[0] in ("Aïcha", "Fatoumata", "Mariam", "Awa", "Hawa", "Binta",
                                        "Nafissatou", "Adjoa", "Salimata") else "M"
        age = "10" if "boy" in name else "" if "man," in name else str(19 + (i * 7) % 30)
        taken = "Lampedusa clinic" if status == "medevac" else "" if status != "rescued" else "CP 301"
        note = "pregnant" if i == 5 else "hypothermia" if i == 9 else ""
        w.writerow([name, age, sex, "" if "," in name else ["ML", "GN", "GH", "SN", "CI"][i % 5],
                    status, "Helo 15-01" if status == "medevac" else "CP 301", taken, note])
PY
boat persons import 2026-0001 "$tmp/persons.csv" >/dev/null
# of the 54 counted as rescued, one was found dead and two were medevac'd: counts settled
boat persons counts 2026-0001 --rescued 51 >/dev/null
boat case disembark 2026-0001 --requested Lampedusa --requested-at "$(dtg '2 hours ago')" \
  --assigned Pozzallo --authority "IMRCC Rome" --assigned-at "$(dtg '1 hour ago')" \
  --unit "CP 301" --eta "$(dtg '6 hours')" >/dev/null
export XDG_CONFIG_HOME=$tmp/cfg-persons
mkdir -p "$XDG_CONFIG_HOME/sarapp"
printf '[view]\ncase_tab=3\n' >"$XDG_CONFIG_HOME/sarapp/sarapp.conf"
"$shot" docs/screenshot-persons.png 14 -- .venv/bin/python main.py --db "$tmp/boat.sqlite"
rm -rf "$tmp"
