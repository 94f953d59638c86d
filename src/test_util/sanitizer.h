// Whether this build runs under AddressSanitizer, for the few tests whose bounds are times:
// instrumented code runs several times slower, so such a bound is widened there, never dropped.
#pragma once

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

}  // namespace registry
