# Cross-compiles for Debian's arm64 (aarch64-linux-gnu) with crossbuild-essential-arm64 and the
# arm64 -dev packages installed beside the host's (multiarch): scripts/release.sh uses it.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
# Libraries come from /usr/lib/aarch64-linux-gnu only; header-only packages (Boost, nlohmann-json,
# toml++, doctest) are architecture-independent and found in /usr/include; programs (python3,
# git) are the host's.
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)
# Tests built here run under qemu-user (Debian's qemu-user-static).
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64-static)
