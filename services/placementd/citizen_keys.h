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
// Every write is synced before it returns, so a key is durable before any event sealed under it
// is submitted. Thread-safe.

#include <filesystem>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>

#include "services/base/result.h"
#include "services/domain/citizen.h"

namespace rocksdb {
class DB;
}  // namespace rocksdb

namespace placement::placementd {

// What a CitizenRef's sealed bytes hold.
struct SealedPseudonyms {
  std::string citizen;
  std::string household;  // empty when none
  friend bool operator==(const SealedPseudonyms&, const SealedPseudonyms&) = default;
};

class CitizenKeys {
 public:
  // Opens (creating when missing) the key store in `folder`. Errors: unavailable when the folder
  // cannot be opened (locked by another server, unreadable).
  static Result<std::unique_ptr<CitizenKeys>> open(const std::filesystem::path& folder);
  ~CitizenKeys();
  CitizenKeys(const CitizenKeys&) = delete;
  CitizenKeys& operator=(const CitizenKeys&) = delete;

  // The reference to put in an event: the citizen's id and household id (issued, and stored
  // durably, the first time) and both pseudonyms sealed under the citizen's key. A citizen
  // erased before gets a new id and key: to the log, a new person.
  Result<domain::CitizenRef> reference(std::string_view citizen_pseudonym, std::string_view household_pseudonym);

  // The citizen id of a pseudonym; nullopt when the citizen was never seen or has been erased.
  Result<std::optional<std::string>> find(std::string_view citizen_pseudonym) const;

  // Opens a reference's sealed bytes. Errors: not_found when the citizen has no key (erased);
  // data_loss when the bytes do not open under it.
  Result<SealedPseudonyms> unseal(const domain::CitizenRef& reference) const;

  // Destroys the citizen's key and both of their entries, and makes that physical before
  // returning. Errors: not_found when the id has no key (never issued, or erased already).
  Status erase(std::string_view citizen_id);

 private:
  CitizenKeys(std::filesystem::path folder, std::unique_ptr<rocksdb::DB> db);
  Result<std::optional<std::string>> get(std::string_view key) const;  // callers hold mutex_
  Result<std::string> household_id(std::string_view household_pseudonym);  // callers hold mutex_ (unique)
  Status scrub();  // callers hold mutex_ (unique)

  std::filesystem::path folder_;
  mutable std::shared_mutex mutex_;  // unique for writes (so an id is issued once) and erasure
  std::unique_ptr<rocksdb::DB> db_;
};

}  // namespace placement::placementd
