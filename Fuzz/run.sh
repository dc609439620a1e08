#!/usr/bin/env bash
# Fuzz/run.sh [SECONDS] [TARGET…]: builds the libFuzzer harness and fuzzes each target for SECONDS
# (default 60; all targets when none is named: sse reply session theme keymap tasks).
#
# The harness is built with -sanitize=fuzzer,address into .build/fuzz (a build of its own: every module
# is instrumented, and libFuzzer supplies `main`). Each target's corpus grows in .build/fuzz/corpus/TARGET,
# seeded from real files in the repository (Fuzz/make_seeds.py). An input that breaks a target is saved
# in .build/fuzz/crashes/TARGET/; the script ends with status 1 and says how to make it a regression test.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(sse reply session theme keymap tasks)
sanitizers=${WAND_FUZZ_SANITIZERS:-fuzzer,address}

scratch=.build/fuzz
echo "== building the fuzzing harness (-sanitize=$sanitizers) into $scratch (the first build takes as long as a normal one)"
mkdir -p "$scratch"
# The instrumented link prints hundreds of harmless gold warnings; the log is shown only when the build fails.
if ! WAND_FUZZ=1 swift build --scratch-path "$scratch" --product wand-fuzz -Xswiftc "-sanitize=$sanitizers" >"$scratch/build.log" 2>&1; then
    grep -E 'error' "$scratch/build.log" | head -40 || tail -40 "$scratch/build.log"
    exit 1
fi
binary="$scratch/debug/wand-fuzz"

rm -rf "$scratch/seeds"
python3 Fuzz/make_seeds.py . "$scratch/seeds"

failed=()
for target in "${targets[@]}"; do
    corpus="$scratch/corpus/$target"
    crashes="$scratch/crashes/$target"
    log="$scratch/logs/$target.log"
    mkdir -p "$corpus" "$crashes" "$(dirname "$log")" "$scratch/seeds/$target"
    echo "== fuzzing $target for $seconds s (corpus $corpus, log $log)"
    # The Swift runtime's backtracer would take seconds per crash; libFuzzer prints its own report.
    if WAND_FUZZ_TARGET="$target" SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 \
        "$binary" -max_total_time="$seconds" -timeout=10 -max_len=16384 -print_final_stats=1 \
        -artifact_prefix="$crashes/" "$corpus" "$scratch/seeds/$target" >"$log" 2>&1; then
        echo "   $(grep -E '^stat::(number_of_executed_units|new_units_added)' "$log" | tr '\n' ' ' || true)"
    else
        failed+=("$target")
        grep -E 'Fatal error|ERROR: |SUMMARY|Test unit written' "$log" | head -20 || tail -30 "$log" || true
    fi
done

if [ ${#failed[@]} -gt 0 ]; then
    echo "== targets that broke: ${failed[*]}"
    echo "Copy each saved input into Tests/Fixtures/fuzz/TARGET/ (a name saying what it exercises), fix the"
    echo "parser, and run: swift test --filter FuzzRegressionTests"
    exit 1
fi
echo "== no target broke"
