# Cross-compiles for Debian's armhf (arm-linux-gnueabihf) with crossbuild-essential-armhf and the
# armhf -dev packages installed beside the host's (multiarch): scripts/release.sh uses it.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-linux-gnueabihf-gcc)
set(CMAKE_CXX_COMPILER arm-linux-gnueabihf-g++)
set(CMAKE_LIBRARY_ARCHITECTURE arm-linux-gnueabihf)
# GCC notes on every std::sort of a struct that its ARM argument passing changed in GCC 7.1:
# nothing here links against code built by a GCC that old.
set(CMAKE_CXX_FLAGS_INIT -Wno-psabi)
# Libraries come from /usr/lib/arm-linux-gnueabihf only; header-only packages (Boost, nlohmann-json,
# toml++, doctest) are architecture-independent and found in /usr/include; programs (python3,
# git) are the host's.
set(CMAKE_FIND_ROOT_PATH /usr/arm-linux-gnueabihf)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)
# Tests built here run under qemu-user (Debian's qemu-user-static).
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-arm-static)
