#pragma once
// Whether bytes are UTF-8: text from outside (a URL, a webhook, a CSV file)
// is checked once where it comes in, so what is stored, shown and exported is
// always UTF-8.
#include <string_view>

namespace fu {

// Strict: no overlong forms, no surrogates, nothing past U+10FFFF.
bool valid_utf8(std::string_view);

}  // namespace fu
