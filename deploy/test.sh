#!/usr/bin/env bash
# The README's test command: install what is missing, check formatting, build with warnings as
# errors and AddressSanitizer + UBSan, run every ctest label, print the summary.
# Exits non-zero on any failure.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
start=$(date +%s)

./deploy/install-deps.sh
./deploy/check-format.sh

jobs=$(nproc)
build=build/test
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DRDPWARDEN_WERROR=ON -DRDPWARDEN_SANITIZE=ON >/dev/null
cmake --build "$build" -j "$jobs"

# Leaks inside FreeRDP/WinPR/FFmpeg are theirs; ours are caught by the suppression-free rest.
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=1"
export LSAN_OPTIONS="suppressions=$root/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

status=0
(cd "$build" && ctest --output-on-failure --timeout 900 -j "$jobs" -L 'unit|integration|e2e|browser') || status=$?

echo "test.sh: finished in $(( $(date +%s) - start )) s with status $status"
exit $status
