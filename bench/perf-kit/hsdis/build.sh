#!/usr/bin/env bash
# Copyright 2026 The pvring developers
# SPDX-License-Identifier: Apache-2.0
#
# Builds the capstone-based hsdis (hsdis-capstone.c) into ${OUT:-${TMPDIR:-/tmp}/pvring-hsdis}/hsdis-amd64.so and
# prints the LD_LIBRARY_PATH to use. Needs gcc and libcapstone-dev.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${OUT:-${TMPDIR:-/tmp}/pvring-hsdis}"
if [ ! -f /usr/include/capstone/capstone.h ]; then
    echo "build.sh: capstone headers missing: apt-get install -y libcapstone-dev" >&2
    exit 2
fi
mkdir -p "$out"
gcc -O2 -Wall -Wextra -shared -fPIC "$here/hsdis-capstone.c" -o "$out/hsdis-amd64.so" -lcapstone
echo "LD_LIBRARY_PATH=$out"
