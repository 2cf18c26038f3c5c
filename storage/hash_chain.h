#pragma once
// The hash chain that makes the log tamper-evident:
//   hash(n) = SHA-256(hash(n-1) || stored envelope bytes of n),   hash(0) = 32 zero bytes.
// The envelope also carries prev_hash, so a record cannot be moved without detection either.

#include <string>
#include <string_view>

namespace placement::storage {

inline constexpr std::size_t kHashSize = 32;

// 32 zero bytes: the "previous hash" of the first event.
const std::string& genesis_hash();

// SHA-256(prev_hash || envelope_bytes), 32 raw bytes.
std::string chain_hash(std::string_view prev_hash, std::string_view envelope_bytes);

std::string to_hex(std::string_view bytes);

}  // namespace placement::storage
