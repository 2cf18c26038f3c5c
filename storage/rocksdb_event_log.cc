#include "storage/rocksdb_event_log.h"

#include <algorithm>
#include <filesystem>
#include <random>

#include <google/protobuf/util/time_util.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <spdlog/spdlog.h>

#include "storage/hash_chain.h"
#include "storage/keys.h"
#include "storage/rocksdb_status.h"

namespace placement::storage {
namespace {

namespace fs = std::filesystem;

constexpr const char* kEvents = "events";
constexpr const char* kStreams = "streams";
constexpr const char* kCommands = "commands";
constexpr const char* kMeta = "meta";
// Added after the first release: a ledger written before it gains the family when opened.
constexpr const char* kSnapshots = "snapshots";

std::string random_event_id() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  const std::uint64_t hi = rng();
  const std::uint64_t lo = rng();
  return to_hex(encode_u64(hi) + encode_u64(lo));
}

std::string encode_command_result(std::uint64_t first, std::uint64_t last) {
  return encode_u64(first) + encode_u64(last);
}

rocksdb::ColumnFamilyOptions family_options(bool point_lookups) {
  rocksdb::ColumnFamilyOptions options;
  if (point_lookups) {
    // streams and commands are probed by key on every append: a bloom filter keeps misses cheap.
    rocksdb::BlockBasedTableOptions table;
    table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
    options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  }
  return options;
}

// Snapshots are a few large values (hundreds of MB at national scale), written whole and read
// whole. In blob files, the family's table files hold only small references: compaction never
// rewrites a snapshot (it did, at 1.3 GB a time, competing with the next start), a lookup reads one
// snapshot and not its neighbours in the same data block, and nothing is decompressed (snappy
// saved 17 % of a snapshot's size for a decompression on every start).
rocksdb::ColumnFamilyOptions snapshot_family_options() {
  rocksdb::ColumnFamilyOptions options = family_options(false);
  options.enable_blob_files = true;
  options.min_blob_size = 0;
  options.blob_compression_type = rocksdb::kNoCompression;
  return options;
}

bool folder_is_empty_or_missing(const fs::path& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) return true;
  return fs::is_directory(dir, ec) && fs::is_empty(dir, ec);
}

}  // namespace

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

Result<std::unique_ptr<RocksDbEventLog>> RocksDbEventLog::open(const std::string& dir, const RocksDbOptions& opts) {
  const fs::path path(dir);
  const bool fresh = folder_is_empty_or_missing(path);
  std::error_code ec;
  if (!fresh && !fs::is_directory(path, ec))
    return fail(Errc::invalid_argument, "data folder " + dir + " is not a folder");
  if (!fresh && !fs::exists(path / "CURRENT", ec))
    return fail(Errc::failed_precondition,
                "data folder " + dir + " is not empty and holds no placement ledger; refusing to touch it");
  if (fresh && !opts.create_if_missing)
    return fail(Errc::not_found, "data folder " + dir + " holds no placement ledger");

  rocksdb::DBOptions db_options;
  db_options.create_if_missing = fresh;
  db_options.create_missing_column_families = fresh;
  if (!fresh) {
    // Only a ledger's own families may be added to (the snapshots family, to a ledger older than
    // it); a RocksDB database that lacks the log's families is someone else's and stays untouched.
    std::vector<std::string> existing;
    if (auto listed = rocksdb::DB::ListColumnFamilies(db_options, dir, &existing); listed.ok()) {
      const auto has = [&](std::string_view name) { return std::find(existing.begin(), existing.end(), name) != existing.end(); };
      if (!has(kEvents) || !has(kStreams) || !has(kCommands) || !has(kMeta))
        return fail(Errc::failed_precondition,
                    "data folder " + dir + " is a RocksDB database but not a placement ledger (it lacks the log's column families)");
      db_options.create_missing_column_families = true;
    }
  }
  db_options.paranoid_checks = true;
  // A torn tail record after a crash is dropped; it can only be an unacknowledged write.
  db_options.wal_recovery_mode = rocksdb::WALRecoveryMode::kPointInTimeRecovery;

  std::vector<rocksdb::ColumnFamilyDescriptor> families = {
      {rocksdb::kDefaultColumnFamilyName, family_options(false)},
      {kEvents, family_options(false)},
      {kStreams, family_options(true)},
      {kCommands, family_options(true)},
      {kMeta, family_options(false)},
      {kSnapshots, snapshot_family_options()},
  };
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  const rocksdb::Status status = rocksdb::DB::Open(db_options, dir, families, &handles, &raw);
  if (!status.ok()) {
    const std::string text = status.ToString();
    if (is_lock_held(status))
      return fail(Errc::unavailable, "data folder " + dir + " is locked: another placementd is using it (" + text + ")");
    if (status.IsInvalidArgument())
      return fail(Errc::failed_precondition,
                  "data folder " + dir + " is a RocksDB database but not a placement ledger (" + text + ")");
    return outcome::failure(from_rocksdb(status, "cannot open data folder " + dir));
  }

  std::unique_ptr<RocksDbEventLog> log(new RocksDbEventLog());
  log->db_.reset(raw);
  log->disk_reserve_ = DiskReserve(dir, opts.min_free_bytes);
  log->default_ = handles[0];
  log->events_ = handles[1];
  log->streams_ = handles[2];
  log->commands_ = handles[3];
  log->meta_ = handles[4];
  log->snapshots_ = handles[5];

  std::string format;
  rocksdb::Status got = log->db_->Get(rocksdb::ReadOptions(), log->meta_, std::string(kMetaFormat), &format);
  if (got.IsNotFound()) {
    if (!fresh)
      return fail(Errc::failed_precondition, "data folder " + dir + " has no placement ledger format marker");
    rocksdb::WriteBatch batch;
    batch.Put(log->meta_, std::string(kMetaFormat), std::string(kFormatVersion));
    batch.Put(log->meta_, std::string(kMetaLogId), random_event_id());
    rocksdb::WriteOptions sync;
    sync.sync = true;
    if (auto s = log->db_->Write(sync, &batch); !s.ok())
      return outcome::failure(from_rocksdb(s, "cannot initialise data folder " + dir));
  } else if (!got.ok()) {
    return outcome::failure(from_rocksdb(got, "cannot read format of " + dir));
  } else if (format != kFormatVersion) {
    return fail(Errc::failed_precondition,
                "data folder " + dir + " has format '" + format + "', this server reads '" +
                    std::string(kFormatVersion) + "'");
  }
  if (auto loaded = log->load_head(); !loaded) return outcome::failure(loaded.error());
  return log;
}

RocksDbEventLog::~RocksDbEventLog() {
  if (!db_) return;
  for (auto* handle : {default_, events_, streams_, commands_, meta_, snapshots_})
    if (handle) (void)db_->DestroyColumnFamilyHandle(handle);
  (void)db_->Close();
}

Result<void> RocksDbEventLog::load_head() {
  std::string value;
  const rocksdb::Status status = db_->Get(rocksdb::ReadOptions(), meta_, std::string(kMetaHead), &value);
  Head head{Position{0}, genesis_hash()};
  if (status.ok()) {
    auto position = decode_u64(std::string_view(value).substr(0, 8));
    if (value.size() != 8 + kHashSize || !position)
      return fail(Errc::data_loss, "the log's head record is malformed");
    head = Head{Position{*position}, value.substr(8)};
  } else if (!status.IsNotFound()) {
    return outcome::failure(from_rocksdb(status, "cannot read the log's head"));
  }
  // The head record and the last event are written in the same batch; they must agree.
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), events_));
  it->SeekToLast();
  if (!it->status().ok()) return outcome::failure(from_rocksdb(it->status(), "cannot read the log"));
  const std::uint64_t last = it->Valid() ? decode_u64(it->key().ToStringView()).value_or(0) : 0;
  if (last != head.position.value)
    return fail(Errc::data_loss, "the log's head record says " + std::to_string(head.position.value) +
                                     " but the last event is at " + std::to_string(last));
  std::lock_guard lock(head_mutex_);
  head_ = std::move(head);
  return outcome::success();
}

std::optional<std::uint64_t> RocksDbEventLog::aggregated_property(const std::string& name) const {
  std::uint64_t value = 0;
  if (!db_->GetAggregatedIntProperty(name, &value)) return std::nullopt;
  return value;
}

Head RocksDbEventLog::head() const {
  std::lock_guard lock(head_mutex_);
  return head_;
}

AppendBatchOutcome RocksDbEventLog::append(std::vector<AppendRequest> requests) {
  AppendBatchOutcome outcome_of_batch;
  outcome_of_batch.results.reserve(requests.size());

  if (auto space = disk_reserve_.check_write(); !space) {
    for (std::size_t i = 0; i < requests.size(); ++i) outcome_of_batch.results.emplace_back(outcome::failure(space.error()));
    return outcome_of_batch;
  }

  if (needs_resume_) {
    // Writes resume by themselves once the cause is gone (space freed, folder writable again).
    if (const rocksdb::Status resumed = db_->Resume(); !resumed.ok()) {
      const Error error = from_rocksdb(resumed, "the log cannot be written yet");
      for (std::size_t i = 0; i < requests.size(); ++i) outcome_of_batch.results.emplace_back(outcome::failure(error));
      return outcome_of_batch;
    }
    needs_resume_ = false;
    spdlog::info("the log is writable again");
  }

  Head head = this->head();
  rocksdb::WriteBatch batch;
  // Changes this batch makes, applied to the caches only once the batch is durable.
  std::unordered_map<std::string, std::uint64_t> pending_versions;
  std::unordered_map<std::string, AppendResult> pending_commands;
  std::vector<std::size_t> accepted;  // indexes into results that the write decides

  auto current_version = [&](const std::string& stream) -> Result<std::uint64_t> {
    if (auto it = pending_versions.find(stream); it != pending_versions.end()) return it->second;
    if (auto it = stream_versions_.find(stream); it != stream_versions_.end()) return it->second;
    auto version = stream_version(stream);
    if (!version) return outcome::failure(version.error());
    stream_versions_.emplace(stream, version.value().value);
    return version.value().value;
  };

  for (auto& request : requests) {
    if (request.command_id.empty()) {
      outcome_of_batch.results.emplace_back(fail(Errc::invalid_argument, "every append needs a command id"));
      continue;
    }
    if (auto it = pending_commands.find(request.command_id); it != pending_commands.end()) {
      AppendResult repeat = it->second;
      repeat.duplicate = true;
      outcome_of_batch.results.emplace_back(repeat);
      continue;
    }
    auto seen = find_command(request.command_id);
    if (!seen) {
      outcome_of_batch.results.emplace_back(outcome::failure(seen.error()));
      continue;
    }
    if (seen.value()) {
      AppendResult repeat = *seen.value();
      repeat.duplicate = true;
      outcome_of_batch.results.emplace_back(repeat);
      continue;
    }

    // Check every stream before writing any, so a request is all or nothing. A stream may appear
    // more than once (a command's events keep their order across streams); each expected
    // version is checked against the version the request's earlier events leave.
    std::optional<Error> refusal;
    std::size_t event_count = 0;
    std::unordered_map<std::string, std::uint64_t> request_versions;
    for (const auto& stream : request.streams) {
      event_count += stream.events.size();
      if (stream.stream_id.empty() || stream.stream_id.find('\0') != std::string::npos) {
        refusal = Error{Errc::invalid_argument, "stream id must be non-empty and contain no NUL byte"};
        break;
      }
      std::uint64_t version = 0;
      if (auto it = request_versions.find(stream.stream_id); it != request_versions.end()) {
        version = it->second;
      } else {
        auto stored = current_version(stream.stream_id);
        if (!stored) {
          refusal = stored.error();
          break;
        }
        version = stored.value();
      }
      if (!stream.expected.matches(version)) {
        refusal = Error{Errc::conflict, "stream " + stream.stream_id + " is at version " + std::to_string(version) +
                                            ", expected " + std::to_string(*stream.expected.version())};
        break;
      }
      request_versions[stream.stream_id] = version + stream.events.size();
    }
    if (!refusal && event_count == 0) refusal = Error{Errc::invalid_argument, "an append needs at least one event"};
    if (refusal) {
      outcome_of_batch.results.emplace_back(outcome::failure(std::move(*refusal)));
      continue;
    }

    AppendResult result{Position{head.position.value + 1}, Position{head.position.value + event_count}, false};
    const auto recorded_at = google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
        std::chrono::duration_cast<std::chrono::microseconds>(request.recorded_at.time_since_epoch()).count());
    for (auto& stream : request.streams) {
      std::uint64_t version = current_version(stream.stream_id).value();
      for (auto& event : stream.events) {
        const std::uint64_t position = head.position.value + 1;
        ++version;
        LoggedEvent logged;
        auto& envelope = logged.envelope;
        envelope.set_position(position);
        envelope.set_stream_id(stream.stream_id);
        envelope.set_stream_version(version);
        envelope.set_event_id(random_event_id());
        envelope.set_command_id(request.command_id);
        *envelope.mutable_actor() = request.actor;
        *envelope.mutable_recorded_at() = recorded_at;
        envelope.set_event_type(std::move(event.type));
        envelope.set_payload(std::move(event.payload));
        envelope.set_prev_hash(head.hash);
        envelope.SerializeToString(&logged.envelope_bytes);
        logged.hash = chain_hash(head.hash, logged.envelope_bytes);

        batch.Put(events_, event_key(position), logged.hash + logged.envelope_bytes);
        batch.Put(streams_, stream_key(stream.stream_id, version), encode_u64(position));
        head = Head{Position{position}, logged.hash};
        outcome_of_batch.written.push_back(std::move(logged));
      }
      pending_versions[stream.stream_id] = version;
    }
    batch.Put(commands_, request.command_id, encode_command_result(result.first.value, result.last.value));
    pending_commands.emplace(request.command_id, result);
    accepted.push_back(outcome_of_batch.results.size());
    outcome_of_batch.results.emplace_back(result);
  }

  if (accepted.empty()) return outcome_of_batch;

  batch.Put(meta_, std::string(kMetaHead), encode_u64(head.position.value) + head.hash);
  rocksdb::WriteOptions options;
  options.sync = true;  // durable before anyone is told
  const rocksdb::Status status = db_->Write(options, &batch);
  if (!status.ok()) {
    const Error error = from_rocksdb(status, "the log could not be written");
    spdlog::error("{}; {} command(s) refused, nothing written", error.message, accepted.size());
    needs_resume_ = true;
    for (std::size_t index : accepted) outcome_of_batch.results[index] = outcome::failure(error);
    outcome_of_batch.written.clear();
    return outcome_of_batch;
  }
  for (auto& [stream, version] : pending_versions) stream_versions_[stream] = version;
  std::lock_guard lock(head_mutex_);
  head_ = std::move(head);
  return outcome_of_batch;
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
    auto event = decode_record(*position, it->value().ToStringView());
    if (!event) return outcome::failure(event.error());
    events.push_back(std::move(event).value());
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
    if (auto visited = visit(StoredEventView{Position{*position}, value.substr(kHashSize)}); !visited) return visited;
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
    auto event = read_at(*position);
    if (!event) return outcome::failure(event.error());
    events.push_back(std::move(event).value());
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
  const std::string_view view(value);
  const auto first = decode_u64(view.substr(0, 8));
  const auto last = value.size() == 16 ? decode_u64(view.substr(8)) : std::nullopt;
  if (!first || !last) return fail(Errc::data_loss, "malformed entry in the commands family");
  return std::optional<AppendResult>{AppendResult{Position{*first}, Position{*last}, false}};
}

Result<ChainReport> RocksDbEventLog::verify_chain(Position from, Position to) const {
  ChainReport report;
  const Head head = this->head();
  const std::uint64_t first = std::max<std::uint64_t>(from.value, 1);
  const std::uint64_t last = to.value == 0 ? head.position.value : std::min(to.value, head.position.value);
  std::string prev = genesis_hash();
  if (first > 1) {
    auto before = read_at(first - 1);
    if (!before) return outcome::failure(before.error());
    prev = before.value().hash;
  }
  auto broken = [&](std::uint64_t position, std::string problem) {
    report.ok = false;
    report.first_bad = Position{position};
    report.problem = std::move(problem);
    return report;
  };
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), events_));
  std::uint64_t expected = first;
  for (it->Seek(event_key(first)); it->Valid() && expected <= last; it->Next(), ++expected) {
    const auto position = decode_u64(it->key().ToStringView());
    if (position != expected) return broken(expected, "event missing: next stored key is not consecutive");
    const std::string_view value = it->value().ToStringView();
    if (value.size() < kHashSize) return broken(expected, "record shorter than its hash");
    const std::string_view stored_hash = value.substr(0, kHashSize);
    const std::string_view bytes = value.substr(kHashSize);
    if (chain_hash(prev, bytes) != stored_hash) return broken(expected, "hash does not match the stored bytes");
    v1::EventEnvelope envelope;
    if (!envelope.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
      return broken(expected, "envelope does not parse");
    if (envelope.position() != expected) return broken(expected, "envelope names another position");
    if (envelope.prev_hash() != prev) return broken(expected, "envelope's prev_hash does not link to the previous event");
    prev.assign(stored_hash);
    ++report.checked;
  }
  if (!it->status().ok()) return outcome::failure(from_rocksdb(it->status(), "cannot read the log"));
  if (expected <= last) return broken(expected, "event missing before the head");
  if (last == head.position.value && last >= first && prev != head.hash)
    return broken(last, "head record's hash differs from the last event's");
  report.head_hash = prev;
  return report;
}


Status RocksDbEventLog::put_snapshot(Position position, std::string_view bytes) {
  auto event = read_at(position.value);
  if (!event) return outcome::failure(event.error());
  if (auto room = disk_reserve_.check_snapshot(bytes.size()); !room) return room;
  rocksdb::WriteBatch batch;
  std::string value = chain_hash(event.value().hash, bytes);
  value.append(bytes);
  batch.Put(snapshots_, encode_u64(position.value), value);
  // Drop all but the newest kKeptSnapshots (this one included). The iterator reads each older
  // snapshot's value, unused here: no checksum over it (see snapshot_at_or_before).
  rocksdb::ReadOptions listing;
  listing.verify_checksums = false;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(listing, snapshots_));
  std::size_t kept = 1;
  for (it->SeekForPrev(encode_u64(position.value)); it->Valid(); it->Prev()) {
    if (it->key().ToStringView() == encode_u64(position.value)) continue;
    if (kept++ >= kKeptSnapshots) batch.Delete(snapshots_, it->key());
  }
  if (!it->status().ok()) return outcome::failure(from_rocksdb(it->status(), "cannot list snapshots"));
  // Not through the write-ahead log: a WAL holding the snapshot stays alive (and is read back in
  // full at the next open) until every family with data in it is flushed. The flush below makes
  // the snapshot durable instead; a crash before it loses only this cache.
  rocksdb::WriteOptions without_wal;
  without_wal.disableWAL = true;
  if (auto written = db_->Write(without_wal, &batch); !written.ok())
    return outcome::failure(from_rocksdb(written, "cannot write a snapshot"));
  if (auto flushed = db_->Flush(rocksdb::FlushOptions(), snapshots_); !flushed.ok())
    return outcome::failure(from_rocksdb(flushed, "cannot flush a snapshot"));
  // Compacting the family's small table files drops the references to the snapshots deleted
  // above, and with them their blob files, now rather than after a few more snapshots. It reads
  // no snapshot (only snapshots stored inline by an older build, once, moving them to blob files).
  if (auto compacted = db_->CompactRange(rocksdb::CompactRangeOptions(), snapshots_, nullptr, nullptr); !compacted.ok())
    return outcome::failure(from_rocksdb(compacted, "cannot compact the snapshots"));
  return ok();
}

Result<std::optional<StoredSnapshot>> RocksDbEventLog::snapshot_at_or_before(Position at_or_before) const {
  rocksdb::ReadOptions options;
  // Each snapshot carries its own SHA-256 digest, checked below over the same bytes; RocksDB's
  // crc32c over them is table-driven in Debian's portable build (~0.5 s CPU per 500 MB).
  options.verify_checksums = false;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(options, snapshots_));
  for (it->SeekForPrev(encode_u64(at_or_before.value)); it->Valid(); it->Prev()) {
    const auto position = decode_u64(it->key().ToStringView());
    const std::string_view value = it->value().ToStringView();
    if (!position || value.size() < kHashSize) continue;
    auto event = read_at(*position);
    const std::string_view bytes = value.substr(kHashSize);
    if (!event || chain_hash(event.value().hash, bytes) != value.substr(0, kHashSize)) {
      spdlog::warn("the snapshot at position {} does not match the log; ignoring it", *position);
      continue;
    }
    return std::optional<StoredSnapshot>(StoredSnapshot{Position{*position}, std::string(bytes)});
  }
  if (!it->status().ok()) return outcome::failure(from_rocksdb(it->status(), "cannot read snapshots"));
  return std::optional<StoredSnapshot>();
}

}  // namespace placement::storage
