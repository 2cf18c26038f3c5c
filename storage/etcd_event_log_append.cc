// EtcdEventLog, the write path. append runs on one thread at a time (the single writer): it alone
// touches stream_versions_ and head_revision_, and it alone moves the head. The requests of one
// call are sized into etcd transactions that each hold whole requests (etcd_event_log.h); each
// transaction compares the head key's revision with the one this writer last saw, so nothing is
// written by a writer that lost its place.
#include <thread>
#include <unordered_map>

#include <google/protobuf/util/time_util.h>
#include <spdlog/spdlog.h>

#include "etcd/etcdserver/etcdserverpb/rpc.pb.h"
#include "storage/etcd_event_log.h"
#include "storage/hash_chain.h"
#include "storage/keys.h"
#include "storage/log_records.h"

namespace placement::storage {

// One etcd transaction of an append: its operations (the head's put and the compare are added
// when it is written), the requests it carries and the head it leaves.
struct EtcdEventLog::Transaction {
  std::vector<etcdserverpb::RequestOp> operations;
  std::size_t bytes = 0;
  std::vector<std::size_t> requests;  // indexes into the call's requests
  std::vector<LoggedEvent> written;
  Head head_before;
  Head head_after;
};

namespace {

AppendBatchOutcome refuse_all(std::size_t requests, const Error& error) {
  AppendBatchOutcome refused;
  for (std::size_t i = 0; i < requests; ++i) refused.results.emplace_back(outcome::failure(error));
  return refused;
}

// What one operation adds to a TxnRequest on the wire: its bytes and its field's tag and length.
std::size_t wire_size(const etcdserverpb::RequestOp& operation) { return operation.ByteSizeLong() + 8; }

etcdserverpb::RequestOp put(std::string key, std::string value) {
  etcdserverpb::RequestOp operation;
  auto* request = operation.mutable_request_put();
  request->set_key(std::move(key));
  request->set_value(std::move(value));
  return operation;
}

}  // namespace

AppendBatchOutcome EtcdEventLog::append(std::vector<AppendRequest> requests) {
  if (auto failed = failure()) return refuse_all(requests.size(), Error{Errc::unavailable, *failed});

  const std::size_t byte_budget = options_.max_request_bytes - kRequestMargin;
  const std::size_t head_put_bytes = wire_size(put(key("head", ""), std::string(8 + kHashSize, '\0')));
  AppendBatchOutcome outcome_of_batch;
  std::vector<Transaction> transactions(1);
  transactions.back().head_before = head();
  Head head_now = transactions.back().head_before;
  std::unordered_map<std::string, std::uint64_t> pending_versions;
  std::unordered_map<std::string, AppendResult> pending_commands;

  auto current_version = [&](const std::string& stream) -> Result<std::uint64_t> {
    if (auto it = pending_versions.find(stream); it != pending_versions.end()) return it->second;
    if (auto it = stream_versions_.find(stream); it != stream_versions_.end()) return it->second;
    PLACEMENT_TRY(version, stream_version(stream));
    stream_versions_.emplace(stream, version.value);
    return version.value;
  };

  // Decides one request as RocksDbEventLog does (idempotency, then every stream's expected
  // version, all or nothing), then builds its operations and places it in a transaction.
  auto decide = [&](AppendRequest& request) -> Result<AppendResult> {
    if (request.command_id.empty()) return fail(Errc::invalid_argument, "every append needs a command id");
    if (auto it = pending_commands.find(request.command_id); it != pending_commands.end()) {
      AppendResult repeat = it->second;
      repeat.duplicate = true;
      return repeat;
    }
    PLACEMENT_TRY(seen, find_command(request.command_id));
    if (seen) {
      AppendResult repeat = *seen;
      repeat.duplicate = true;
      return repeat;
    }
    std::size_t event_count = 0;
    std::size_t runs = 0;
    std::unordered_map<std::string, std::uint64_t> request_versions;
    for (const auto& stream : request.streams) {
      event_count += stream.events.size();
      if (!stream.events.empty()) ++runs;
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
    const std::size_t operation_count = event_count + runs + 1;
    if (operation_count + 1 > options_.max_txn_ops)
      return fail(Errc::invalid_argument,
                  "command " + request.command_id + " needs " + std::to_string(operation_count + 1) +
                      " etcd operations (" + std::to_string(event_count) + " events, " + std::to_string(runs) +
                      " stream runs, its id and the head); one etcd transaction holds at most " +
                      std::to_string(options_.max_txn_ops) + " (etcd --max-txn-ops)");

    // Chained from the head the transactions so far leave.
    const AppendResult result{Position{head_now.position.value + 1}, Position{head_now.position.value + event_count},
                              false};
    const auto recorded_at = google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
        std::chrono::duration_cast<std::chrono::microseconds>(request.recorded_at.time_since_epoch()).count());
    std::vector<etcdserverpb::RequestOp> operations;
    std::vector<LoggedEvent> events;
    std::unordered_map<std::string, std::uint64_t> versions_after;
    Head head_after = head_now;
    std::size_t bytes = 0;
    for (auto& stream : request.streams) {
      if (stream.events.empty()) continue;
      std::uint64_t version = versions_after.contains(stream.stream_id) ? versions_after[stream.stream_id]
                                                                        : current_version(stream.stream_id).value();
      const std::uint64_t first_version = version + 1;
      const std::uint64_t first_position = head_after.position.value + 1;
      for (auto& event : stream.events) {
        ++version;
        v1::EventEnvelope envelope;
        envelope.set_position(head_after.position.value + 1);
        envelope.set_stream_id(stream.stream_id);
        envelope.set_stream_version(version);
        envelope.set_event_id(detail::random_id());
        envelope.set_command_id(request.command_id);
        *envelope.mutable_actor() = request.actor;
        *envelope.mutable_recorded_at() = recorded_at;
        envelope.set_event_type(event.type);
        envelope.set_payload(event.payload);
        envelope.set_prev_hash(head_after.hash);
        LoggedEvent logged;
        logged.envelope = std::move(envelope);
        logged.envelope.SerializeToString(&logged.envelope_bytes);
        logged.hash = chain_hash(head_after.hash, logged.envelope_bytes);
        head_after = Head{logged.position(), logged.hash};
        operations.push_back(
            put(key("e/", encode_u64(head_after.position.value)), logged.hash + logged.envelope_bytes));
        bytes += wire_size(operations.back());
        events.push_back(std::move(logged));
      }
      operations.push_back(put(key("s/", stream_key(stream.stream_id, first_version)),
                               encode_u64(first_position) + encode_u64(stream.events.size())));
      bytes += wire_size(operations.back());
      versions_after[stream.stream_id] = version;
    }
    operations.push_back(put(key("c/", request.command_id), detail::encode_command_record(result.first, result.last)));
    bytes += wire_size(operations.back());
    if (bytes + head_put_bytes > byte_budget)
      return fail(Errc::invalid_argument, "command " + request.command_id + " is " + std::to_string(bytes) +
                                              " bytes in etcd; one etcd transaction holds at most " +
                                              std::to_string(byte_budget) +
                                              " (etcd --max-request-bytes less a margin)");

    Transaction* transaction = &transactions.back();
    if (transaction->operations.size() + operations.size() + 1 > options_.max_txn_ops ||
        transaction->bytes + bytes + head_put_bytes > byte_budget) {
      transactions.emplace_back();
      transactions.back().head_before = head_now;
      transaction = &transactions.back();
    }
    for (auto& operation : operations) transaction->operations.push_back(std::move(operation));
    transaction->bytes += bytes;
    transaction->requests.push_back(outcome_of_batch.results.size());
    for (auto& event : events) transaction->written.push_back(std::move(event));
    transaction->head_after = head_after;
    head_now = head_after;
    for (auto& [stream, version] : versions_after) pending_versions[stream] = version;
    pending_commands.emplace(request.command_id, result);
    return result;
  };

  for (auto& request : requests) outcome_of_batch.results.push_back(decide(request));
  if (transactions.front().requests.empty()) return outcome_of_batch;

  for (std::size_t t = 0; t < transactions.size(); ++t) {
    if (auto written = write(transactions[t]); !written) {
      spdlog::error("{}; {} command(s) refused, nothing of them written", written.error().message, [&] {
        std::size_t refused = 0;
        for (std::size_t u = t; u < transactions.size(); ++u) refused += transactions[u].requests.size();
        return refused;
      }());
      for (std::size_t u = t; u < transactions.size(); ++u)
        for (std::size_t index : transactions[u].requests)
          outcome_of_batch.results[index] = outcome::failure(written.error());
      // The cache may hold versions of requests that were not written: learn them again.
      stream_versions_.clear();
      return outcome_of_batch;
    }
    for (auto& event : transactions[t].written) outcome_of_batch.written.push_back(std::move(event));
  }
  for (auto& [stream, version] : pending_versions) stream_versions_[stream] = version;
  return outcome_of_batch;
}

Status EtcdEventLog::write(const Transaction& transaction) {
  const std::string head_key = key("head", "");
  etcdserverpb::TxnRequest request;
  auto* unmoved = request.add_compare();
  unmoved->set_key(head_key);
  unmoved->set_target(etcdserverpb::Compare::MOD);
  unmoved->set_result(etcdserverpb::Compare::EQUAL);
  unmoved->set_mod_revision(head_revision_);  // 0 for a log without a head: the key must not exist
  for (const auto& operation : transaction.operations) *request.add_success() = operation;
  *request.add_success() = put(head_key, detail::encode_head_record(transaction.head_after));
  request.add_failure()->mutable_request_range()->set_key(head_key);

  auto fenced = [&](const std::string& seen) {
    const std::string why = "another writer moved the log's head in etcd (" + seen +
                            "); this writer lost its place and appends nothing more";
    declare_failed(why);
    return fail(Errc::unavailable, why);
  };
  auto published = [&](std::int64_t revision) {
    head_revision_ = revision;
    {
      std::lock_guard lock(head_mutex_);
      head_ = transaction.head_after;
    }
    if (options_.compact_every_transactions > 0 &&
        ++transactions_since_compaction_ >= options_.compact_every_transactions) {
      transactions_since_compaction_ = 0;
      // A failed compaction loses nothing: the next one covers what this one would have.
      if (auto compacted = client_->compact(revision); !compacted)
        spdlog::warn("{} (history kept up to revision {})", compacted.error().message, revision);
    }
  };

  auto answer = client_->txn(request);
  if (answer) {
    if (answer.value().succeeded()) {
      published(answer.value().header().revision());
      return ok();
    }
    std::string seen = "the head key is gone";
    const auto& responses = answer.value().responses();
    if (!responses.empty() && responses[0].response_range().kvs_size() > 0) {
      const auto& kv = responses[0].response_range().kvs(0);
      const auto head = detail::decode_head_record(kv.value());
      seen = "now at position " + std::to_string(head ? head->position.value : 0) + ", revision " +
             std::to_string(kv.mod_revision()) + ", expected revision " + std::to_string(head_revision_);
    }
    return fenced(seen);
  }
  if (answer.error().code != Errc::unavailable) return outcome::failure(answer.error());

  // The member did not answer: the transaction may or may not have been applied. The head tells.
  const auto deadline = std::chrono::steady_clock::now() + options_.resolve_timeout;
  const std::string old_record = detail::encode_head_record(transaction.head_before);
  const std::string new_record = detail::encode_head_record(transaction.head_after);
  for (;;) {
    std::int64_t revision = 0;
    auto record = get(head_key, &revision);
    if (record) {
      const std::string stored = record.value().value_or("");
      if (stored == new_record) {
        spdlog::warn("{}; the head shows it was written (revision {})", answer.error().message, revision);
        published(revision);
        return ok();
      }
      if (revision == head_revision_ && (revision == 0 || stored == old_record))
        return fail(Errc::unavailable, answer.error().message + "; nothing was written");
      return fenced("now at revision " + std::to_string(revision) + ", expected " + std::to_string(head_revision_));
    }
    if (std::chrono::steady_clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  const std::string why = answer.error().message + "; whether it was written could not be learnt within " +
                          std::to_string(options_.resolve_timeout.count()) + " ms";
  declare_failed(why);
  return fail(Errc::unavailable, why);
}

}  // namespace placement::storage
