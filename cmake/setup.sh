#!/usr/bin/env bash
# Sets up a build of kactor on Debian 12: installs the Debian packages that are
# missing (printing them), configures with CMake and builds.
#   usage: cmake/setup.sh [BUILD_DIR] [BUILD_TYPE] [-- cmake --build args...]
# Sourced or run by tests/run, runtime/run and bench/run.
set -euo pipefail

KACTOR_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# BUILD_DIR and BUILD_TYPE are optional and positional; `--` may come after either (or
# first), so `setup.sh build -- -j2` does not take "--" for a build type.
BUILD_DIR="$KACTOR_ROOT/build"
BUILD_TYPE="RelWithDebInfo"
if [ $# -gt 0 ] && [ "$1" != "--" ]; then BUILD_DIR="$1"; shift; fi
if [ $# -gt 0 ] && [ "$1" != "--" ]; then BUILD_TYPE="$1"; shift; fi
if [ "${1:-}" = "--" ]; then shift; fi

KACTOR_PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git
  libcaf-dev librocksdb-dev libmsgpack-cxx-dev libspdlog-dev libfmt-dev catch2
  nlohmann-json3-dev libyaml-dev libcpp-httplib-dev libcli11-dev libbenchmark-dev
  libssl-dev zlib1g-dev libbrotli-dev libboost-dev
  libtcmalloc-minimal4  # the allocator of kactor's programs (cmake/KactorAllocator.cmake)
  gdb  # tests: a hung teardown prints every thread's stack (tests/support/teardown_watchdog.hpp)
  iproute2  # ip netns, tc netem: the network-namespace partition test (tests/e2e)
)

missing=()
for p in "${KACTOR_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "kactor setup: installing missing Debian packages: ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  cmake -S "$KACTOR_ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="$BUILD_TYPE"
fi
cmake --build "$BUILD_DIR" "$@"
