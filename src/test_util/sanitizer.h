// Whether this run is slower than native code, for the few tests whose bounds are times: built
// with AddressSanitizer, or run under qemu-user emulation. Such a bound is widened there, never
// dropped.
#pragma once

#include <cstdlib>
#include <cstring>

namespace registry {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kSanitizedBuild = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kSanitizedBuild = true;
#else
inline constexpr bool kSanitizedBuild = false;
#endif
#else
inline constexpr bool kSanitizedBuild = false;
#endif

// True when the environment has REGISTRY_TEST_EMULATED=1, as scripts/release_test.sh sets it for
// the cross-built tests it runs under qemu-user: every thread then runs translated code.
inline bool EmulatedRun() {
  const char* v = std::getenv("REGISTRY_TEST_EMULATED");
  return v != nullptr && std::strcmp(v, "1") == 0;
}

}  // namespace registry
