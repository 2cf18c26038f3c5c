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

// merkle: level (1 byte) || index (u64 BE) → the 32-byte hash of the complete subtree of 2^level
// leaves starting at leaf index << level (merkle_tree.h).
std::string merkle_node_key(std::uint8_t level, std::uint64_t index);

// meta: fixed keys.
inline constexpr std::string_view kMetaHead = "head";               // position (8) + hash (32)
inline constexpr std::string_view kMetaFormat = "format";           // kFormatVersion
inline constexpr std::string_view kMetaLogId = "log-id";            // marks the folder as ours
inline constexpr std::string_view kMetaMerkleSize = "merkle-size";  // leaves in merkle (u64 BE)
inline constexpr std::string_view kMetaVerified = "verified";       // position (8) + hash (32)
inline constexpr std::string_view kFormatVersion = "placement-ledger/1";

}  // namespace placement::storage
