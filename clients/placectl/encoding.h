#pragma once
// Byte encodings for output: lower-case hex, standard base64 (RFC 4648, with padding), SHA-256.

#include <string>
#include <string_view>

namespace placement::placectl {

std::string hex(std::string_view bytes);
std::string base64(std::string_view bytes);
// SHA-256 of the concatenation a || b, 32 raw bytes (OpenSSL).
std::string sha256(std::string_view a, std::string_view b);

}  // namespace placement::placectl
