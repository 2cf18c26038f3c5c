#pragma once
// RFC 6962 (section 2.1) hashing of the log's Merkle tree, SHA-256 throughout:
//   leaf hash  = SHA-256(0x00 || leaf bytes)
//   node hash  = SHA-256(0x01 || left || right)
//   empty tree = SHA-256("")
// A leaf of this log is an event's stored envelope bytes (what the hash chain covers too).
// Pure: no RocksDB, only OpenSSL's SHA-256; placectl links it to check proofs itself.

#include <string>
#include <string_view>

namespace placement::storage {

inline constexpr std::size_t kMerkleHashSize = 32;

std::string merkle_leaf_hash(std::string_view leaf_bytes);
std::string merkle_node_hash(std::string_view left, std::string_view right);
// The root of the tree of no leaves.
const std::string& merkle_empty_root();

}  // namespace placement::storage
