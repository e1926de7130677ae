#!/bin/sh
# Configures a clang libFuzzer + ASan + UBSan build in build-fuzz/ under the
# repository root and builds every registered fuzz target.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
[ -x "$root/configure" ] || (cd "$root" && autoreconf -fi)
mkdir -p "$root/build-fuzz"
cd "$root/build-fuzz"
if [ ! -f Makefile ]; then
    "$root/configure" -q --enable-fuzz --disable-dpdk CC=clang \
        CFLAGS="-g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer" \
        LDFLAGS="-fsanitize=address,undefined"
fi
# A Makefile older than its Makefile.in is remade first, on its own: remade
# inside the query below, its rebuild commands would be read as target names.
make -s Makefile >/dev/null
targets=$(make -s -f Makefile -f - print-fuzz-targets <<'MK'
print-fuzz-targets:
	@echo $(FUZZ_TARGETS)
MK
)
make -j"$(nproc)" $targets
echo "built: $targets"
