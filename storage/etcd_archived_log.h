#pragma once
// The etcd log as a node runs it: etcd orders and replicates every event, and the node keeps all
// of them in its own RocksDB log (its archive), so the Merkle tree, checkpoints, snapshots, the
// integrity checks and backups work on the node exactly as with the embedded log, and reads never
// leave the machine. Appends go to etcd; what etcd acknowledged is then stored in the archive
// as it is (RocksDbEventLog::append_replicated). At start, catch_up copies what etcd has beyond
// the archive's head, so a node restarts from its own archive and catches up from etcd.
//
// Threads: as EventLog. append on the single writer; the reads (the archive's) from any thread.

#include <atomic>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "storage/etcd_event_log.h"
#include "storage/rocksdb_event_log.h"

namespace placement::storage {

class EtcdArchivedLog final : public EventLog {
 public:
  // Copies etcd's events after the archive's head into the archive. Refuses (failed_precondition)
  // an archive that is not a prefix of the log in etcd: ahead of it, or with another hash at its
  // head (a folder of another log, or a different etcd prefix). Before any append; one thread.
  static Result<std::uint64_t> catch_up(const EtcdEventLog& etcd, RocksDbEventLog& archive);

  // Both must outlive this. on_archive_failed is told once when an event etcd acknowledged could
  // not be stored in the archive; from then on every append is refused (unavailable), since the
  // archive, which answers the reads, is behind the log. Runs on the writer thread; must not block.
  EtcdArchivedLog(EtcdEventLog& etcd, RocksDbEventLog& archive,
                  std::function<void(const std::string&)> on_archive_failed);

  AppendBatchOutcome append(std::vector<AppendRequest> requests) override;
  Result<std::vector<LoggedEvent>> read_forward(Position from, std::size_t max) const override {
    return archive_.read_forward(from, max);
  }
  Status visit_forward(Position from, Position up_to, const StoredEventVisitor& visit) const override {
    return archive_.visit_forward(from, up_to, visit);
  }
  Result<std::vector<LoggedEvent>> read_stream(const std::string& stream_id, StreamVersion from,
                                               std::size_t max) const override {
    return archive_.read_stream(stream_id, from, max);
  }
  Result<StreamVersion> stream_version(const std::string& stream_id) const override {
    return archive_.stream_version(stream_id);
  }
  Result<std::optional<AppendResult>> find_command(const std::string& command_id) const override {
    return archive_.find_command(command_id);
  }
  Result<ChainReport> verify_chain(Position from, Position to) const override {
    return archive_.verify_chain(from, to);
  }
  Head head() const override { return archive_.head(); }

 private:
  EtcdEventLog& etcd_;
  RocksDbEventLog& archive_;
  std::function<void(const std::string&)> on_archive_failed_;
  std::optional<std::string> archive_failure_;  // writer thread only
};

}  // namespace placement::storage
