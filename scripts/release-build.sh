# Sourced (not run) by the scripts that need release binaries: install.sh, bench.sh,
# bench-install.sh. Defines `release_build [cargo flags]`, which builds target/release/pyv and
# target/release/pyv-shim the way they ship, and exports the OpenSSL settings below so any other
# release build in the calling script links the same way. Plain `cargo build` stays as it is
# (dynamic everything), so development builds need no setup.
#
# Why, on Linux (measured with scripts/bench.sh; Windows has neither cost): start-up is most of
# what `pyv version-name` and a shim cost, and most of start-up is the dynamic linker.
# - native-tls means OpenSSL there. Loaded as shared libraries, libssl and libcrypto cost every
#   pyv start about 1.1 ms, commands that never touch the network included: the dynamic linker
#   maps them and relocates ~400 KB of their data, one copy-on-write page fault per 4 KB. Linked
#   from the distribution's own static archives (Debian/Ubuntu libssl-dev ships them) that cost
#   goes away and nothing is compiled from source.
# - Both binaries are then static position-independent executables (glibc's libc.a,
#   `crt-static`): no dynamic linker at all, so another ~0.5 ms goes, address randomisation stays,
#   and they run on any Linux of the same architecture. glibc (2.34+) resolves host names from
#   /etc/hosts and DNS inside a static binary; NSS plug-ins such as mDNS (`.local` names) are not
#   loaded, as with musl-based static builds such as uv's.
# Where an archive is missing the build stays dynamic and says so.

_pyv_static=1
if [ "$(uname -s)" != Linux ]; then
  _pyv_static=0
else
  _pyv_ssl_lib="$(pkg-config --variable=libdir openssl 2>/dev/null || true)"
  if [ -n "$_pyv_ssl_lib" ] && [ -f "$_pyv_ssl_lib/libssl.a" ] && [ -f "$_pyv_ssl_lib/libcrypto.a" ]; then
    # pkg-config refuses static linking from /usr, so openssl-sys is pointed at the archives.
    export OPENSSL_STATIC=1 OPENSSL_LIB_DIR="$_pyv_ssl_lib"
    OPENSSL_INCLUDE_DIR="$(pkg-config --variable=includedir openssl)"
    export OPENSSL_INCLUDE_DIR
  else
    _pyv_static=0
    echo "note: OpenSSL's static libraries not found (Debian: libssl-dev); building dynamic executables, which start ~1.5 ms slower" >&2
  fi
  if [ "$_pyv_static" = 1 ] && [ ! -f "$(cc -print-file-name=libc.a 2>/dev/null)" ]; then
    _pyv_static=0
    echo "note: glibc's libc.a not found (Debian: libc6-dev); building dynamic executables, which start ~0.5 ms slower" >&2
  fi
  unset _pyv_ssl_lib
fi

release_build() {
  local bin
  for bin in pyv pyv-shim; do
    if [ "$_pyv_static" = 1 ]; then
      # `cargo rustc` gives the flag to the executable's own link only: the libraries are
      # ordinary rlibs, and proc-macros stay dynamic, as they must.
      cargo rustc --release "$@" -p "$bin" --bin "$bin" -- -C target-feature=+crt-static
    else
      cargo build --release "$@" -p "$bin"
    fi
  done
}
