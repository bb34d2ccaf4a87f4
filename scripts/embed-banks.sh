#!/usr/bin/env bash
# Regenerates Sources/PayoutFormats/Bank/BuiltinBanks.swift from config/banks/*.toml.
exec "$(dirname "$0")/embed-profiles.sh" banks
