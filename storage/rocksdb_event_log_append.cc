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
#include "storage/rocksdb_event_log_internal.h"
#include "storage/rocksdb_status.h"

namespace placement::storage {

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
        envelope.set_event_id(detail::random_id());
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
    batch.Put(commands_, request.command_id, detail::encode_command_record(result.first, result.last));
    pending_commands.emplace(request.command_id, result);
    accepted.push_back(outcome_of_batch.results.size());
    outcome_of_batch.results.emplace_back(result);
  }

  if (accepted.empty()) return outcome_of_batch;

  batch.Put(meta_, std::string(kMetaHead), detail::encode_head_record(head));
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
  set_head(std::move(head));
  return outcome_of_batch;
}

}  // namespace placement::storage
