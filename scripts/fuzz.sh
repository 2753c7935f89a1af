#!/usr/bin/env bash
# Fuzzes opsetl with libFuzzer (issue 5): builds `opsetl-fuzz` with -sanitize=fuzzer,address into
# .build-fuzz, then runs each target for FUZZ_SECONDS (default 600) in one process, one after another.
#
#   make fuzz                               every target, 600 s each
#   FUZZ_SECONDS=60 make fuzz               a quick pass
#   FUZZ_TARGETS=values scripts/fuzz.sh     one target
#
# New interesting inputs go to .build-fuzz/corpus/<target>/ (not committed; fuzz/corpus/ holds the
# seeds); a crash or broken invariant is saved as fuzz/artifacts/<target>/crash-…, to be minimised,
# fixed and moved to fuzz/regressions/<target>/ (see fuzz/README.md). Ends with libFuzzer's stats.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-600}
targets=${FUZZ_TARGETS:-"values ingest"}
flags=(--scratch-path .build-fuzz --product opsetl-fuzz
       -Xswiftc -sanitize=fuzzer,address -Xswiftc -DOPSETL_LIBFUZZER
       -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld)

scripts/install-deps.sh
swift build "${flags[@]}"
bin="$(swift build "${flags[@]}" --show-bin-path)/opsetl-fuzz"

status=0
for target in $targets; do
    case "$target" in
        values) max_len=128 ;;
        *) max_len=8192 ;;
    esac
    work=".build-fuzz/corpus/$target"
    mkdir -p "$work" "fuzz/artifacts/$target" "fuzz/regressions/$target"
    log=".build-fuzz/fuzz-$target.log"
    echo "== fuzz $target for ${seconds}s (log: $log)"
    # detect_leaks=0: the Swift runtime keeps metadata caches for the life of the process, which
    # LeakSanitizer would report after inputs; memory errors (ASan) are still fatal.
    set +e
    SWIFT_BACKTRACE=enable=no "$bin" "$target" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=4096 -max_len="$max_len" \
        -detect_leaks=0 -print_final_stats=1 -artifact_prefix="fuzz/artifacts/$target/" \
        "$work" "fuzz/corpus/$target" "fuzz/regressions/$target" >"$log" 2>&1
    rc=$?
    set -e
    grep -E "^#[0-9]+[[:space:]]+(INITED|DONE)|^Done |^stat::|SUMMARY|invariant broken|Test unit written" "$log" || true
    if [ "$rc" != "0" ]; then
        echo "fuzz $target: FOUND A PROBLEM (exit $rc); see $log and fuzz/artifacts/$target/" >&2
        status=1
    fi
done
exit $status
