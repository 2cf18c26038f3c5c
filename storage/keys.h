#pragma once
// Key layouts of the RocksDB column families. Integers are big-endian so that RocksDB's
// bytewise order is numeric order: iterating `events` is iterating the log.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace placement::storage {

std::string encode_u64(std::uint64_t value);
std::optional<std::uint64_t> decode_u64(std::string_view bytes);

// events: position → stored record.
inline std::string event_key(std::uint64_t position) { return encode_u64(position); }

// streams: stream id, a 0x00 separator, version → position. Stream ids never contain 0x00
// (checked on append), so one stream's keys are contiguous and sorted by version.
std::string stream_key(std::string_view stream_id, std::uint64_t version);
std::string stream_prefix(std::string_view stream_id);

// merkle: last leaf (u64 BE) || level (1 byte) → the 32-byte hash of the complete subtree of
// 2^level leaves starting at leaf index << level, whose last leaf is ((index + 1) << level) - 1
// (merkle_tree.h). Keyed by the last leaf, every node an append completes sorts after every node
// before it, so appends insert in key order, and the family's last key names the tree's size.
std::string merkle_node_key(std::uint8_t level, std::uint64_t index);
// The last leaf a merkle key names; nullopt for a key of another shape.
std::optional<std::uint64_t> merkle_key_last_leaf(std::string_view key);

// meta: fixed keys.
inline constexpr std::string_view kMetaHead = "head";      // position (8) + hash (32)
inline constexpr std::string_view kMetaFormat = "format";  // kFormatVersion
inline constexpr std::string_view kMetaLogId = "log-id";   // marks the folder as ours
// Written only by the tree's first layout (level || index keys, 51bad6d..5708923), whose
// families are rebuilt on open; its presence marks that layout.
inline constexpr std::string_view kMetaMerkleSize = "merkle-size";
inline constexpr std::string_view kMetaVerified = "verified";  // position (8) + hash (32)
inline constexpr std::string_view kFormatVersion = "placement-ledger/1";

}  // namespace placement::storage
