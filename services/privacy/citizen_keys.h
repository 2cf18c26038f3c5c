#pragma once
// The key store: who a citizen is, kept outside the log so it can be forgotten.
//
// For every citizen the server has seen, it holds a random citizen id and a random 256-bit key;
// for every household, a random household id. Events carry only those ids and the pseudonyms
// sealed under the citizen's key (sealing.h), so the log links nothing to a person by itself.
// Erasing a citizen deletes their entries here and makes the deletion physical (flushed, compacted
// away, the RocksDB manifest rewritten): afterwards the pseudonym maps to nothing, the sealed
// values no longer open, and the events, which never change, still verify.
//
// A RocksDB instance of its own, in its own folder (default <data>.citizen-keys beside the data
// folder), one column family, keys:
//   "p/" + citizen pseudonym   → citizen id
//   "c/" + citizen id          → key (32 bytes) followed by the citizen pseudonym (to erase by id)
//   "h/" + household pseudonym → household id (a household outlives the erasure of one child)
// Issuing writes are not synced one by one: each asks the store's own sync thread for a sync,
// which covers every write made before it started, and the ledger's writer waits for the writes
// of a batch's commands to be durable before it writes the batch. The sync mostly overlaps the
// command's way to the writer. A key is therefore durable before any event sealed
// under it, at one sync per batch rather than one per new citizen on the caller's thread. Erasure
// syncs at once. Thread-safe.
//
// Entries only for citizens the log names: what reference() issues is held for the command it was
// issued for, and deleted again when every command holding it was refused (settle); whatever a
// crash or a write of unknown fate leaves behind is deleted at the next start (sweep), once the
// log has been replayed.

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "services/base/result.h"
#include "services/domain/citizen.h"
#include "services/ledger/batch_prerequisite.h"
#include "services/privacy/sync_thread.h"

namespace rocksdb {
class DB;
class Env;
}  // namespace rocksdb

namespace placement::privacy {

// What a CitizenRef's sealed bytes hold.
struct SealedPseudonyms {
  std::string citizen;
  std::string household;  // empty when none
  friend bool operator==(const SealedPseudonyms&, const SealedPseudonyms&) = default;
};

class CitizenKeys final : public ledger::BatchPrerequisite {
 public:
  // Opens (creating when missing) the key store in `folder`. Errors: unavailable when the folder
  // cannot be opened (locked by another server, unreadable).
  // `env`: the environment RocksDB does its file I/O through; nullptr for the real one.
  static Result<std::unique_ptr<CitizenKeys>> open(const std::filesystem::path& folder, rocksdb::Env* env = nullptr);
  ~CitizenKeys() override;
  CitizenKeys(const CitizenKeys&) = delete;
  CitizenKeys& operator=(const CitizenKeys&) = delete;

  // The reference to put in an event: the citizen's id and household id (issued, and stored
  // durably, the first time) and both pseudonyms sealed under the citizen's key. A citizen
  // erased before gets a new id and key: to the log, a new person. Every reference returned must
  // be settled once its command's fate is known (ReferenceHold does it).
  Result<domain::CitizenRef> reference(std::string_view citizen_pseudonym, std::string_view household_pseudonym);

  // What became of the command a reference was issued for.
  enum class Use {
    accepted,  // its events are in the log
    refused,   // decided against, or never begun: nothing of it is in the log
    unknown,   // the write failed: its events may be in the log after a restart
  };
  // Entries issued for `reference` are kept once a command holding them is accepted or of unknown
  // fate, and deleted once every command holding them was refused.
  void settle(const domain::CitizenRef& reference, Use use);
  // The use a failed command made of its reference: refused when the error means nothing was
  // written (a rule, bad input, a deadline before the work began), unknown otherwise.
  static Use use_after(const Error& error);

  // Deletes every entry whose citizen or household id no event names (`in_log`): what a crash
  // between issuing and writing, or a write of unknown fate, left behind. Call at start, after
  // the log is replayed and before the first reference(); the number of entries deleted.
  Result<std::size_t> sweep(const std::function<bool(std::string_view id)>& in_log);

  // Starts making every write issued so far durable, on the store's sync thread, and returns
  // at once with the mark to wait for.
  std::uint64_t start_sync() override;
  // Waits until the writes up to `mark` are durable. Errors: unavailable when the sync fails.
  Status wait_durable(std::uint64_t mark) override;
  // Both: every write issued so far is durable when it returns.
  Status make_durable() { return wait_durable(start_sync()); }

  // The citizen id of a pseudonym; nullopt when the citizen was never seen or has been erased.
  Result<std::optional<std::string>> find(std::string_view citizen_pseudonym) const;

  // Opens a reference's sealed bytes. Errors: not_found when the citizen has no key (erased);
  // data_loss when the bytes do not open under it.
  Result<SealedPseudonyms> unseal(const domain::CitizenRef& reference) const;

  // Destroys the citizen's key and both of their entries, and makes that physical before
  // returning. Errors: not_found when the id has no key (never issued, or erased already).
  Status erase(std::string_view citizen_id);

 private:
  CitizenKeys(std::filesystem::path folder, rocksdb::Env* env, std::unique_ptr<rocksdb::DB> db);
  Result<std::optional<std::string>> get(std::string_view key) const;                // callers hold mutex_
  Result<std::string> household_id(std::string_view household_pseudonym);            // callers hold mutex_ (unique)
  Status scrub();                                                                    // callers hold mutex_ (unique)
  void issued_one_write();                                                           // counts it and asks for its sync
  void hold(const std::string& id, bool issued_now, std::vector<std::string> keys);  // callers hold mutex_

  // Entries reference() issued in this process whose commands are still in flight: how many hold
  // them, whether one was kept, and the store keys to delete if none was.
  struct Issued {
    int holds = 0;
    bool kept = false;
    std::vector<std::string> keys;
  };

  std::filesystem::path folder_;
  rocksdb::Env* env_;                // nullptr: the real one
  mutable std::shared_mutex mutex_;  // unique for writes (so an id is issued once) and erasure
  std::unique_ptr<rocksdb::DB> db_;
  std::atomic<std::uint64_t> writes_{0};  // issuing writes returned so far (not yet synced, maybe)
  // Held shared by a sync and unique while an erasure reopens db_. Apart from mutex_ so a sync,
  // which waits for the disk, never holds up issuing a key.
  std::shared_mutex reopening_;
  std::unique_ptr<SyncThread> sync_;                   // syncs db_'s WAL; stopped before db_ closes
  std::map<std::string, Issued, std::less<>> issued_;  // by citizen or household id; guarded by mutex_
};

// One reference() result until its command's fate is known: settles it once, as unknown when
// dropped unsettled (so an entry is never deleted on a guess). Not thread-safe: one command's.
class ReferenceHold {
 public:
  explicit ReferenceHold(CitizenKeys& keys) : keys_(keys) {}
  ~ReferenceHold() { settle(CitizenKeys::Use::unknown); }
  ReferenceHold(const ReferenceHold&) = delete;
  ReferenceHold& operator=(const ReferenceHold&) = delete;

  void hold(domain::CitizenRef reference) { reference_ = std::move(reference); }
  void settle(CitizenKeys::Use use) {
    if (reference_) keys_.settle(*reference_, use);
    reference_.reset();
  }

 private:
  CitizenKeys& keys_;
  std::optional<domain::CitizenRef> reference_;
};

}  // namespace placement::privacy
