#!/usr/bin/env bash
# windows-setup.sh -- idempotent setup for cross-compiling pyv to x86_64-pc-windows-gnu on
# Debian 12 (bookworm) and running the results under Wine. Safe to run on every CI run: a
# second run only checks and takes well under a second.
#
# Needs root and the Debian + crates.io registries (build-std fetches std's own dependencies
# from crates.io). Nothing else is downloaded.
#
# Produces (all under target/, so `cargo clean` resets it and nothing lands outside the tree):
#   target/wine-tools/env.sh            source in a SUBSHELL before the cross `cargo` (sets RUSTC!)
#   target/wine-tools/wine-runner.sh    cargo runner: executes each .exe under Wine
#   target/wine-tools/bin/trust-ca.exe  adds a PEM CA to Wine's CurrentUser ROOT store, caches CRLs
#   target/wine-prefix                  64-bit Wine prefix with the bcryptprimitives.dll stub
# Overrides: PYV_WINE_TOOLS, WINEPREFIX.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WT="${PYV_WINE_TOOLS:-$ROOT/target/wine-tools}"
export WINEPREFIX="${WINEPREFIX:-$ROOT/target/wine-prefix}"
export WINEDEBUG=-all
t0=$(date +%s)
log() { echo "[windows-setup] $*"; }
die() { echo "[windows-setup] error: $*" >&2; exit 1; }
mkdir -p "$WT/bin" "$WT/src"

# 1. Debian packages. Why each one:
#   rustc-web            rustc/rustdoc 1.96 (/usr/bin): the only compiler whose std sources Debian
#                        ships, so build-std works (rustup's 1.95 + 1.96 sources fail to build core,
#                        and there is no prebuilt windows-gnu std for any compiler here)
#   rust-web-src         the matching std sources that -Zbuild-std compiles for windows-gnu
#   gcc-mingw-w64-x86-64 the windows-gnu linker, also builds the stub DLL and trust-ca.exe below
#   wine, wine64         runs the test binaries (Wine 8.0, 64-bit loader only)
#   wixl                 (msitools) builds the tiny MSI that tests pyv's `msiexec /a` install path
#   winbind              Samba's ntlm_auth, which Wine's SSPI runs for NTLM: without it the SSPI
#                        test of pyv's proxy authentication (pyv-windows sspi.rs) can only SKIP
PKGS="rustc-web rust-web-src gcc-mingw-w64-x86-64 wine wine64 wixl winbind"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
  [ "$(id -u)" = 0 ] || die "packages missing:$missing (run as root, or apt-get install them)"
  log "installing:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || die "apt-get update failed"
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing >/dev/null || die "apt-get install$missing failed"
fi

# 2. Check the toolchain pieces. /usr/bin/rustc is Debian's; plain `rustc` stays rustup's.
DEB_RUSTC=/usr/bin/rustc
DEB_RUSTDOC=/usr/bin/rustdoc
[ -x "$DEB_RUSTC" ] && [ -x "$DEB_RUSTDOC" ] || die "$DEB_RUSTC or $DEB_RUSTDOC missing (package rustc-web)"
"$DEB_RUSTC" --version | grep -q '^rustc 1\.\(9[6-9]\|[1-9][0-9][0-9]\)' ||
  die "unexpected $DEB_RUSTC: $("$DEB_RUSTC" --version)"
SRC="$("$DEB_RUSTC" --print sysroot)/lib/rustlib/src/rust/library"
[ -f "$SRC/std/Cargo.toml" ] || die "std sources missing at $SRC (package rust-web-src)"
command -v x86_64-w64-mingw32-gcc >/dev/null || die "x86_64-w64-mingw32-gcc missing (gcc-mingw-w64-x86-64)"
command -v wine >/dev/null || die "wine missing"
command -v wineserver >/dev/null || die "wineserver missing"
command -v cargo >/dev/null || die "cargo (rustup) missing"

# Writes stdin to $1 only when it differs, so mtimes (and the rebuild checks) stay put.
write_if_changed() {
  cat >"$1.new"
  if cmp -s "$1.new" "$1"; then rm -f "$1.new"; else mv -f "$1.new" "$1"; fi
}

# 3. bcryptprimitives.dll stub: Rust std >= 1.78 imports ProcessPrng from it and Wine 8.0 lacks
#    it, so every Rust exe fails to start (status c0000135) without this.
write_if_changed "$WT/src/bcryptprimitives.c" <<'EOF'
#include <windows.h>
#include <ntsecapi.h> /* RtlGenRandom == advapi32!SystemFunction036 */
BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!RtlGenRandom(data, chunk)) return FALSE;
        data += chunk; len -= chunk;
    }
    return TRUE;
}
BOOL WINAPI DllMain(HINSTANCE h, DWORD r, LPVOID p) { (void)h; (void)r; (void)p; return TRUE; }
EOF
printf 'LIBRARY bcryptprimitives.dll\nEXPORTS\n    ProcessPrng\n' | write_if_changed "$WT/src/bcryptprimitives.def"
if [ ! -f "$WT/bin/bcryptprimitives.dll" ] || [ "$WT/src/bcryptprimitives.c" -nt "$WT/bin/bcryptprimitives.dll" ] ||
  [ "$WT/src/bcryptprimitives.def" -nt "$WT/bin/bcryptprimitives.dll" ]; then
  log "building bcryptprimitives.dll stub"
  x86_64-w64-mingw32-gcc -O2 -s -shared -o "$WT/bin/bcryptprimitives.dll" \
    "$WT/src/bcryptprimitives.c" "$WT/src/bcryptprimitives.def" -ladvapi32
fi

# 4. trust-ca.exe: add a PEM CA to CurrentUser\ROOT and pre-fetch CRL URLs into Wine's URL cache.
#    Wine's SChannel checks revocation cache-only and, unlike Windows, fails with
#    CERT_E_REVOCATION_FAILURE when no CRL is cached; the CA must be in a Windows store.
write_if_changed "$WT/src/trust-ca.c" <<'EOF'
#include <windows.h>
#include <wincrypt.h>
#include <stdio.h>
int wmain(int argc, wchar_t **argv) {
    if (argc < 2) { fwprintf(stderr, L"usage: trust-ca CA.pem [CRL-URL...]\n"); return 2; }
    FILE *f = _wfopen(argv[1], L"rb"); if (!f) { fwprintf(stderr, L"cannot open %ls\n", argv[1]); return 1; }
    static char pem[65536]; size_t n = fread(pem, 1, sizeof pem - 1, f); fclose(f); pem[n] = 0;
    BYTE der[16384]; DWORD derlen = sizeof der;
    if (!CryptStringToBinaryA(pem, 0, CRYPT_STRING_BASE64HEADER, der, &derlen, NULL, NULL)) { fprintf(stderr, "bad PEM %lu\n", GetLastError()); return 1; }
    HCERTSTORE st = CertOpenStore(CERT_STORE_PROV_SYSTEM_W, 0, 0, CERT_SYSTEM_STORE_CURRENT_USER, L"ROOT");
    if (!st) { fprintf(stderr, "CertOpenStore %lu\n", GetLastError()); return 1; }
    if (!CertAddEncodedCertificateToStore(st, X509_ASN_ENCODING, der, derlen, CERT_STORE_ADD_REPLACE_EXISTING, NULL)) {
        fprintf(stderr, "CertAddEncodedCertificateToStore %lx\n", GetLastError()); return 1; }
    CertCloseStore(st, 0);
    printf("trust-ca: CA added to CurrentUser\\ROOT\n");
    for (int i = 2; i < argc; i++) {
        void *obj = NULL;
        if (!CryptRetrieveObjectByUrlW(argv[i], CONTEXT_OID_CRL, CRYPT_WIRE_ONLY_RETRIEVAL, 15000, &obj, NULL, NULL, NULL, NULL)) {
            fwprintf(stderr, L"CRL fetch failed for %ls: %lx\n", argv[i], GetLastError()); return 1; }
        CertFreeCRLContext((PCCRL_CONTEXT)obj);
        wprintf(L"trust-ca: cached CRL %ls\n", argv[i]);
    }
    return 0;
}
EOF
if [ ! -f "$WT/bin/trust-ca.exe" ] || [ "$WT/src/trust-ca.c" -nt "$WT/bin/trust-ca.exe" ]; then
  log "building trust-ca.exe"
  x86_64-w64-mingw32-gcc -O2 -s -municode -o "$WT/bin/trust-ca.exe" "$WT/src/trust-ca.c" -lcrypt32 -lcryptnet
fi

# 5. Wine prefix (64-bit only). A half-created prefix (interrupted wineboot) has no system.reg
#    and is rebuilt. All Wine stdio goes to /dev/null: the services wineboot starts keep
#    whatever pipes they inherit open (see test-windows.sh).
if [ ! -f "$WINEPREFIX/system.reg" ] || [ ! -d "$WINEPREFIX/drive_c/windows/system32" ]; then
  log "creating wine prefix $WINEPREFIX"
  rm -rf "$WINEPREFIX"
  mkdir -p "$(dirname "$WINEPREFIX")"
  # mscoree/mshtml disabled: no Mono/Gecko install prompts (no network, no display).
  WINEDLLOVERRIDES="mscoree,mshtml=" wineboot -i </dev/null >/dev/null 2>&1 || true
  wineserver -w </dev/null >/dev/null 2>&1 || true
  [ -f "$WINEPREFIX/system.reg" ] || die "wineboot did not create $WINEPREFIX"
fi
dll="$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll"
cmp -s "$WT/bin/bcryptprimitives.dll" "$dll" || cp -f "$WT/bin/bcryptprimitives.dll" "$dll"

# 6. Cargo runner + environment file (paths baked in; both regenerated only when they change).
write_if_changed "$WT/wine-runner.sh" <<EOF
#!/bin/sh
# cargo runner: execute a Windows .exe (test binary, doctest, cargo run) under Wine
export WINEPREFIX="\${WINEPREFIX:-$WINEPREFIX}"
export WINEDEBUG="\${WINEDEBUG:--all}"
exec wine "\$@"
EOF
chmod +x "$WT/wine-runner.sh"
write_if_changed "$WT/env.sh" <<EOF
# Source in a subshell only: RUSTC here would switch a native build to Debian's compiler too.
# cargo (rustup) drives Debian's rustc with build-std for x86_64-pc-windows-gnu.
export RUSTC=$DEB_RUSTC
export RUSTDOC=$DEB_RUSTDOC
export RUSTC_BOOTSTRAP=1
# "test" listed explicitly: cargo test adds it anyway, and with the same set cargo build
# reuses the std that cargo test built instead of compiling a second copy (~1 min).
export CARGO_UNSTABLE_BUILD_STD=std,panic_abort,test
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER=$WT/wine-runner.sh
export CARGO_TARGET_DIR=\${PYV_WINE_TARGET_DIR:-$ROOT/target/wine}
export WINEPREFIX=$WINEPREFIX
export WINEDEBUG=-all
EOF
log "done in $(($(date +%s) - t0))s (tools: $WT, prefix: $WINEPREFIX)"
