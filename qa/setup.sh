#!/usr/bin/env bash
# Prepares a Debian 12 machine to build and test Vigil, then builds it:
# installs the missing Debian packages, regenerates autotools, configures, makes.
# Idempotent: a second run installs nothing and rebuilds only what changed.
#
# Environment:
#   BUILD_DIR        where to build (default: build, relative to the repository)
#   CONFIGURE_FLAGS  extra ./configure flags (reconfigures when they change)
#   CFLAGS, LDFLAGS  passed to configure
set -euo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)

packages=(
    build-essential autoconf automake libtool pkg-config
    libyaml-dev libpcap-dev libjansson-dev libpcre2-dev libcmocka-dev libdpdk-dev libreadline-dev
    python3 python3-pytest python3-jsonschema tshark clang libclang-rt-14-dev
)
# Hyperscan exists for x86-64 only; elsewhere Vigil uses its portable matcher.
if [ "$(dpkg --print-architecture)" = amd64 ]; then
    packages+=(libhyperscan-dev)
fi

missing=()
for pkg in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$pkg")
    fi
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    if [ "$(id -u)" -ne 0 ]; then
        echo "setup: need root to install packages (run as root or install them: apt-get install ${missing[*]})" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -x configure ] || [ configure.ac -nt configure ] || [ Makefile.am -nt Makefile.in ]; then
    echo "setup: autoreconf"
    autoreconf -fi >/dev/null
fi

build=${BUILD_DIR:-build}
mkdir -p "$build"
cd "$build"
flags="${CONFIGURE_FLAGS:-} CFLAGS=${CFLAGS:-} LDFLAGS=${LDFLAGS:-}"
if [ ! -f Makefile ] || [ "$(cat .configure-flags 2>/dev/null)" != "$flags" ]; then
    echo "setup: configure in $build ${CONFIGURE_FLAGS:-}"
    # shellcheck disable=SC2086
    "$top/configure" -q ${CONFIGURE_FLAGS:-} CFLAGS="${CFLAGS:--g -O2}" LDFLAGS="${LDFLAGS:-}"
    echo "$flags" > .configure-flags
fi
echo "setup: make in $build"
make -s -j"$(nproc)" all >/dev/null
if [ -f Makefile ] && grep -q '^check_PROGRAMS' Makefile; then
    make -s -j"$(nproc)" check TESTS= >/dev/null
fi
echo "setup: built $build/vigil"
