#!/usr/bin/env bash
# Builds the libFuzzer targets in fuzz/ and runs each for SECONDS (default 60), one after
# another: scripts/fuzz.sh [SECONDS] [TARGET...]. Exits non-zero when a target finds a
# crash, a hang or an out-of-memory; the input is saved under fuzz/artifacts/<target>/.
#
# Stable Rust: these are the flags `cargo fuzz build -s none` (cargo-fuzz 0.13) passes on
# Linux, SanitizerCoverage through LLVM options with no -Z flag, set here directly so neither
# nightly nor a cargo-fuzz install is needed. cargo-fuzz also forces one codegen unit; left
# out to keep the build short. `--target` keeps the flags off build scripts and proc macros.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"

seconds="${1:-60}"
shift || true
all=(version_file name_request catalog_xml catalog_index catalog_listing zip_entries)
targets=("$@")
[ "${#targets[@]}" -gt 0 ] || targets=("${all[@]}")

host="$(rustc -vV | sed -n 's/^host: //p')"
export RUSTFLAGS="${RUSTFLAGS:-} --cfg fuzzing -Cpasses=sancov-module \
 -Cllvm-args=-sanitizer-coverage-level=4 \
 -Cllvm-args=-sanitizer-coverage-inline-8bit-counters \
 -Cllvm-args=-sanitizer-coverage-pc-table \
 -Cllvm-args=-sanitizer-coverage-trace-compares \
 -Cllvm-args=-sanitizer-coverage-stack-depth \
 -Cllvm-args=-simplifycfg-branch-fold-threshold=0 \
 -Cdebug-assertions -Coverflow-checks"
# A target directory of its own: these flags would rebuild the workspace's every time.
target_dir="../target/fuzz"
bins=()
for t in "${targets[@]}"; do bins+=(--bin "$t"); done
cargo build --release --locked --target "$host" --target-dir "$target_dir" "${bins[@]}"

failed=()
for t in "${targets[@]}"; do
  corpus="corpus/$t"
  artifacts="artifacts/$t/"
  mkdir -p "$corpus" "$artifacts"
  echo "== fuzz $t for ${seconds}s ($(date -u +%H:%M:%S))"
  # The working corpus grows in corpus/ (not committed); seeds/ is the committed start.
  if ! "$target_dir/$host/release/$t" "$corpus" "seeds/$t" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -artifact_prefix="$artifacts" -print_final_stats=1; then
    failed+=("$t")
  fi
done
if [ "${#failed[@]}" -gt 0 ]; then
  echo "fuzz: findings in ${failed[*]} (inputs under fuzz/artifacts/)" >&2
  exit 1
fi
echo "fuzz: no findings in ${targets[*]}"
