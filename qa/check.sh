#!/usr/bin/env bash
# Runs every test suite: cmocka unit tests and pytest integration tests on a
# normal -Werror build, then both again on an AddressSanitizer +
# UndefinedBehaviorSanitizer build, then a short smoke run of each fuzz target.
# Ends with one line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)
export PYTHON=${PYTHON:-/usr/bin/python3}
jobs=$(nproc)
passed=0
failed=0
failures=()

note_result() {  # name passed failed
    passed=$((passed + $2))
    failed=$((failed + $3))
    if [ "$3" -ne 0 ]; then failures+=("$1: $3 failed"); fi
    echo "== $1: $2 passed, $3 failed"
}

# Counts the cmocka test cases of every unit-test log in a build dir.
unit_suite() {  # label build_dir
    local label=$1 dir=$2 p=0 f=0
    (cd "$dir" && make -s -j"$jobs" check >/dev/null 2>&1)
    local status=$?
    for log in "$dir"/qa/unit/*.log; do
        [ -f "$log" ] || continue
        local lp lf
        lp=$(grep -Eo '\[  PASSED  \] [0-9]+' "$log" | awk '{s+=$NF} END {print s+0}')
        lf=$(grep -Eo '\[  FAILED  \] [0-9]+' "$log" | awk '{s+=$NF} END {print s+0}')
        if [ "$lp" -eq 0 ] && [ "$lf" -eq 0 ] && ! grep -q '^PASS' "${log%.log}.trs" 2>/dev/null; then
            lf=1  # a test program that crashed before cmocka's summary
            echo "unit test crashed: $log"; tail -20 "$log"
        fi
        if [ "$lf" -ne 0 ]; then grep -E 'FAILED|ERROR|Failure|runtime error' "$log" | head -20; fi
        p=$((p + lp)); f=$((f + lf))
    done
    if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1; echo "make check failed in $dir"; cat "$dir/test-suite.log" 2>/dev/null | tail -40
    fi
    note_result "$label" "$p" "$f"
}

integration_suite() {  # label build_dir
    local label=$1 dir=$2 xml
    xml=$(mktemp)
    local files=qa/integration
    if [ -n "${INTEGRATION_FILES:-}" ]; then
        # shellcheck disable=SC2086
        files=$(ls $INTEGRATION_FILES)
    fi
    # shellcheck disable=SC2086
    VIGIL_BIN="$top/$dir/vigil" VIGILCTL_BIN="$top/$dir/vigilctl" \
        VIGIL_PCAPGEN="$top/$dir/qa/tools/vigil-pcapgen" \
        "$PYTHON" -m pytest -q -p no:cacheprovider \
        --junitxml="$xml" $files 2>&1 | tail -25
    local counts
    counts=$("$PYTHON" - "$xml" <<'PY'
import sys, xml.etree.ElementTree as ET
try:
    root = ET.parse(sys.argv[1]).getroot()
except Exception:
    print("0 1"); sys.exit()
suites = [root] if root.tag == "testsuite" else list(root)
t = sum(int(s.get("tests", 0)) for s in suites)
bad = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
skip = sum(int(s.get("skipped", 0)) for s in suites)
print(t - bad - skip, bad if t else 1)
PY
)
    rm -f "$xml"
    note_result "$label" ${counts}
}

echo "== build (-Werror)"
if ! CONFIGURE_FLAGS="--enable-werror" BUILD_DIR=build ./qa/setup.sh; then
    echo "0 passed, 1 failed"; exit 1
fi
unit_suite "unit" build
integration_suite "integration" build

echo "== build (ASan + UBSan)"
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
if CONFIGURE_FLAGS="--enable-werror" BUILD_DIR=build-asan CFLAGS="-g -O1 $san" LDFLAGS="$san" \
    ./qa/setup.sh; then
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
    export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
    export VIGIL_SANITIZER=asan
    unit_suite "unit (asan+ubsan)" build-asan
    integration_suite "integration (asan+ubsan)" build-asan
    unset ASAN_OPTIONS UBSAN_OPTIONS VIGIL_SANITIZER
else
    note_result "asan build" 0 1
fi

echo "== build (ThreadSanitizer)"
if CONFIGURE_FLAGS="--enable-werror" BUILD_DIR=build-tsan CFLAGS="-g -O1 -fsanitize=thread" \
    LDFLAGS="-fsanitize=thread" ./qa/setup.sh; then
    export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
    export VIGIL_SANITIZER=tsan
    unit_suite "unit (tsan)" build-tsan
    # The threaded engine's tests (every runmode, the flood, the accounting) and
    # the control socket's, whose clients read the flow table the threads change.
    INTEGRATION_FILES="qa/integration/test_engine_*.py qa/integration/test_control_socket.py
        qa/integration/test_vigilctl_live.py" integration_suite "integration (tsan)" build-tsan
    unset TSAN_OPTIONS VIGIL_SANITIZER
else
    note_result "tsan build" 0 1
fi

if command -v clang >/dev/null 2>&1 && [ -x qa/fuzz/build.sh ]; then
    echo "== fuzz smoke (${FUZZ_SECONDS:-20} s per target)"
    if ./qa/fuzz/build.sh >build-fuzz.log 2>&1; then
        for target in build-fuzz/qa/fuzz/fuzz_*; do
            [ -x "$target" ] || continue
            name=$(basename "$target")
            if ./qa/fuzz/run.sh "$name" "${FUZZ_SECONDS:-20}" >"build-fuzz/$name.smoke.log" 2>&1; then
                note_result "fuzz $name" 1 0
            else
                tail -30 "build-fuzz/$name.smoke.log"; note_result "fuzz $name" 0 1
            fi
        done
    else
        tail -30 build-fuzz.log; note_result "fuzz build" 0 1
    fi
fi

echo "== make distcheck (release tarball builds, passes its unit tests, installs)"
if (cd build && make -s distcheck >distcheck.log 2>&1); then
    note_result "distcheck" 1 0
else
    tail -30 build/distcheck.log; note_result "distcheck" 0 1
fi

for f in "${failures[@]}"; do echo "FAILED: $f"; done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
