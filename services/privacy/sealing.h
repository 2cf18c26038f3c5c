#pragma once
// Authenticated encryption of small values under a 256-bit key: AES-256-GCM through OpenSSL's EVP
// interface, nothing home-made. A sealed value is
//
//   version (1 byte, 0x01) | nonce (12 random bytes) | ciphertext | tag (16 bytes)
//
// The associated data (e.g. the citizen id a value belongs to) is authenticated but not stored:
// opening needs the same associated data, so a sealed value cannot be moved to another owner.
// A fresh random nonce per seal: with at most a few seals per key, collisions are out of reach.

#include <cstddef>
#include <string>
#include <string_view>

#include "services/base/result.h"

namespace placement::privacy::sealing {

inline constexpr std::size_t kKeyBytes = 32;

// `count` bytes from OpenSSL's CSPRNG. Errors: internal when it cannot draw them.
Result<std::string> random_bytes(std::size_t count);

// Errors: invalid_argument for a key of the wrong size; internal when OpenSSL fails.
Result<std::string> seal(std::string_view key, std::string_view associated_data, std::string_view plaintext);

// Errors: invalid_argument for a key of the wrong size; data_loss when the value is not one this
// module sealed under this key and associated data (wrong key, altered or truncated bytes).
Result<std::string> open(std::string_view key, std::string_view associated_data, std::string_view sealed);

}  // namespace placement::privacy::sealing
