#!/usr/bin/env bash
# Benchmarks (figures, not tests): shim overhead for `python -c pass`, `pyv version-name`,
# shim peak memory, and `pyv rehash` over 20 versions. Prints medians; quote them in README.
# Beside the shim it times the floor any shim pays, scripts/floor/exec.c (a static C program
# that only execs the interpreter), and prints the shim's ratio to it: how close to the limit
# the shim is. Under Wine (below) the same with scripts/floor/spawn.c (CreateProcessW + wait).
# Needs hyperfine, time and a C compiler with glibc's static libc (Debian: hyperfine, time,
# gcc, libc6-dev) and a real Python (pyenv's, or python3 on PATH).
# Wine section: with PYV_BENCH_WINE=1 (runs scripts/windows-setup.sh and cross-builds
# pyv-shim.exe), or by default when a cross-built release pyv-shim.exe exists; PYV_BENCH_WINE=0
# skips it.
# Usage: scripts/bench.sh [runs]   (default 200)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-200}"
for tool in hyperfine /usr/bin/time cc; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install hyperfine time gcc)"; exit 1; }
done
. scripts/release-build.sh
release_build -q
BIN="$PWD/target/release"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/pyv bench.XXXXXX")"
WINE_STARTED=""
cleanup() {
  # Stops only the bench prefix's wineserver (WINEPREFIX is exported by the Wine section).
  [ -z "$WINE_STARTED" ] || wineserver -k </dev/null >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
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

# The floor: $1 compiled into scripts/floor/exec.c as the only program it can exec.
c_string() { printf '"%s"' "$(printf '%s' "$1" | sed 's/[\\"]/\\&/g')"; }
exec_floor() {
  cc -O2 -static "-DTARGET=$(c_string "$1")" -o "$2" scripts/floor/exec.c ||
    { echo "bench: cannot build scripts/floor/exec.c static (Debian: gcc, libc6-dev)"; exit 1; }
}
mkdir -p "$WORK/floor"
FLOOR="$WORK/floor/exec-python3"
FLOOR_TRUE="$WORK/floor/exec-true"
exec_floor "$PY" "$FLOOR"
exec_floor /bin/true "$FLOOR_TRUE"

echo "== machine: $(nproc) cores; $(uname -sr); interpreter $("$PY" -V 2>&1) at $PY"
# How the binaries were linked (scripts/release-build.sh explains why it matters).
linkage() { if ldd "$1" 2>/dev/null | grep -q '=>'; then echo dynamic; else echo static; fi; }
echo "== pyv: $(linkage "$BIN/pyv") executable, OpenSSL $(ldd "$BIN/pyv" 2>/dev/null | grep -q libssl && echo shared || echo built in); shim: $(linkage "$BIN/pyv-shim") executable; exec floor: $(linkage "$FLOOR") executable"
JSON="$WORK/run.json"
cmds=(-n direct "'$PY' -c pass" -n "exec floor" "'$FLOOR' -c pass" -n "pyv shim" "'$PYENV_ROOT/shims/python3' -c pass")
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
  -n "/bin/true direct" /bin/true -n "/bin/true via floor" "'$FLOOR_TRUE'" \
  -n "/bin/true via shim" "'$PYENV_ROOT/shims/python3'" >/dev/null

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

# Under Wine: a Windows program that exits 0 (scripts/floor/exit0.c) as the interpreter, run
# directly, through the CreateProcess-and-wait floor (scripts/floor/spawn.c) and through the
# cross-built release pyv-shim.exe. Wine's process creation is far slower than Windows', so
# these figures say how close pyv-shim.exe is to the floor, not what it costs on Windows.
JSONW=""
WINE_TARGET=x86_64-pc-windows-gnu
WINE_EXE="${PYV_WINE_TARGET_DIR:-$PWD/target/wine}/$WINE_TARGET/release/pyv-shim.exe"
wine_wanted() {
  case "${PYV_BENCH_WINE:-}" in
    1) return 0 ;;
    0) return 1 ;;
    *) [ -f "$WINE_EXE" ] && command -v wine >/dev/null ;;
  esac
}
if wine_wanted; then
  bash scripts/windows-setup.sh >/dev/null
  export WINEPREFIX="${WINEPREFIX:-$PWD/target/wine-prefix}" WINEDEBUG=-all
  # The prefix test-windows.sh uses, under the lock it takes: its exit stops the wineserver.
  exec 8>"$WINEPREFIX.lock"
  flock -n 8 || { echo "bench: another script (test-windows.sh?) is using $WINEPREFIX; wait for it, or set WINEPREFIX"; exit 1; }
  WINE_OUT=$(
    # shellcheck disable=SC1091  # env.sh switches to Debian's rustc: subshell only
    source "${PYV_WINE_TOOLS:-$PWD/target/wine-tools}/env.sh"
    cargo build -q --release --target "$WINE_TARGET" -p pyv-shim --bins >&2 || exit 1
    echo "$CARGO_TARGET_DIR/$WINE_TARGET/release"
  ) || { echo "bench: cross build of pyv-shim.exe failed"; exit 1; }
  WROOT="$WORK/wine root"
  mkdir -p "$WROOT/versions/bench" "$WROOT/shims" "$WORK/wfloor"
  x86_64-w64-mingw32-gcc -O2 -s -o "$WROOT/versions/bench/python.exe" scripts/floor/exit0.c
  # A shim is pyv-shim.exe under the command's name (what `pyv rehash` links or copies), in
  # <root>\shims beside <root>\versions; the global version file selects `bench`.
  cp "$WINE_OUT/pyv-shim.exe" "$WROOT/shims/python.exe"
  echo bench >"$WROOT/version"
  WPY="$(winepath -w "$WROOT/versions/bench/python.exe" 2>/dev/null)"
  x86_64-w64-mingw32-gcc -O2 -s -municode "-DTARGET=L$(c_string "$WPY")" \
    -o "$WORK/wfloor/spawn-floor.exe" scripts/floor/spawn.c
  # A persistent wineserver with its services booted, stdio detached (see test-windows.sh):
  # otherwise every run would pay for starting them.
  WINE_STARTED=1
  # (-p fails when this prefix's server is already up: then that one is used.)
  wineserver -p </dev/null >/dev/null 2>&1 || true
  wine cmd /c exit </dev/null >/dev/null 2>&1 || { echo "bench: wine cannot start a process in $WINEPREFIX"; exit 1; }
  # One run each with its errors shown: hyperfine hides them and only names the exit code.
  for exe in "$WROOT/versions/bench/python.exe" "$WORK/wfloor/spawn-floor.exe" "$WROOT/shims/python.exe"; do
    env -u PYENV_ROOT wine "$exe" -c pass </dev/null >/dev/null || { echo "bench: wine $exe failed (exit $?)"; exit 1; }
  done
  JSONW="$WORK/wine.json"
  env -u PYENV_ROOT hyperfine -N --style basic --warmup 10 --runs "$RUNS" --export-json "$JSONW" \
    -n "wine: exit0 direct" "wine '$WROOT/versions/bench/python.exe' -c pass" \
    -n "wine: via spawn floor" "wine '$WORK/wfloor/spawn-floor.exe' -c pass" \
    -n "wine: via pyv-shim.exe" "wine '$WROOT/shims/python.exe' -c pass" >/dev/null
fi

python3 - "$JSON" "$JSON20" "$JSONT" "$PYENV_ROOT" "$BIN" "$JSONW" <<'PY'
import json, os, subprocess, sys
files = sys.argv[1:4] + [f for f in sys.argv[6:7] if f]
runs = {r["command"]: r for f in files for r in json.load(open(f))["results"]}
ms = lambda name: runs[name]["median"] * 1000
print(f"{'command':<24}{'median ms':>10}{'mean ms':>10}{'stddev':>9}")
for name, r in runs.items():
    print(f"{name:<24}{r['median']*1000:>10.2f}{r['mean']*1000:>10.2f}{r['stddev']*1000:>9.2f}")
d, s = ms("direct"), ms("pyv shim")
print(f"shim overhead (median): {s - d:.2f} ms, ratio {s / d:.3f}  (target <= 1 ms, <= 1.05)")
# The floor: what a shim that only execs (or spawns and waits) costs. shim/floor is how close
# to that limit the shim is (1.000 = no slower than a program with no logic at all).
def floor(floor_name, shim_name, where, direct, fl, shim):
    d, f, s = ms(direct), ms(fl), ms(shim)
    print(f"{floor_name} overhead{where} (median): {f - d:.2f} ms, ratio {f / d:.3f}")
    print(f"{shim_name} / {floor_name}{where} (median): ratio {s / f:.3f}, {s - f:+.2f} ms over the floor")
floor("exec floor", "pyv shim", "", "direct", "exec floor", "pyv shim")
print(f"shim overhead on /bin/true (median): {ms('/bin/true via shim') - ms('/bin/true direct'):.2f} ms")
floor("exec floor", "pyv shim", " on /bin/true", "/bin/true direct", "/bin/true via floor", "/bin/true via shim")
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
if "wine: via pyv-shim.exe" in runs:
    d, w = ms("wine: exit0 direct"), ms("wine: via pyv-shim.exe")
    print(f"pyv-shim.exe overhead under Wine (median): {w - d:.2f} ms, ratio {w / d:.3f}")
    floor("spawn floor", "pyv-shim.exe", " under Wine", "wine: exit0 direct", "wine: via spawn floor", "wine: via pyv-shim.exe")
else:
    print("wine: skipped (PYV_BENCH_WINE=1 cross-builds pyv-shim.exe and runs it under Wine)")
PY
