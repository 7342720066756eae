#!/usr/bin/env bash
# Benchmarks (figures, not tests): shim overhead for `python -c pass`, `pyv version-name`,
# shim peak memory, and `pyv rehash` over 20 versions. Prints medians; quote them in README.
# Needs hyperfine and time (Debian packages) and a real Python (pyenv's, or python3 on PATH).
# Usage: scripts/bench.sh [runs]   (default 200)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-200}"
for tool in hyperfine /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install hyperfine time)"; exit 1; }
done
. scripts/release-build.sh
release_build -q
BIN="$PWD/target/release"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/pyv bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
export PYENV_ROOT="$WORK/root"
unset PYENV_VERSION PATHEXT
mkdir -p "$PYENV_ROOT/versions"

# The real interpreter: a pyenv-managed one when present (so pyenv's shim can be compared),
# else the first python3 on PATH.
PY_PREFIX=""
if [ -d "$HOME/.pyenv/versions" ]; then
  PY_VERSION="$(ls "$HOME/.pyenv/versions" | sort -V | tail -1)"
  PY_PREFIX="$HOME/.pyenv/versions/$PY_VERSION"
fi
if [ -z "$PY_PREFIX" ] || [ ! -x "$PY_PREFIX/bin/python3" ]; then
  PY_PREFIX="$(python3 -c 'import sys; print(sys.base_prefix)')"
  PY_VERSION=""
fi
PY="$PY_PREFIX/bin/python3"
"$BIN/pyv" link bench "$PY_PREFIX" >/dev/null
"$BIN/pyv" global bench
"$BIN/pyv" rehash

echo "== machine: $(nproc) cores; $(uname -sr); interpreter $("$PY" -V 2>&1) at $PY"
# How the binaries were linked (scripts/release-build.sh explains why it matters).
linkage() { if ldd "$1" 2>/dev/null | grep -q '=>'; then echo dynamic; else echo static; fi; }
echo "== pyv: $(linkage "$BIN/pyv") executable, OpenSSL $(ldd "$BIN/pyv" 2>/dev/null | grep -q libssl && echo shared || echo built in); shim: $(linkage "$BIN/pyv-shim") executable"
JSON="$WORK/run.json"
cmds=(-n direct "'$PY' -c pass" -n "pyv shim" "'$PYENV_ROOT/shims/python3' -c pass")
if [ -n "$PY_VERSION" ] && [ -x "$HOME/.pyenv/shims/python3" ] && [ -x "$HOME/.pyenv/bin/pyenv" ]; then
  cmds+=(-n "pyenv shim" "env PYENV_ROOT=$HOME/.pyenv PYENV_VERSION=$PY_VERSION PATH=$HOME/.pyenv/bin:$PATH $HOME/.pyenv/shims/python3 -c pass")
fi
cmds+=(-n "pyv version-name" "'$BIN/pyv' version-name")
hyperfine -N --style basic --warmup 20 --runs "$RUNS" --export-json "$JSON" "${cmds[@]}" >/dev/null

# Peak memory of the shim alone: a version whose `python3` is /bin/true.
mkdir -p "$PYENV_ROOT/versions/mem/bin"
ln -s /bin/true "$PYENV_ROOT/versions/mem/bin/python3"
# The same version isolates the shim's own cost: two sub-millisecond programs measured back to
# back drift far less than two 20 ms Python starts, whose difference is the figure above.
JSONT="$WORK/true.json"
PYENV_VERSION=mem hyperfine -N --style basic --warmup 20 --runs "$RUNS" --export-json "$JSONT" \
  -n "/bin/true direct" /bin/true -n "/bin/true via shim" "'$PYENV_ROOT/shims/python3'" >/dev/null

# rehash over 20 versions of python.org's Windows layout (PATHEXT in force).
R20="$WORK/root20"
mkdir -p "$R20/versions"
for i in $(seq 1 20); do
  v="$R20/versions/3.$i.9"
  mkdir -p "$v/Scripts"
  for f in python.exe pythonw.exe python3.exe "python3.$i.exe" vcruntime140.dll LICENSE.txt; do : > "$v/$f"; done
  for s in pip pip3 "pip3.$i" idle black ruff pytest flake8 mypy isort tox wheel; do : > "$v/Scripts/$s.exe"; done
done
env PYENV_ROOT="$R20" PATHEXT=".COM;.EXE;.BAT;.CMD" "$BIN/pyv" rehash
JSON20="$WORK/rehash.json"
env PYENV_ROOT="$R20" PATHEXT=".COM;.EXE;.BAT;.CMD" hyperfine -N --style basic --warmup 5 --runs 50 --export-json "$JSON20" \
  -n "rehash, nothing to do" "'$BIN/pyv' rehash" \
  -n "rehash, from empty" --prepare "rm -rf '$R20/shims'" "'$BIN/pyv' rehash" >/dev/null

python3 - "$JSON" "$JSON20" "$JSONT" "$PYENV_ROOT" "$BIN" <<'PY'
import json, os, subprocess, sys
runs = {r["command"]: r for f in sys.argv[1:4] for r in json.load(open(f))["results"]}
ms = lambda name: runs[name]["median"] * 1000
print(f"{'command':<24}{'median ms':>10}{'mean ms':>10}{'stddev':>9}")
for name, r in runs.items():
    print(f"{name:<24}{r['median']*1000:>10.2f}{r['mean']*1000:>10.2f}{r['stddev']*1000:>9.2f}")
d, s = ms("direct"), ms("pyv shim")
print(f"shim overhead (median): {s - d:.2f} ms, ratio {s / d:.3f}  (target <= 1 ms, <= 1.05)")
print(f"shim overhead on /bin/true (median): {ms('/bin/true via shim') - ms('/bin/true direct'):.2f} ms")
if "pyenv shim" in runs:
    print(f"pyenv shim overhead (median): {ms('pyenv shim') - d:.2f} ms, ratio {ms('pyenv shim') / d:.2f}")
# GNU time forks from its own small process, so the peak is the shim's (or /bin/true's),
# not a copy of this Python's pages.
env = dict(os.environ, PYENV_ROOT=sys.argv[4], PYENV_VERSION="mem")
shim = os.path.join(sys.argv[4], "shims", "python3")
out = subprocess.run(["/usr/bin/time", "-f", "%M", shim], env=env, check=True, capture_output=True, text=True)
peak_kb = int(out.stderr.strip().splitlines()[-1])
print(f"shim peak RSS (shim exec'ing /bin/true): {peak_kb / 1024:.1f} MB  (target <= 5 MB)")
print(f"shim binary size: {os.path.getsize(os.path.join(sys.argv[5], 'pyv-shim')) / 1024:.0f} KiB")
PY
