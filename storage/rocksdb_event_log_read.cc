// RocksDbEventLog, the reads. Safe from any thread, concurrently with append. read_forward and
// visit_forward stop at the head they read when they start; read_stream, stream_version and
// find_command see what RocksDB has committed, which may include a batch whose head append has
// not published yet.
#include "storage/rocksdb_event_log.h"

#include <algorithm>

#include <rocksdb/db.h>

#include "storage/hash_chain.h"
#include "storage/keys.h"
#include "storage/log_records.h"
#include "storage/rocksdb_status.h"

namespace placement::storage {

Result<LoggedEvent> decode_record(std::uint64_t position, std::string_view value) {
  if (value.size() < kHashSize)
    return fail(Errc::data_loss, "event at position " + std::to_string(position) + " is truncated");
  LoggedEvent event;
  event.hash.assign(value.substr(0, kHashSize));
  event.envelope_bytes.assign(value.substr(kHashSize));
  if (!event.envelope.ParseFromString(event.envelope_bytes))
    return fail(Errc::data_loss, "event at position " + std::to_string(position) + " does not parse");
  return event;
}

Head RocksDbEventLog::head() const {
  std::lock_guard lock(head_mutex_);
  return head_;
}

void RocksDbEventLog::set_head(Head head) {
  std::lock_guard lock(head_mutex_);
  head_ = std::move(head);
}

Result<LoggedEvent> RocksDbEventLog::read_at(std::uint64_t position) const {
  std::string value;
  const rocksdb::Status status = db_->Get(rocksdb::ReadOptions(), events_, event_key(position), &value);
  if (status.IsNotFound()) return fail(Errc::not_found, "no event at position " + std::to_string(position));
  if (!status.ok()) return outcome::failure(from_rocksdb(status, "cannot read the log"));
  return decode_record(position, value);
}

Result<std::vector<LoggedEvent>> RocksDbEventLog::read_forward(Position from, std::size_t max) const {
  std::vector<LoggedEvent> events;
  const std::uint64_t last = head().position.value;  // never read past what is committed
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), events_));
  for (it->Seek(event_key(std::max<std::uint64_t>(from.value, 1))); it->Valid() && events.size() < max; it->Next()) {
    const auto position = decode_u64(it->key().ToStringView());
    if (!position) return fail(Errc::data_loss, "malformed key in the events family");
    if (*position > last) break;
    PLACEMENT_TRY(event, decode_record(*position, it->value().ToStringView()));
    events.push_back(std::move(event));
  }
  if (!it->status().ok()) return outcome::failure(from_rocksdb(it->status(), "cannot read the log"));
  return events;
}

Status RocksDbEventLog::visit_forward(Position from, Position up_to, const StoredEventVisitor& visit) const {
  const std::uint64_t head_position = head().position.value;  // never read past what is committed
  const std::uint64_t last = up_to.value == 0 ? head_position : std::min(up_to.value, head_position);
  const std::uint64_t first = std::max<std::uint64_t>(from.value, 1);
  if (first > last) return ok();
  // The bound lets RocksDB stop at the last block instead of reading on to find the end.
  const std::string upper_bound = event_key(last + 1);
  const rocksdb::Slice upper_bound_slice(upper_bound);
  rocksdb::ReadOptions options;
  options.iterate_upper_bound = &upper_bound_slice;
  // A whole-log scan would otherwise push the blocks the server is using out of the block cache,
  // for blocks it reads once (measured: also ~5 % fewer instructions in RocksDB per event).
  options.fill_cache = false;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(options, events_));
  for (it->Seek(event_key(first)); it->Valid(); it->Next()) {
    const auto position = decode_u64(it->key().ToStringView());
    if (!position) return fail(Errc::data_loss, "malformed key in the events family");
    const std::string_view value = it->value().ToStringView();
    if (value.size() < kHashSize)
      return fail(Errc::data_loss, "event at position " + std::to_string(*position) + " is truncated");
    PLACEMENT_TRY(visit(StoredEventView{Position{*position}, value.substr(kHashSize)}));
  }
  if (!it->status().ok()) return outcome::failure(from_rocksdb(it->status(), "cannot read the log"));
  return ok();
}

Result<std::vector<LoggedEvent>> RocksDbEventLog::read_stream(const std::string& stream_id, StreamVersion from,
                                                              std::size_t max) const {
  std::vector<LoggedEvent> events;
  const std::string prefix = stream_prefix(stream_id);
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), streams_));
  for (it->Seek(stream_key(stream_id, std::max<std::uint64_t>(from.value, 1)));
       it->Valid() && it->key().starts_with(prefix) && events.size() < max; it->Next()) {
    const auto position = decode_u64(it->value().ToStringView());
    if (!position) return fail(Errc::data_loss, "malformed entry in the streams family");
    PLACEMENT_TRY(event, read_at(*position));
    events.push_back(std::move(event));
  }
  if (!it->status().ok()) return outcome::failure(from_rocksdb(it->status(), "cannot read the log"));
  return events;
}

Result<StreamVersion> RocksDbEventLog::stream_version(const std::string& stream_id) const {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), streams_));
  it->SeekForPrev(stream_key(stream_id, ~std::uint64_t{0}));
  if (!it->status().ok()) return outcome::failure(from_rocksdb(it->status(), "cannot read the streams family"));
  const std::string prefix = stream_prefix(stream_id);
  if (!it->Valid() || !it->key().starts_with(prefix)) return StreamVersion{0};
  const auto version = decode_u64(it->key().ToStringView().substr(prefix.size()));
  if (!version) return fail(Errc::data_loss, "malformed key in the streams family");
  return StreamVersion{*version};
}

Result<std::optional<AppendResult>> RocksDbEventLog::find_command(const std::string& command_id) const {
  std::string value;
  const rocksdb::Status status = db_->Get(rocksdb::ReadOptions(), commands_, command_id, &value);
  if (status.IsNotFound()) return std::optional<AppendResult>{};
  if (!status.ok()) return outcome::failure(from_rocksdb(status, "cannot read the commands family"));
  auto result = detail::decode_command_record(value);
  if (!result) return fail(Errc::data_loss, "malformed entry in the commands family");
  return std::optional<AppendResult>{*result};
}

std::optional<std::uint64_t> RocksDbEventLog::aggregated_property(const std::string& name) const {
  std::uint64_t value = 0;
  if (!db_->GetAggregatedIntProperty(name, &value)) return std::nullopt;
  return value;
}

}  // namespace placement::storage
