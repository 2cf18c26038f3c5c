#pragma once
// The record layouts both logs store (RocksDbEventLog's families, EtcdEventLog's keys), shared by
// their files and by nothing else but tests and offline tools (decode_record). Keys are in
// rocksdb_event_log.h, etcd_event_log.h and keys.h.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "storage/event_log.h"

namespace placement::storage {

// Decodes one stored event record: hash (32 bytes) || envelope bytes.
Result<LoggedEvent> decode_record(std::uint64_t position, std::string_view value);

}  // namespace placement::storage

namespace placement::storage::detail {

// 16 random bytes as 32 hex digits: an event's id, and the log id written when a log is created.
std::string random_id();

// meta "head": position (u64 BE) || hash. Written with every append, in the same batch as the
// events; read back on open. nullopt when the record has another length.
std::string encode_head_record(const Head& head);
std::optional<Head> decode_head_record(std::string_view value);

// commands: command id → first position (u64 BE) || last position (u64 BE). decode gives a
// result with duplicate false; nullopt when the record is malformed.
std::string encode_command_record(Position first, Position last);
std::optional<AppendResult> decode_command_record(std::string_view value);

}  // namespace placement::storage::detail
