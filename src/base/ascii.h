// ASCII case folding for names, header fields and URL parts (never locale-dependent).
#ifndef REGISTRY_BASE_ASCII_H_
#define REGISTRY_BASE_ASCII_H_

#include <string>
#include <string_view>

namespace registry {

// `text` with A-Z turned into a-z; every other byte, UTF-8 included, is kept.
std::string AsciiLower(std::string_view text);

}  // namespace registry

#endif  // REGISTRY_BASE_ASCII_H_
