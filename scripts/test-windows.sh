#!/usr/bin/env bash
# test-windows.sh [extra `cargo test` args...] -- builds the workspace (or the packages selected
# with -p / --exclude) for x86_64-pc-windows-gnu and runs `cargo test` with every test binary
# (unit, integration, doctest, and the exes they spawn) executed under Wine. Exits non-zero on
# any failure. Runs scripts/windows-setup.sh first (idempotent, < 1 s when already set up).
#
# TLS fixture: starts the pyv-testserver bin natively (it serves from the Linux side; Wine
# shares the host's loopback), installs its root CA in the prefix's CurrentUser ROOT store and
# caches its CRLs (see windows-setup.sh, trust-ca.exe), then exports to the tests every
# PYV_TS_* variable the bin prints, plus these (each serving `index.txt` =
# "hello-from-tls-server\n"; `localhost`, not 127.0.0.1: Wine does not match IP SANs):
#   PYV_WINE_TLS_OK_URL         good chain                  -> must succeed
#   PYV_WINE_TLS_EXPIRED_URL    expired leaf                -> CERT_E_EXPIRED (0x800B0101)
#   PYV_WINE_TLS_UNTRUSTED_URL  self-signed leaf            -> CERT_E_UNTRUSTEDROOT (0x800B0109)
#   PYV_WINE_TLS_CA             the root CA (PEM, Windows path), already trusted in the prefix
#   PYV_WINE_TLS_CRL_URLS       the CRLs (space-separated), already in Wine's URL cache
# PYV_WINE_NO_TLS_FIXTURE=1 skips the fixture (the TLS tests then print SKIP).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WT="${PYV_WINE_TOOLS:-$ROOT/target/wine-tools}"
export WINEPREFIX="${WINEPREFIX:-$ROOT/target/wine-prefix}"
export WINEDEBUG=-all
TARGET=x86_64-pc-windows-gnu
log() { echo "[test-windows] $*"; }
die() { echo "[test-windows] error: $*" >&2; exit 1; }

bash "$ROOT/scripts/windows-setup.sh"
# One run per Wine prefix: a second one would share (and at its exit stop) this wineserver.
exec 8>"$WINEPREFIX.lock"
flock -n 8 || die "another test-windows.sh is using $WINEPREFIX; wait for it, or set WINEPREFIX"
[ -f "$WT/env.sh" ] || die "$WT/env.sh missing after setup"

SRV=""
cleanup() {
  [ -n "$SRV" ] && kill "$SRV" 2>/dev/null || true
  # Stops only this prefix's wineserver and the Wine services it runs.
  wineserver -k </dev/null >/dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Wine's background services (winedevice.exe, ...) inherit the stdio of whichever wine process
# starts them and keep those pipes open: a later pipe (our `tee`, rustdoc capturing a doctest)
# would then never see EOF and hang. So start wineserver (persistent: saves ~0.4 s per process)
# and boot the services first, detached, with stdio on /dev/null.
wineserver -p </dev/null >/dev/null 2>&1 || die "wineserver -p failed"
wine cmd /c exit </dev/null >/dev/null 2>&1 || die "wine cannot start a process in $WINEPREFIX"
# Wine gives every process the user variables in HKCU\Environment: a killed `self install`
# test could have left pyv's there, which would change what other tests see.
for v in PYENV PYENV_ROOT PYENV_HOME; do
  wine reg delete 'HKCU\Environment' /v "$v" /f </dev/null >/dev/null 2>&1 || true
done

# --- Loopback TLS fixture -------------------------------------------------------------------
# The project's pyv-testserver bin, built and run NATIVELY (it serves from the Linux side; Wine
# processes share the host's loopback). Built with the caller's toolchain and target dir, so
# in CI it reuses the native stage's build; env.sh's variables are explicitly kept out.
start_tls_fixture() {
  local fx="$WT/testserver" bin vars
  log "building pyv-testserver (native)"
  # The same command as .ci/run's native stage, so there it is a no-op (a -p build could pick
  # other feature sets and rebuild deps). The exe's path comes from cargo itself, whatever
  # target dir the caller configured.
  bin=$(
    unset RUSTC RUSTDOC RUSTC_BOOTSTRAP CARGO_UNSTABLE_BUILD_STD CARGO_BUILD_TARGET
    cd "$ROOT"
    cargo build -q --workspace --bins --message-format=json-render-diagnostics </dev/null |
      sed -n 's/.*"executable":"\([^"]*pyv-testserver\)".*/\1/p' | tail -n 1
    exit "${PIPESTATUS[0]}"
  ) || die "native build of pyv-testserver failed"
  [ -n "$bin" ] && [ -x "$bin" ] || die "cargo did not report the pyv-testserver executable"

  mkdir -p "$fx/www" "$fx/pki"
  printf 'hello-from-tls-server\n' >"$fx/www/index.txt"
  rm -f "$fx/vars" "$fx/stdin"
  mkfifo "$fx/stdin"
  # It runs until its stdin closes: fd 3 holds the fifo open until this script exits.
  "$bin" --dir "$fx/www" --out "$fx/pki" <"$fx/stdin" >"$fx/vars" 2>"$fx/log" &
  SRV=$!
  exec 3>"$fx/stdin"
  for _ in $(seq 300); do
    grep -qx READY "$fx/vars" 2>/dev/null && break
    kill -0 "$SRV" 2>/dev/null || die "pyv-testserver exited: $(cat "$fx/log")"
    sleep 0.1
  done
  grep -qx READY "$fx/vars" || die "pyv-testserver did not print READY within 30 s"
  vars=$(grep -E '^PYV_TS_[A-Z_]+=' "$fx/vars") || die "pyv-testserver printed no variables"
  # Every PYV_TS_* line goes to the tests as is (origins; PYV_TS_CA is a Linux path).
  while IFS='=' read -r k v; do export "$k=$v"; done <<<"$vars"
  : "${PYV_TS_HTTPS_URL:?}" "${PYV_TS_EXPIRED_URL:?}" "${PYV_TS_SELF_SIGNED_URL:?}" "${PYV_TS_CA:?}" "${PYV_TS_CRL_URLS:?}"

  # Trust the root inside the prefix and put both CRLs (root's and intermediate's) in Wine's
  # URL cache: Wine's SChannel checks revocation along the chain from the cache only.
  local ca_win
  ca_win=$(winepath -w "$PYV_TS_CA" 2>/dev/null) || die "winepath failed"
  # shellcheck disable=SC2086  # PYV_TS_CRL_URLS is a space-separated list
  wine "$WT/bin/trust-ca.exe" "$ca_win" $PYV_TS_CRL_URLS </dev/null 3>&- || die "trust-ca.exe failed (CA or CRL)"

  export PYV_WINE_TLS_CA="$ca_win" PYV_WINE_TLS_CRL_URLS="$PYV_TS_CRL_URLS"
  # The served folder (read per request): install tests lay out a python.org-shaped mirror in it.
  PYV_WINE_TLS_WWW=$(winepath -w "$fx/www" 2>/dev/null) || die "winepath failed"
  export PYV_WINE_TLS_WWW
  export PYV_WINE_TLS_OK_URL="$PYV_TS_HTTPS_URL/index.txt"
  export PYV_WINE_TLS_EXPIRED_URL="$PYV_TS_EXPIRED_URL/index.txt"
  export PYV_WINE_TLS_UNTRUSTED_URL="$PYV_TS_SELF_SIGNED_URL/index.txt"
  log "TLS fixture: ok=$PYV_WINE_TLS_OK_URL expired=$PYV_WINE_TLS_EXPIRED_URL untrusted=$PYV_WINE_TLS_UNTRUSTED_URL"
}
[ "${PYV_WINE_NO_TLS_FIXTURE:-}" = 1 ] || start_tls_fixture

# --- A tiny MSI (one python.exe) for pyv's `msiexec /a` install path ------------------------
build_test_msi() {
  local d="$WT/msi"
  mkdir -p "$d"
  printf 'not a real python\r\n' >"$d/python.exe"
  cat >"$d/pyvtest.wxs" <<'WXS'
<?xml version="1.0" encoding="utf-8"?>
<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">
  <Product Id="*" Name="pyv test Python" Language="1033" Version="3.4.99" Manufacturer="pyv tests"
           UpgradeCode="6b1e1b42-3a9c-4d0e-9a55-6a0c2f3d1e99">
    <Package InstallerVersion="200" Compressed="yes" InstallScope="perUser"/>
    <Media Id="1" Cabinet="p.cab" EmbedCab="yes"/>
    <Directory Id="TARGETDIR" Name="SourceDir">
      <Component Id="Core" Guid="0c7b5f0e-8a51-4a8e-9f0e-2a3c4d5e6f70">
        <File Id="python" Source="python.exe" Name="python.exe"/>
      </Component>
    </Directory>
    <Feature Id="Main" Level="1"><ComponentRef Id="Core"/></Feature>
  </Product>
</Wix>
WXS
  (cd "$d" && wixl -o pyvtest.msi pyvtest.wxs) || die "wixl could not build the test MSI"
  PYV_WINE_TEST_MSI=$(winepath -w "$d/pyvtest.msi" 2>/dev/null) || die "winepath failed"
  export PYV_WINE_TEST_MSI
}
build_test_msi

# --- Build + test ------------------------------------------------------------------------------
# The subshell keeps env.sh's RUSTC/RUSTDOC/build-std away from anything native this script (or
# its caller) runs. The bins are built first because the end-to-end tests (tests/) run
# target/<triple>/debug/pyv.exe and pyv-shim.exe, which `cargo test` alone does not build.
LOG="$WT/cargo-test.log"
t0=$(date +%s)
set +e
(
  exec 3>&- # the fixture's stdin: only this script may hold it open
  # shellcheck disable=SC1091
  source "$WT/env.sh"
  # insta (tests/) looks for the workspace by running `cargo metadata`, a Linux program that
  # Wine cannot start; and a failing Windows run must not leave .snap.new files that look
  # like native results.
  export INSTA_WORKSPACE_ROOT="$ROOT" INSTA_UPDATE=no
  # Tests print `SKIP: <why>` where Wine cannot do a thing (junctions, msiexec /a); libtest
  # hides a passing test's output unless told not to, and those lines must be seen.
  export RUST_TEST_NOCAPTURE=1
  cd "$ROOT"
  # The package selection (-p/--package/--exclude) applies to the bins build as well.
  # pyv-testserver is the Linux-side fixture (empty on Windows by design; started natively
  # above), so the whole-workspace run leaves it out.
  scope=(--workspace --exclude pyv-testserver)
  sel=()
  prev=""
  for a in "$@"; do
    case "$prev" in -p | --package | --exclude) sel+=("$prev" "$a") ;; esac
    case "$a" in -p?* | --package=* | --exclude=*) sel+=("$a") ;; esac
    case "$a" in -p | --package | -p?* | --package=*) scope=() ;; esac
    prev="$a"
  done
  # The end-to-end tests run pyv.exe and pyv-shim.exe: build them for any selection.
  [ ${#sel[@]} -eq 0 ] || sel+=(-p pyv -p pyv-shim)
  cargo build "${scope[@]}" "${sel[@]}" --bins --target "$TARGET" || exit
  cargo test "${scope[@]}" --target "$TARGET" --no-fail-fast "$@"
) 2>&1 </dev/null | tee "$LOG"
rc=${PIPESTATUS[0]}
set -e
secs=$(($(date +%s) - t0))

# One closing line over every test binary (cargo prints one `test result:` line each).
awk '/^SKIP: / { k++ }
     /^test result:/ {
       for (i = 1; i <= NF; i++) {
         if ($(i) ~ /^passed;?$/)  p += $(i-1)
         if ($(i) ~ /^failed;?$/)  f += $(i-1)
         if ($(i) ~ /^ignored;?$/) g += $(i-1)
       }
       n++
     }
     END { printf "[test-windows] %d test binaries under Wine in '"$secs"'s (build + run)\n", n
           printf "wine: %d passed, %d failed, %d skipped (%d SKIP: lines, %d ignored)\n", p, f, k + g, k, g }' "$LOG"
[ "$rc" = 0 ] || die "cargo test --target $TARGET failed (exit $rc); log: $LOG"
