// The record layouts the phases of RocksDbEventLog share: one phase writes them, another reads
// them back. The phases themselves:
//   rocksdb_event_log_open.cc    open, format checks, column families, head on open, close
//   rocksdb_event_log_append.cc  append
//   rocksdb_event_log_read.cc    the reads
//   rocksdb_event_log_verify.cc  verify_chain
//   rocksdb_snapshot_store.cc    the snapshot store
#include "storage/rocksdb_event_log.h"

#include <random>

#include "storage/hash_chain.h"
#include "storage/keys.h"
#include "storage/log_records.h"

namespace placement::storage::detail {

std::string random_id() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  const std::uint64_t hi = rng();
  const std::uint64_t lo = rng();
  return to_hex(encode_u64(hi) + encode_u64(lo));
}

std::string encode_head_record(const Head& head) { return encode_u64(head.position.value) + head.hash; }

std::optional<Head> decode_head_record(std::string_view value) {
  const auto position = decode_u64(value.substr(0, 8));
  if (value.size() != 8 + kHashSize || !position) return std::nullopt;
  return Head{Position{*position}, std::string(value.substr(8))};
}

std::string encode_command_record(Position first, Position last) {
  return encode_u64(first.value) + encode_u64(last.value);
}

std::optional<AppendResult> decode_command_record(std::string_view value) {
  const auto first = decode_u64(value.substr(0, 8));
  const auto last = value.size() == 16 ? decode_u64(value.substr(8)) : std::nullopt;
  if (!first || !last) return std::nullopt;
  return AppendResult{Position{*first}, Position{*last}, false};
}

}  // namespace placement::storage::detail
