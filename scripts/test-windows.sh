#!/usr/bin/env bash
# test-windows.sh [extra `cargo test` args...] -- builds the whole workspace (or the packages
# given with -p) for
# x86_64-pc-windows-gnu and runs `cargo test` with every test binary (unit, integration,
# doctest, and the exes they spawn) executed under Wine. Exits non-zero on any failure.
#
# Runs scripts/windows-setup.sh first (idempotent, < 1 s when already set up).
#
# Also serves a loopback HTTPS fixture for SChannel (native-tls) tests and exports, for the
# tests to read (Windows paths, `localhost` not 127.0.0.1: Wine does not match IP SANs):
#   PYV_WINE_TLS_OK_URL         CA-signed, valid, CRL DP cached        -> must succeed
#   PYV_WINE_TLS_EXPIRED_URL    CA-signed, expired                     -> CERT_E_EXPIRED (0x800B0101)
#   PYV_WINE_TLS_UNTRUSTED_URL  self-signed                            -> CERT_E_UNTRUSTEDROOT (0x800B0109)
#   PYV_WINE_TLS_CA             the CA (PEM, Windows path); already in Wine's CurrentUser ROOT store
#   PYV_WINE_TLS_CRL_URL        the CRL the leaves point at (already in Wine's URL cache)
# Each URL serves `/index.txt` = "hello-from-tls-server". Set PYV_WINE_NO_TLS_FIXTURE=1 to skip.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WT="${PYV_WINE_TOOLS:-$ROOT/target/wine-tools}"
export WINEPREFIX="${WINEPREFIX:-$ROOT/target/wine-prefix}"
export WINEDEBUG=-all
TARGET=x86_64-pc-windows-gnu
log() { echo "[test-windows] $*"; }
die() { echo "[test-windows] error: $*" >&2; exit 1; }

bash "$ROOT/scripts/windows-setup.sh"
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

# --- Loopback TLS fixture -------------------------------------------------------------------
# For now a python3/openssl fixture (the recipe's); to be replaced by the pyv-testserver bin
# once it serves the same three kinds of server plus a CRL endpoint.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start_tls_fixture() {
  local pki="$WT/pki" crl_port
  crl_port=$(free_port)
  # The CA is kept across runs (it is installed in the prefix's ROOT store; regenerating it
  # would pile up CAs there). Leaves and CRL are per run: the CRL DP names this run's port.
  if [ ! -f "$pki/ca.pem" ] || [ -n "$(find "$pki/ca.pem" -mtime +300 2>/dev/null)" ]; then
    rm -rf "$pki"
    mkdir -p "$pki"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$pki/ca.key" -out "$pki/ca.pem" -days 3650 \
      -subj "/CN=pyv wine test CA" -addext "basicConstraints=critical,CA:TRUE" \
      -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null || die "openssl: CA"
  fi
  rm -rf "$pki/run"
  mkdir -p "$pki/run/db" "$pki/run/www" "$pki/run/crl"
  (
    cd "$pki/run"
    : >db/index.txt
    echo 01 >db/serial
    echo "unique_subject = no" >db/index.txt.attr
    cat >ca.cnf <<EOF
[ca]
default_ca=CA_default
[CA_default]
dir=$pki/run/db
database=\$dir/index.txt
serial=\$dir/serial
new_certs_dir=\$dir
default_md=sha256
default_crl_days=30
policy=pol
copy_extensions=none
[pol]
commonName=supplied
[leaf]
subjectAltName=DNS:localhost
extendedKeyUsage=serverAuth
basicConstraints=CA:FALSE
crlDistributionPoints=URI:http://127.0.0.1:$crl_port/ca.crl
EOF
    set -e
    openssl req -newkey rsa:2048 -nodes -keyout leaf.key -out leaf.csr -subj "/CN=localhost" 2>/dev/null
    openssl ca -batch -config ca.cnf -cert ../ca.pem -keyfile ../ca.key -in leaf.csr -out ok.crt \
      -days 30 -extensions leaf 2>/dev/null
    openssl ca -batch -config ca.cnf -cert ../ca.pem -keyfile ../ca.key -in leaf.csr -out expired.crt \
      -startdate 20200101000000Z -enddate 20200201000000Z -extensions leaf 2>/dev/null
    openssl ca -config ca.cnf -cert ../ca.pem -keyfile ../ca.key -gencrl -out crl/ca.crl.pem 2>/dev/null
    openssl crl -in crl/ca.crl.pem -outform DER -out crl/ca.crl
    openssl req -x509 -newkey rsa:2048 -nodes -keyout self.key -out self.pem -days 30 \
      -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost" 2>/dev/null
    cat ok.crt ../ca.pem >ok.pem
    cat expired.crt ../ca.pem >expired.pem
    echo "hello-from-tls-server" >www/index.txt
  ) || die "openssl: could not create the test PKI in $pki/run"

  # HTTP/1.1 with Content-Length: a server whose reply has no length (openssl s_server -www)
  # makes reqwest wait for the connection to close.
  cat >"$pki/run/serve.py" <<'EOF'
import functools, http.server, json, ssl, sys, threading
run, crl_port = sys.argv[1], int(sys.argv[2])
class H(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass
def server(port, cert, key, d):
    s = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(H, directory=d))
    if cert:
        c = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); c.load_cert_chain(cert, key)
        s.socket = c.wrap_socket(s.socket, server_side=True)
    return s
www = run + "/www"
servers = {"crl": server(crl_port, None, None, run + "/crl"),
           "ok": server(0, run + "/ok.pem", run + "/leaf.key", www),
           "expired": server(0, run + "/expired.pem", run + "/leaf.key", www),
           "self": server(0, run + "/self.pem", run + "/self.key", www)}
for s in servers.values():
    threading.Thread(target=s.serve_forever, daemon=True).start()
print(json.dumps({k: s.server_address[1] for k, s in servers.items()}), flush=True)
threading.Event().wait()
EOF
  python3 "$pki/run/serve.py" "$pki/run" "$crl_port" >"$pki/run/ports.json" 2>"$pki/run/serve.log" </dev/null &
  SRV=$!
  local ports=""
  for _ in $(seq 100); do
    ports=$(cat "$pki/run/ports.json" 2>/dev/null || true)
    case "$ports" in *"}") break ;; esac
    kill -0 "$SRV" 2>/dev/null || die "TLS fixture exited: $(cat "$pki/run/serve.log")"
    sleep 0.1
  done
  [ -n "$ports" ] || die "TLS fixture did not start within 10 s"
  port() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$ports" "$1"; }

  local ca_win crl_url="http://127.0.0.1:$crl_port/ca.crl"
  ca_win=$(winepath -w "$pki/ca.pem" 2>/dev/null) || die "winepath failed"
  wine "$WT/bin/trust-ca.exe" "$ca_win" "$crl_url" </dev/null || die "trust-ca.exe failed (CA or CRL)"

  export PYV_WINE_TLS_CA="$ca_win" PYV_WINE_TLS_CRL_URL="$crl_url"
  export PYV_WINE_TLS_OK_URL="https://localhost:$(port ok)/index.txt"
  export PYV_WINE_TLS_EXPIRED_URL="https://localhost:$(port expired)/index.txt"
  export PYV_WINE_TLS_UNTRUSTED_URL="https://localhost:$(port self)/index.txt"
  log "TLS fixture: ok=$PYV_WINE_TLS_OK_URL expired=$PYV_WINE_TLS_EXPIRED_URL untrusted=$PYV_WINE_TLS_UNTRUSTED_URL"
}
[ "${PYV_WINE_NO_TLS_FIXTURE:-}" = 1 ] || start_tls_fixture

# --- Build + test ------------------------------------------------------------------------------
# The subshell keeps env.sh's RUSTC/RUSTDOC/build-std away from anything native this script (or
# its caller) runs. The bins are built first because the end-to-end tests (tests/) run
# target/<triple>/debug/pyv.exe and pyv-shim.exe, which `cargo test` alone does not build.
LOG="$WT/cargo-test.log"
t0=$(date +%s)
set +e
(
  # shellcheck disable=SC1091
  source "$WT/env.sh"
  cd "$ROOT"
  scope=(--workspace)
  for a in "$@"; do case "$a" in -p | --package | -p* | --package=*) scope=() ;; esac; done
  pkgs=()
  prev=""
  for a in "$@"; do
    case "$prev" in -p | --package) pkgs+=(-p "$a") ;; esac
    case "$a" in -p?* | --package=*) pkgs+=("$a") ;; esac
    prev="$a"
  done
  cargo build "${scope[@]}" "${pkgs[@]}" --bins --target "$TARGET" || exit
  cargo test "${scope[@]}" --target "$TARGET" --no-fail-fast "$@"
) 2>&1 </dev/null | tee "$LOG"
rc=${PIPESTATUS[0]}
set -e
secs=$(($(date +%s) - t0))

# One closing line over every test binary (cargo prints one `test result:` line each).
awk '/^test result:/ {
       for (i = 1; i <= NF; i++) {
         if ($(i) ~ /^passed;?$/)  p += $(i-1)
         if ($(i) ~ /^failed;?$/)  f += $(i-1)
         if ($(i) ~ /^ignored;?$/) g += $(i-1)
       }
       n++
     }
     END { printf "[test-windows] %d test binaries under Wine in '"$secs"'s (build + run)\n", n
           printf "wine: %d passed, %d failed, %d skipped\n", p, f, g }' "$LOG"
[ "$rc" = 0 ] || die "cargo test --target $TARGET failed (exit $rc); log: $LOG"
