#!/usr/bin/env bash
# Writes payoutmon's shell completions (bash, zsh, fish) and its man page into OUT
# (default .build/completions), both made by swift-argument-parser from the commands'
# own definitions: `payoutmon --generate-completion-script SHELL` and the package's
# `generate-manual` plugin. Fails if any of them cannot be made. Needs a built payoutmon
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

# The plugin builds the program and runs it with --experimental-dump-help.
swift package plugin --allow-writing-to-package-directory generate-manual --product payoutmon >/dev/null
page=$(find .build/plugins/GenerateManual/outputs -name 'payoutmon.1' -newer "$out/payoutmon.bash" 2>/dev/null | head -1)
if [ -z "$page" ] || ! grep -q '^\.Sh' "$page"; then
  echo "completions.sh: generate-manual wrote no man page for payoutmon" >&2
  exit 1
fi
cp "$page" "$out/payoutmon.1"
echo "wrote $out/payoutmon.1"
