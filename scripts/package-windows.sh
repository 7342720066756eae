#!/usr/bin/env bash
# package-windows.sh -- builds pyv.exe and pyv-shim.exe for x86_64-pc-windows-gnu (release
# profile, with the toolchain scripts/windows-setup.sh sets up) and writes the release files
# install.ps1 downloads:
#   target/dist/pyv-<version>-x86_64-pc-windows-gnu.zip         pyv.exe + pyv-shim.exe, at the top
#   target/dist/pyv-<version>-x86_64-pc-windows-gnu.zip.sha256  `sha256sum` format
#   target/dist/latest-version.txt                              <version> (for install.ps1's "latest")
# Upload all three to the release v<version> (install.ps1: <base>/download/v<version>/<zip>,
# <base>/latest/download/latest-version.txt). <version> is the workspace Cargo.toml's.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WT="${PYV_WINE_TOOLS:-$ROOT/target/wine-tools}"
TARGET=x86_64-pc-windows-gnu
DIST="$ROOT/target/dist"
die() { echo "[package-windows] error: $*" >&2; exit 1; }

VERSION=$(sed -n '/^\[workspace.package\]/,/^\[/ s/^version *= *"\([^"]*\)".*/\1/p' "$ROOT/Cargo.toml" | head -n1)
[ -n "$VERSION" ] || die "no version in [workspace.package] of $ROOT/Cargo.toml"
command -v zip >/dev/null || die "zip missing (apt-get install zip)"

bash "$ROOT/scripts/windows-setup.sh"
[ -f "$WT/env.sh" ] || die "$WT/env.sh missing after setup"
OUT=$(
  # shellcheck disable=SC1091
  source "$WT/env.sh"
  cd "$ROOT"
  cargo build --release --target "$TARGET" -p pyv -p pyv-shim --bins >&2 || exit 1
  echo "$CARGO_TARGET_DIR/$TARGET/release"
) || die "release build failed"

NAME="pyv-${VERSION}-${TARGET}.zip"
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
for exe in pyv.exe pyv-shim.exe; do
  [ -f "$OUT/$exe" ] || die "$OUT/$exe missing after the build"
  cp "$OUT/$exe" "$STAGE/"
done
mkdir -p "$DIST"
# Written beside, renamed into place: a half-written zip is never left under its name.
rm -f "$DIST/.$NAME.tmp"
(cd "$STAGE" && zip -q -X -9 "$DIST/.$NAME.tmp" pyv.exe pyv-shim.exe)
mv -f "$DIST/.$NAME.tmp" "$DIST/$NAME"
(cd "$DIST" && sha256sum "$NAME" >"$NAME.sha256.tmp" && mv -f "$NAME.sha256.tmp" "$NAME.sha256")
printf '%s\n' "$VERSION" >"$DIST/latest-version.txt"
echo "[package-windows] $DIST/$NAME ($(du -h "$DIST/$NAME" | cut -f1)), $NAME.sha256, latest-version.txt"
