#!/usr/bin/env bash
# Builds pyv in release mode, installs `pyv` and `pyv-shim` into a bin folder (default
# ~/.local/bin), then shows what pyv sees in the root (PYENV_ROOT, else ~/.pyenv).
# Usage: scripts/install.sh [BIN_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
dest="${1:-$HOME/.local/bin}"
. scripts/release-build.sh
release_build --locked
mkdir -p "$dest"
for b in pyv pyv-shim; do
  # Install by rename so a running copy is never overwritten in place.
  cp target/release/$b "$dest/.$b.new" && mv -f "$dest/.$b.new" "$dest/$b"
done
echo "installed pyv and pyv-shim into $dest"
"$dest/pyv" --version
echo "root: $("$dest/pyv" root)"
"$dest/pyv" versions || true
