#!/bin/sh
# A payoutmon alert posted to a webhook as JSON. payoutmon gives the alert as one JSON
# object (payoutmon.alert/1, docs/cli.md) on standard input; curl posts it as it is. In
# the config:
#
#   [alerts]
#   commands = ["PAYOUTMON_WEBHOOK_URL=https://hooks.example.com/payouts /path/to/payoutmon/config/alerts/webhook.sh"]
#
# curl fails (non-zero exit) on an HTTP error or after 20 seconds, so payoutmon retries
# the alert ([alerts] retries) and reports it if the webhook stays down.
set -eu
: "${PAYOUTMON_WEBHOOK_URL:?set PAYOUTMON_WEBHOOK_URL to the webhook address}"
exec curl --silent --show-error --fail --max-time 20 \
    --header 'Content-Type: application/json' --data-binary @- "$PAYOUTMON_WEBHOOK_URL"
