#!/usr/bin/env bash
# Regenerates Sources/PayoutFormats/BuiltinFormats.swift from config/formats/*.toml.
exec "$(dirname "$0")/embed-profiles.sh" formats
