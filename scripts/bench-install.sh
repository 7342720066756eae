#!/usr/bin/env bash
# Benchmark (figures, not a test): `pyv install` of a ~25 MB python.org-style zip from a
# loopback HTTPS mirror, against `curl` fetching the same file plus `unzip`, in one run.
# Target: pyv <= 1.1x curl+unzip. Needs hyperfine, curl, unzip (Debian packages).
# Usage: scripts/bench-install.sh [runs]   (default 10)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-10}"
for tool in hyperfine curl unzip python3; do
  command -v "$tool" >/dev/null || { echo "bench-install: $tool is missing"; exit 1; }
done
. scripts/release-build.sh
release_build -q
cargo build --release -q -p pyv-testserver
BIN="$PWD/target/release"
W="$(mktemp -d "${TMPDIR:-/tmp}/pyv-bench-install.XXXXXX")"
SRV=""
trap '[ -n "$SRV" ] && kill "$SRV" 2>/dev/null; rm -rf "$W"' EXIT

# A zip shaped like python.org's runtime package: ~25 MB, part compressible (Lib\*.py),
# part not (DLLs, pyd).
mkdir -p "$W/mirror/3.12.99"
python3 - "$W/mirror" <<'PY'
import hashlib, json, os, random, sys, zipfile
root = sys.argv[1]
z = os.path.join(root, "3.12.99", "python-3.12.99-amd64.zip")
rnd = random.Random(7)
with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as f:
    f.writestr("python.exe", "#!/bin/sh\necho python 3.12.99\n")
    for i in range(40):
        f.writestr(f"DLLs/mod{i}.pyd", rnd.randbytes(400_000))
    for i in range(1500):
        words = " ".join(rnd.choice(["def", "return", "self", "import", "class", "value", "if", "for"]) for _ in range(4000))
        f.writestr(f"Lib/pkg{i // 100}/mod{i}.py", words)
sha = hashlib.sha256(open(z, "rb").read()).hexdigest()
entry = {"schema": 1, "id": "pythoncore-3.12-64", "sort-version": "3.12.99", "company": "PythonCore",
         "tag": "3.12-64", "install-for": ["3.12.99-64"], "display-name": "Python 3.12.99",
         "executable": ".\\python.exe", "url": "https://www.python.org/ftp/python/3.12.99/python-3.12.99-amd64.zip",
         "hash": {"sha256": sha}}
json.dump({"versions": [entry]}, open(os.path.join(root, "index-windows.json"), "w"))
open(os.path.join(root, "index.html"), "w").write('<a href="3.12.99/">3.12.99/</a>\n')
print(f"package: {os.path.getsize(z) / 1e6:.1f} MB")
PY

mkfifo "$W/keep"
"$BIN/pyv-testserver" --dir "$W/mirror" --out "$W/pki" <"$W/keep" >"$W/server.txt" 2>&1 &
SRV=$!
exec 9>"$W/keep"   # holds the server's stdin open
for _ in $(seq 100); do grep -q READY "$W/server.txt" && break; sleep 0.1; done
URL="$(sed -n 's/^PYV_TS_HTTPS_URL=//p' "$W/server.txt")"
CA="$(sed -n 's/^PYV_TS_CA=//p' "$W/server.txt")"
[ -n "$URL" ] && [ -n "$CA" ] || { cat "$W/server.txt"; exit 1; }

export PYENV_ROOT="$W/root" PYTHON_BUILD_MIRROR_URL="$URL" SSL_CERT_FILE="$CA"
mkdir -p "$PYENV_ROOT"
"$BIN/pyv" update >/dev/null
FILE="$URL/3.12.99/python-3.12.99-amd64.zip"
hyperfine --style basic --runs "$RUNS" --warmup 1 --export-json "$W/r.json" \
  -n "curl + unzip" --prepare "rm -rf '$W/out' '$W/x.zip'" \
  "curl -sf --cacert '$CA' -o '$W/x.zip' '$FILE' && unzip -q '$W/x.zip' -d '$W/out'" \
  -n "pyv install" --prepare "rm -rf '$PYENV_ROOT/versions' '$PYENV_ROOT/install_cache'" \
  "'$BIN/pyv' install -q 3.12.99" >/dev/null
python3 - "$W/r.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
c, p = r["curl + unzip"]["median"], r["pyv install"]["median"]
print(f"curl + unzip  median {c * 1000:.0f} ms")
print(f"pyv install   median {p * 1000:.0f} ms")
print(f"ratio {p / c:.2f} (target <= 1.1)")
PY
