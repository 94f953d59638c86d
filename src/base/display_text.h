// Making untrusted text safe to print: to a terminal, a log line, a web page.
#pragma once

#include <string>
#include <string_view>

namespace registry {

// `text` with every byte or character that could forge a line or steer a terminal written as
// an escape: C0 controls, DEL and C1 controls as \xNN (newline is \x0a, so one field stays on
// one line), Unicode format controls that reorder text (U+061C, U+200E-U+200F, U+202A-U+202E,
// U+2066-U+2069) as \u{NNNN}, bytes that are not UTF-8 as \xNN, and `\` as `\\` so that no
// escape can be faked. Everything else, other UTF-8 included, is kept.
std::string EscapeForDisplay(std::string_view text);

// Whether EscapeForDisplay would change anything but backslashes: `text` holds a control,
// a reordering character or invalid UTF-8.
bool HasUnprintable(std::string_view text);

}  // namespace registry
