#!/bin/sh
# A payoutmon alert as a desktop notification. payoutmon gives the alert as one JSON
# object (payoutmon.alert/1, docs/cli.md) on standard input. In the config:
#
#   [alerts]
#   commands = ["/path/to/payoutmon/config/alerts/notify-send.sh"]
#
# Needs notify-send (libnotify-bin) and jq. A recovery is a normal notification, anything
# else a critical one. Text from the reports (shop names) is report text: control and
# bidi characters are dropped and the body's markup characters escaped.
set -eu
alert=$(cat)
field() {
    printf '%s' "$alert" | jq -r "$1"' | gsub("[[:cntrl:]\u202a-\u202e\u2066-\u2069]"; "")
        | gsub("&"; "&amp;") | gsub("<"; "&lt;") | gsub(">"; "&gt;")'
}
kind=$(field '.kind')
summary=$(field '"payoutmon: " + .kind + " " + .subject + " " + (.payoutRef // .rrn // .merchantId)')
body=$(field '[.shop, ((.expected // "") + " " + (.currency // "")), .evidence]
    | map(select(. != null and . != " " and . != "")) | join("\n")')
urgency=critical
[ "$kind" = recovered ] && urgency=normal
exec notify-send --app-name=payoutmon --urgency="$urgency" -- "$summary" "$body"
