#!/usr/bin/env bash
# Writes payoutmon's shell completions (bash, zsh, fish) and its man page into OUT
# (default .build/completions), both made by swift-argument-parser from the commands'
# own definitions: `payoutmon --generate-completion-script SHELL` and the package's
# `generate-manual` tool. Fails if any of them cannot be made. Needs a built payoutmon
# (`swift build`); PAYOUTMON_BIN names another binary.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-.build/completions}"
bin="${PAYOUTMON_BIN:-$(swift build --show-bin-path)/payoutmon}"
mkdir -p "$out"

for shell in bash zsh fish; do
  file="$out/payoutmon.$shell"
  "$bin" --generate-completion-script "$shell" > "$file"
  # A script that does not name the subcommands is no completion script.
  for sub in import status note watch; do
    grep -q "$sub" "$file" || { echo "completions.sh: $file does not complete '$sub'" >&2; exit 1; }
  done
  echo "wrote $file"
done

# The man page: swift-argument-parser's generate-manual tool (what its generate-manual
# plugin runs) reads the program's --experimental-dump-help. The tool is built and run
# directly: `swift package plugin generate-manual --product payoutmon` failed here with
# the tool's usage error (exit 64).
swift build --product generate-manual >/dev/null
"$(swift build --show-bin-path)/generate-manual" "$bin" --output-directory "$out"
if ! grep -q '^\.Sh' "$out/payoutmon.1" 2>/dev/null; then
  echo "completions.sh: generate-manual wrote no man page for payoutmon" >&2
  exit 1
fi
echo "wrote $out/payoutmon.1"
