#include "storage/etcd_archived_log.h"

#include <spdlog/spdlog.h>

namespace placement::storage {

Result<std::uint64_t> EtcdArchivedLog::catch_up(const EtcdEventLog& etcd, RocksDbEventLog& archive) {
  const Head local = archive.head();
  const Head remote = etcd.head();
  if (local.position.value > remote.position.value)
    return fail(Errc::failed_precondition, "the node's archive is at position " + std::to_string(local.position.value) +
                                               ", ahead of the log in etcd (" + std::to_string(remote.position.value) +
                                               "): it belongs to another log, or the etcd prefix is not this log's");
  if (local.position.value > 0) {
    PLACEMENT_TRY(at_head, etcd.read_forward(local.position, 1));
    if (at_head.empty() || at_head.front().hash != local.hash)
      return fail(Errc::failed_precondition, "the node's archive and the log in etcd differ at position " +
                                                 std::to_string(local.position.value) +
                                                 ": the archive belongs to another log");
  }
  std::uint64_t copied = 0;
  while (archive.head().position.value < remote.position.value) {
    PLACEMENT_TRY(chunk, etcd.read_forward(Position{archive.head().position.value + 1}, EtcdEventLog::kMaxRangeEvents));
    if (chunk.empty()) break;
    PLACEMENT_TRY(archive.append_replicated(chunk));
    copied += chunk.size();
  }
  if (copied > 0) spdlog::info("caught up {} event(s) from etcd into the node's archive", copied);
  return copied;
}

EtcdArchivedLog::EtcdArchivedLog(EtcdEventLog& etcd, RocksDbEventLog& archive,
                                 std::function<void(const std::string&)> on_archive_failed)
    : etcd_(etcd), archive_(archive), on_archive_failed_(std::move(on_archive_failed)) {}

AppendBatchOutcome EtcdArchivedLog::append(std::vector<AppendRequest> requests) {
  if (archive_failure_) {
    AppendBatchOutcome refused;
    for (std::size_t i = 0; i < requests.size(); ++i)
      refused.results.emplace_back(outcome::failure(Error{Errc::unavailable, *archive_failure_}));
    return refused;
  }
  AppendBatchOutcome outcome_of_batch = etcd_.append(std::move(requests));
  if (outcome_of_batch.written.empty()) return outcome_of_batch;
  if (auto archived = archive_.append_replicated(outcome_of_batch.written); !archived) {
    // Durable in etcd and answered as such; the archive catches up at the next start.
    archive_failure_ = "the node's archive could not store what etcd acknowledged (" + archived.error().message +
                       "); appends are refused until placementd restarts and catches up";
    spdlog::critical("{}", *archive_failure_);
    if (on_archive_failed_) on_archive_failed_(*archive_failure_);
  }
  return outcome_of_batch;
}

}  // namespace placement::storage
