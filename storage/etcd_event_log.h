#pragma once
// The event log on an etcd 3.4 cluster, behind the same contract as the embedded RocksDB log.
// Keys, all under EtcdLogOptions::prefix (P):
//   P e/<position u64 BE>                    → hash (32 bytes) || envelope bytes (as RocksDB's events)
//   P s/<stream id> 0x00 <first version BE>  → first position (u64 BE) || event count (u64 BE): one
//                                              run of a stream's consecutive events in one command
//   P c/<command id>                         → first position || last position
//   P head                                   → position || hash of the last event
//   P format                                 → kFormatVersion;  P log-id → random id
// One key per event and one per stream run (not per stream version) keeps a command's etcd
// operations near its event count, within etcd's --max-txn-ops.
//
// A call of append is one etcd transaction, or several when its requests do not fit in one (see
// EtcdLogOptions): each holds whole requests, their events, runs and command records and the new
// head, under a compare that the head key is still at the revision this writer last wrote or read.
// A writer that lost its place (another writer moved the head) fails that transaction whole,
// writes nothing, and refuses every later append (fenced()). etcd acknowledges a transaction once
// a quorum of members has it in its fsynced Raft log: that is when an append is durable.
//
// Threads: as the RocksDB log. append on one thread at a time (the single writer); the reads and
// verify_chain from any thread, concurrently; reads are linearizable (etcd asks its leader), so
// they see every transaction acknowledged before they started.

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "storage/etcd_client.h"
#include "storage/event_log.h"

namespace placement::storage {

struct EtcdLogOptions {
  // Every key of the log starts with it: several logs can share a cluster, each its own prefix.
  std::string prefix = "placement/";
  // etcd's --max-txn-ops (default 128): the most operations one transaction may hold. A request
  // costs one put per event, one per stream run and one for its command id; a transaction one
  // more, for the head. A request that needs more alone is refused (invalid_argument).
  std::size_t max_txn_ops = 128;
  // etcd's --max-request-bytes (default 1.5 MiB): the largest request a member accepts. A
  // transaction is kept kRequestMargin below it; a request whose operations alone are larger is
  // refused (invalid_argument).
  std::size_t max_request_bytes = 1572864;
  // Create the log's keys when the prefix holds none. When false, an empty prefix is refused
  // (not_found), so a mistyped prefix does not start a new, empty log.
  bool create_if_missing = true;
  // How long an append whose transaction's outcome is unknown (the member did not answer) keeps
  // asking the cluster for the head to learn it; after that the log counts as failed
  // (on_failed) and refuses every append.
  std::chrono::milliseconds resolve_timeout{30000};
  // Every this many transactions the writer compacts etcd's history up to its last one (0: never).
  // Each transaction rewrites the head key, so without it etcd keeps one old head per batch
  // until its storage quota fills; nothing of the log reads an old revision.
  std::uint64_t compact_every_transactions = 1000;
  // Called once when the log can no longer append: fenced by another writer, or a transaction's
  // outcome could not be learnt. Runs on the writer thread; must not block or call into the log.
  std::function<void(const std::string& why)> on_failed = nullptr;
};

class EtcdEventLog final : public EventLog {
 public:
  // Room left below max_request_bytes for what etcd wraps around a transaction.
  static constexpr std::size_t kRequestMargin = 16 * 1024;
  // The most events one range read asks for: a bound on one answer's size.
  static constexpr std::size_t kMaxRangeEvents = 1000;

  // Connects, checks the format marker (creating the log when the prefix is empty and
  // create_if_missing), reads the head. unavailable when no member answers.
  static Result<std::unique_ptr<EtcdEventLog>> open(const EtcdConnection& connection,
                                                    const EtcdLogOptions& options = {});
  ~EtcdEventLog() override;
  EtcdEventLog(const EtcdEventLog&) = delete;
  EtcdEventLog& operator=(const EtcdEventLog&) = delete;

  // As the contract, with one difference etcd's limits make: when the requests need more than
  // one transaction and one of them fails, the requests of the transactions before it are
  // durable (their results, and their events in written) and those from it on fail.
  AppendBatchOutcome append(std::vector<AppendRequest> requests) override;
  Result<std::vector<LoggedEvent>> read_forward(Position from, std::size_t max) const override;
  Result<std::vector<LoggedEvent>> read_stream(const std::string& stream_id, StreamVersion from,
                                               std::size_t max) const override;
  Result<StreamVersion> stream_version(const std::string& stream_id) const override;
  Result<std::optional<AppendResult>> find_command(const std::string& command_id) const override;
  Result<ChainReport> verify_chain(Position from, Position to) const override;
  Head head() const override;

  // Why the log refuses appends for good (fenced by another writer, or an outcome it could not
  // learn); nullopt while it can append. Safe from any thread.
  std::optional<std::string> failure() const;
  // The etcd revision of the head key as this writer last saw it. Writer thread only.
  std::int64_t head_revision() const { return head_revision_; }
  const EtcdClient& client() const { return *client_; }
  const EtcdLogOptions& options() const { return options_; }

 private:
  struct Transaction;
  EtcdEventLog(std::unique_ptr<EtcdClient> client, EtcdLogOptions options);
  Status init_or_check_format();
  Status load_head();
  Result<std::optional<std::string>> get(const std::string& key, std::int64_t* mod_revision = nullptr) const;
  Result<LoggedEvent> read_at(std::uint64_t position) const;
  // Writes one transaction; its outcome learnt, if need be, by reading the head back.
  Status write(const Transaction& transaction);
  void declare_failed(const std::string& why);

  std::string key(std::string_view family, std::string_view rest) const;

  std::unique_ptr<EtcdClient> client_;
  const EtcdLogOptions options_;

  mutable std::mutex head_mutex_;  // guards head_ for readers; the writer is the only mutator
  Head head_;
  std::int64_t head_revision_ = 0;                   // writer only: the head key's mod revision (0: no head yet)
  std::uint64_t transactions_since_compaction_ = 0;  // writer only
  // Writer-only cache of stream versions, filled lazily; cleared after a failed write.
  std::unordered_map<std::string, std::uint64_t> stream_versions_;

  mutable std::mutex failure_mutex_;
  std::optional<std::string> failure_;
  std::atomic<bool> failed_{false};
};

}  // namespace placement::storage
