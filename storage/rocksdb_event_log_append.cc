// RocksDbEventLog, the write path. append runs on one thread at a time (the single writer,
// GroupCommitWriter's ledger-writer): it alone touches needs_resume_, stream_versions_ and the
// disk reserve's write state, and it alone moves the head. Every call that accepts a request is
// one WriteBatch written with sync=true; nothing it decides reaches the caches or the head
// before that write returned.
#include "storage/rocksdb_event_log.h"

#include <unordered_map>

#include <google/protobuf/util/time_util.h>
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <spdlog/spdlog.h>

#include "storage/hash_chain.h"
#include "storage/keys.h"
#include "storage/log_records.h"
#include "storage/rocksdb_status.h"

namespace placement::storage {
namespace {

AppendBatchOutcome refuse_all(std::size_t requests, const Error& error) {
  AppendBatchOutcome refused;
  refused.results.reserve(requests);
  for (std::size_t i = 0; i < requests; ++i) refused.results.emplace_back(outcome::failure(error));
  return refused;
}

// The column families an append writes.
struct AppendFamilies {
  rocksdb::ColumnFamilyHandle* events;
  rocksdb::ColumnFamilyHandle* streams;
  rocksdb::ColumnFamilyHandle* commands;
  rocksdb::ColumnFamilyHandle* meta;
};

// One append call's requests, turned one by one into a single WriteBatch. Holds what the batch
// would change (stream versions, command results, the head) until the caller has written it;
// commit() then applies the stream versions to the writer's cache.
class BatchBuilder {
 public:
  BatchBuilder(const RocksDbEventLog& log, AppendFamilies families, Head head,
               std::unordered_map<std::string, std::uint64_t>& stream_versions)
      : log_(log),
        families_(families),
        head_(std::move(head)),
        stream_versions_(stream_versions),
        merkle_(log.merkle().begin_append()) {}

  // Decides one request: its result when new (its events then in the batch and in written),
  // the first result when its command id was seen (in the log or earlier in this batch), or why
  // it is refused. A refused or repeated request adds nothing to the batch.
  Result<AppendResult> add(AppendRequest& request, std::vector<LoggedEvent>& written) {
    if (request.command_id.empty()) return fail(Errc::invalid_argument, "every append needs a command id");
    if (auto earlier = earlier_result(request.command_id)) return std::move(*earlier);
    PLACEMENT_TRY(event_count, check_stream_versions(request));
    return add_events(request, event_count, written);
  }

  // The batch with the head record, to write once every request has been added.
  rocksdb::WriteBatch& finish() {
    batch_.Put(families_.meta, std::string(kMetaHead), detail::encode_head_record(head_));
    return batch_;
  }

  // After the batch is durable: the writer's cache learns the new stream versions.
  void commit() {
    for (auto& [stream, version] : pending_versions_) stream_versions_[stream] = version;
  }

  const Head& head() const { return head_; }
  // The Merkle tree's additions, for the log to commit once the batch is durable.
  MerkleTree::Append take_merkle() { return std::move(merkle_); }

 private:
  // Idempotency: the result a command id already has, flagged as a duplicate, or the error
  // looking it up gave; nullopt when the command is new.
  std::optional<Result<AppendResult>> earlier_result(const std::string& command_id) const {
    if (auto it = pending_commands_.find(command_id); it != pending_commands_.end()) {
      AppendResult repeat = it->second;
      repeat.duplicate = true;
      return repeat;
    }
    auto seen = log_.find_command(command_id);
    if (!seen) return Result<AppendResult>(outcome::failure(seen.error()));
    if (seen.value()) {
      AppendResult repeat = *seen.value();
      repeat.duplicate = true;
      return repeat;
    }
    return std::nullopt;
  }

  // A stream's version as this batch leaves it so far: earlier requests of the batch, else the
  // writer's cache, else the streams family (then cached).
  Result<std::uint64_t> current_version(const std::string& stream) {
    if (auto it = pending_versions_.find(stream); it != pending_versions_.end()) return it->second;
    if (auto it = stream_versions_.find(stream); it != stream_versions_.end()) return it->second;
    PLACEMENT_TRY(version, log_.stream_version(stream));
    stream_versions_.emplace(stream, version.value);
    return version.value;
  }

  // Checks every stream before writing any, so a request is all or nothing. A stream may appear
  // more than once (a command's events keep their order across streams); each expected version
  // is checked against the version the request's earlier events leave. The request's number of
  // events when it may be written.
  Result<std::size_t> check_stream_versions(const AppendRequest& request) {
    std::size_t event_count = 0;
    std::unordered_map<std::string, std::uint64_t> request_versions;
    for (const auto& stream : request.streams) {
      event_count += stream.events.size();
      if (stream.stream_id.empty() || stream.stream_id.find('\0') != std::string::npos)
        return fail(Errc::invalid_argument, "stream id must be non-empty and contain no NUL byte");
      std::uint64_t version = 0;
      if (auto it = request_versions.find(stream.stream_id); it != request_versions.end()) {
        version = it->second;
      } else {
        PLACEMENT_TRY(stored, current_version(stream.stream_id));
        version = stored;
      }
      if (!stream.expected.matches(version))
        return fail(Errc::conflict, "stream " + stream.stream_id + " is at version " + std::to_string(version) +
                                        ", expected " + std::to_string(*stream.expected.version()));
      request_versions[stream.stream_id] = version + stream.events.size();
    }
    if (event_count == 0) return fail(Errc::invalid_argument, "an append needs at least one event");
    return event_count;
  }

  // Puts a checked request's events, stream entries and command record in the batch, each
  // event chained to the one before it.
  AppendResult add_events(AppendRequest& request, std::size_t event_count, std::vector<LoggedEvent>& written) {
    const AppendResult result{Position{head_.position.value + 1}, Position{head_.position.value + event_count}, false};
    const auto recorded_at = google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
        std::chrono::duration_cast<std::chrono::microseconds>(request.recorded_at.time_since_epoch()).count());
    for (auto& stream : request.streams) {
      // Checked above: the version is known, from this batch or the cache.
      std::uint64_t version = current_version(stream.stream_id).value();
      for (auto& event : stream.events) {
        ++version;
        LoggedEvent logged = chained(envelope_for(request, stream.stream_id, version, recorded_at, event));
        const std::uint64_t position = logged.envelope.position();
        batch_.Put(families_.events, event_key(position), logged.hash + logged.envelope_bytes);
        log_.merkle().add_leaf(merkle_, logged.envelope_bytes, batch_);
        batch_.Put(families_.streams, stream_key(stream.stream_id, version), encode_u64(position));
        head_ = Head{Position{position}, logged.hash};
        written.push_back(std::move(logged));
      }
      pending_versions_[stream.stream_id] = version;
    }
    batch_.Put(families_.commands, request.command_id, detail::encode_command_record(result.first, result.last));
    pending_commands_.emplace(request.command_id, result);
    return result;
  }

  // The envelope of the event that follows the current head.
  v1::EventEnvelope envelope_for(const AppendRequest& request, const std::string& stream_id, std::uint64_t version,
                                 const google::protobuf::Timestamp& recorded_at, NewEvent& event) const {
    v1::EventEnvelope envelope;
    envelope.set_position(head_.position.value + 1);
    envelope.set_stream_id(stream_id);
    envelope.set_stream_version(version);
    envelope.set_event_id(detail::random_id());
    envelope.set_command_id(request.command_id);
    *envelope.mutable_actor() = request.actor;
    *envelope.mutable_recorded_at() = recorded_at;
    envelope.set_event_type(std::move(event.type));
    envelope.set_payload(std::move(event.payload));
    envelope.set_prev_hash(head_.hash);
    return envelope;
  }

  // The hash chain: the stored bytes are the serialised envelope, hashed after the current
  // head's hash (which the envelope also names as prev_hash).
  LoggedEvent chained(v1::EventEnvelope envelope) const {
    LoggedEvent logged;
    logged.envelope = std::move(envelope);
    logged.envelope.SerializeToString(&logged.envelope_bytes);
    logged.hash = chain_hash(head_.hash, logged.envelope_bytes);
    return logged;
  }

  const RocksDbEventLog& log_;
  const AppendFamilies families_;
  Head head_;                                                        // the head once the batch is durable
  std::unordered_map<std::string, std::uint64_t>& stream_versions_;  // the writer's cache
  rocksdb::WriteBatch batch_;
  std::unordered_map<std::string, std::uint64_t> pending_versions_;
  std::unordered_map<std::string, AppendResult> pending_commands_;
  MerkleTree::Append merkle_;  // the tree as the batch leaves it
};

// Durable before anyone is told: the whole batch in one write, fsynced.
Status write_synced(rocksdb::DB& db, rocksdb::WriteBatch& batch) {
  rocksdb::WriteOptions options;
  options.sync = true;
  if (const rocksdb::Status status = db.Write(options, &batch); !status.ok())
    return outcome::failure(from_rocksdb(status, "the log could not be written"));
  return ok();
}

}  // namespace

std::optional<std::string> RocksDbEventLog::disk_failure() const {
  if (!disk_failed_.load(std::memory_order_acquire)) return std::nullopt;
  std::lock_guard lock(disk_failure_mutex_);
  return disk_failure_;
}

void RocksDbEventLog::declare_disk_failed(const std::string& why) {
  {
    std::lock_guard lock(disk_failure_mutex_);
    if (disk_failure_) return;
    disk_failure_ = why;
  }
  disk_failed_.store(true, std::memory_order_release);
  if (on_disk_failed_) on_disk_failed_(why);
}

Status RocksDbEventLog::ensure_writable() {
  if (auto failure = disk_failure())
    return fail(Errc::unavailable, "the log's disk failed (" + *failure + "); nothing more is written");
  PLACEMENT_TRY(disk_reserve_.check_write());
  if (needs_resume_) {
    // Writes resume by themselves once the cause is gone (space freed, folder writable again).
    // RocksDB is asked at most once per kResumeInterval; in between, appends get its last answer.
    const auto now = std::chrono::steady_clock::now();
    if (now < next_resume_) return outcome::failure(resume_error_);
    if (const rocksdb::Status resumed = db_->Resume(); !resumed.ok()) {
      resume_error_ = from_rocksdb(resumed, "the log cannot be written yet");
      next_resume_ = now + kResumeInterval;
      ++failed_resumes_;
      if (resumed.severity() >= rocksdb::Status::kFatalError || failed_resumes_ >= kMaxFailedResumes)
        declare_disk_failed(resumed.ToString() + " (resuming failed " + std::to_string(failed_resumes_) +
                            " time(s) in a row)");
      return outcome::failure(resume_error_);
    }
    needs_resume_ = false;
    failed_resumes_ = 0;
    spdlog::info("the log is writable again");
  }
  return ok();
}

AppendBatchOutcome RocksDbEventLog::append(std::vector<AppendRequest> requests) {
  if (auto writable = ensure_writable(); !writable) return refuse_all(requests.size(), writable.error());

  AppendBatchOutcome outcome_of_batch;
  outcome_of_batch.results.reserve(requests.size());
  BatchBuilder builder(*this, AppendFamilies{events_, streams_, commands_, meta_}, head(), stream_versions_);
  std::vector<std::size_t> accepted;  // indexes into results that the write decides
  for (auto& request : requests) {
    auto result = builder.add(request, outcome_of_batch.written);
    if (result && !result.value().duplicate) accepted.push_back(outcome_of_batch.results.size());
    outcome_of_batch.results.push_back(std::move(result));
  }
  if (accepted.empty()) return outcome_of_batch;

  if (auto written = write_synced(*db_, builder.finish()); !written) {
    spdlog::error("{}; {} command(s) refused, nothing written", written.error().message, accepted.size());
    if (!needs_resume_) next_resume_ = std::chrono::steady_clock::now();  // the first resume at once
    needs_resume_ = true;
    for (std::size_t index : accepted) outcome_of_batch.results[index] = outcome::failure(written.error());
    outcome_of_batch.written.clear();
    return outcome_of_batch;
  }
  builder.commit();
  merkle_.commit(builder.take_merkle());
  set_head(builder.head());
  return outcome_of_batch;
}

Status RocksDbEventLog::append_replicated(std::span<const LoggedEvent> events) {
  if (events.empty()) return ok();
  PLACEMENT_TRY(ensure_writable());
  rocksdb::WriteBatch batch;
  MerkleTree::Append merkle = merkle_.begin_append();
  Head head = this->head();
  std::unordered_map<std::string, std::uint64_t> versions;
  std::unordered_map<std::string, AppendResult> commands;
  for (const LoggedEvent& event : events) {
    const std::uint64_t position = event.envelope.position();
    const std::string where = "replicated event at position " + std::to_string(position);
    if (position != head.position.value + 1)
      return fail(Errc::data_loss, where + " does not follow the head at " + std::to_string(head.position.value));
    if (event.envelope.prev_hash() != head.hash || chain_hash(head.hash, event.envelope_bytes) != event.hash)
      return fail(Errc::data_loss, where + " does not continue the hash chain");
    const std::string& stream = event.envelope.stream_id();
    if (stream.empty() || stream.find('\0') != std::string::npos)
      return fail(Errc::data_loss, where + " has an invalid stream id");
    batch.Put(events_, event_key(position), event.hash + event.envelope_bytes);
    merkle_.add_leaf(merkle, event.envelope_bytes, batch);
    batch.Put(streams_, stream_key(stream, event.envelope.stream_version()), encode_u64(position));
    versions[stream] = event.envelope.stream_version();
    // A command's events are consecutive; one that began before these events keeps its first.
    auto command = commands.find(event.envelope.command_id());
    if (command == commands.end()) {
      PLACEMENT_TRY(earlier, find_command(event.envelope.command_id()));
      const Position first = earlier ? earlier->first : Position{position};
      command = commands.emplace(event.envelope.command_id(), AppendResult{first, Position{position}, false}).first;
    }
    command->second.last = Position{position};
    head = Head{Position{position}, event.hash};
  }
  for (const auto& [id, result] : commands)
    batch.Put(commands_, id, detail::encode_command_record(result.first, result.last));
  batch.Put(meta_, std::string(kMetaHead), detail::encode_head_record(head));
  if (auto written = write_synced(*db_, batch); !written) {
    if (!needs_resume_) next_resume_ = std::chrono::steady_clock::now();
    needs_resume_ = true;
    return written;
  }
  for (auto& [stream, version] : versions) stream_versions_[stream] = version;
  merkle_.commit(std::move(merkle));
  set_head(std::move(head));
  return ok();
}

}  // namespace placement::storage
