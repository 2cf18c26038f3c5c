#include "services/privacy/citizen_keys.h"

#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>

#include <mutex>

#include "services/privacy/sealing.h"
#include "storage/hash_chain.h"
#include "storage/rocksdb_status.h"

namespace placement::privacy {
namespace {

constexpr std::string_view kByPseudonym = "p/";
constexpr std::string_view kById = "c/";
constexpr std::string_view kHousehold = "h/";
constexpr std::size_t kIdBytes = 16;

std::string key_of(std::string_view prefix, std::string_view value) { return std::string(prefix) + std::string(value); }

rocksdb::Options store_options(rocksdb::Env* env) {
  rocksdb::Options options;
  if (env) options.env = env;
  options.create_if_missing = true;
  options.paranoid_checks = true;
  // What an erasure deletes must not linger in reused files: no recycled WAL files, and old WAL
  // files are removed (not archived) once their contents are flushed.
  options.recycle_log_file_num = 0;
  options.WAL_ttl_seconds = 0;
  options.WAL_size_limit_MB = 0;
  options.keep_log_file_num = 2;  // RocksDB's own info log; it never records keys or values
  return options;
}

Result<std::unique_ptr<rocksdb::DB>> open_db(const std::filesystem::path& folder, rocksdb::Env* env) {
  rocksdb::DB* raw = nullptr;
  const rocksdb::Status status = rocksdb::DB::Open(store_options(env), folder.string(), &raw);
  if (!status.ok())
    return outcome::failure(
        storage::from_rocksdb(Errc::unavailable, status, "cannot open the citizen key store " + folder.string()));
  return std::unique_ptr<rocksdb::DB>(raw);
}

Result<std::string> new_id() {
  PLACEMENT_TRY(random, sealing::random_bytes(kIdBytes));
  return storage::to_hex(random);
}

// The sealed plaintext: the two pseudonyms (hex, so never containing '\n'), newline-separated.
std::string plaintext_of(std::string_view citizen, std::string_view household) {
  return std::string(citizen) + "\n" + std::string(household);
}

Error write_failed(const rocksdb::Status& status) {
  return storage::from_rocksdb(Errc::unavailable, status, "cannot write the citizen key store");
}

}  // namespace

CitizenKeys::CitizenKeys(std::filesystem::path folder, rocksdb::Env* env, std::unique_ptr<rocksdb::DB> db)
    : folder_(std::move(folder)), env_(env), db_(std::move(db)), sync_(std::make_unique<SyncThread>([this]() -> Status {
        std::shared_lock lock(reopening_);
        if (!db_)
          return fail(Errc::unavailable, "the citizen key store could not be reopened after an erasure; restart");
        if (auto synced = db_->SyncWAL(); !synced.ok())
          return outcome::failure(
              storage::from_rocksdb(Errc::unavailable, synced, "cannot sync the citizen key store"));
        return ok();
      })) {}

CitizenKeys::~CitizenKeys() {
  sync_.reset();
  if (db_) db_->Close().PermitUncheckedError();
}

Result<std::unique_ptr<CitizenKeys>> CitizenKeys::open(const std::filesystem::path& folder, rocksdb::Env* env) {
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  if (ec)
    return fail(Errc::unavailable, "cannot create the citizen key store " + folder.string() + ": " + ec.message());
  std::filesystem::permissions(folder, std::filesystem::perms::owner_all, ec);  // keys: the server's user only
  PLACEMENT_TRY(db, open_db(folder, env));
  return std::unique_ptr<CitizenKeys>(new CitizenKeys(folder, env, std::move(db)));
}

Result<std::optional<std::string>> CitizenKeys::get(std::string_view key) const {
  if (!db_) return fail(Errc::unavailable, "the citizen key store could not be reopened after an erasure; restart");
  std::string value;
  const rocksdb::Status status = db_->Get(rocksdb::ReadOptions(), std::string(key), &value);
  if (status.IsNotFound()) return std::optional<std::string>();
  if (!status.ok())
    return outcome::failure(storage::from_rocksdb(Errc::unavailable, status, "cannot read the citizen key store"));
  return std::optional<std::string>(std::move(value));
}

Result<std::string> CitizenKeys::household_id(std::string_view household_pseudonym) {
  const std::string key = key_of(kHousehold, household_pseudonym);
  PLACEMENT_TRY(known, get(key));
  if (known) {
    hold(*known, /*issued_now=*/false, {});
    return *known;
  }
  PLACEMENT_TRY(id, new_id());
  if (auto written = db_->Put(rocksdb::WriteOptions(), key, id); !written.ok()) return write_failed(written);
  issued_one_write();
  hold(id, /*issued_now=*/true, {key});
  return id;
}

Result<domain::CitizenRef> CitizenKeys::reference(std::string_view citizen_pseudonym,
                                                  std::string_view household_pseudonym) {
  if (citizen_pseudonym.empty()) return fail(Errc::invalid_argument, "no citizen pseudonym");
  // Unique: two first requests for one citizen at once must not issue two ids.
  std::unique_lock lock(mutex_);
  domain::CitizenRef reference;
  std::string key;
  PLACEMENT_TRY(citizen_id, get(key_of(kByPseudonym, citizen_pseudonym)));
  if (citizen_id) {
    reference.citizen_id = *citizen_id;
    PLACEMENT_TRY(entry, get(key_of(kById, reference.citizen_id)));
    if (!entry || entry->size() < sealing::kKeyBytes)
      return fail(Errc::internal, "the citizen key store has an id without its key (damaged store)");
    key = entry->substr(0, sealing::kKeyBytes);
    hold(reference.citizen_id, /*issued_now=*/false, {});
  } else {
    PLACEMENT_TRY(id, new_id());
    PLACEMENT_TRY(fresh_key, sealing::random_bytes(sealing::kKeyBytes));
    reference.citizen_id = std::move(id);
    key = std::move(fresh_key);
    rocksdb::WriteBatch batch;
    batch.Put(key_of(kByPseudonym, citizen_pseudonym), reference.citizen_id);
    batch.Put(key_of(kById, reference.citizen_id), key + std::string(citizen_pseudonym));
    // Not synced here: the sync thread syncs it, and the ledger's writer waits for that before it
    // writes any event sealed under the key (start_sync, wait_durable).
    if (auto written = db_->Write(rocksdb::WriteOptions(), &batch); !written.ok()) return write_failed(written);
    issued_one_write();
    hold(reference.citizen_id, /*issued_now=*/true,
         {key_of(kByPseudonym, citizen_pseudonym), key_of(kById, reference.citizen_id)});
  }
  if (!household_pseudonym.empty()) {
    PLACEMENT_TRY(household, household_id(household_pseudonym));
    reference.household_id = std::move(household);
  }
  PLACEMENT_TRY(sealed, sealing::seal(key, reference.citizen_id, plaintext_of(citizen_pseudonym, household_pseudonym)));
  reference.sealed = std::move(sealed);
  return reference;
}

// A hold on an entry issued in this process; entries older than the process (or kept already) are
// not tracked: the log names them, or the next start's sweep deletes them.
void CitizenKeys::hold(const std::string& id, bool issued_now, std::vector<std::string> keys) {
  if (issued_now) {
    issued_[id] = Issued{1, false, std::move(keys)};
    return;
  }
  if (auto it = issued_.find(id); it != issued_.end()) ++it->second.holds;
}

void CitizenKeys::settle(const domain::CitizenRef& reference, Use use) {
  std::unique_lock lock(mutex_);
  rocksdb::WriteBatch batch;
  for (const std::string* id : {&reference.citizen_id, &reference.household_id}) {
    auto it = issued_.find(*id);
    if (id->empty() || it == issued_.end()) continue;
    Issued& issued = it->second;
    if (use != Use::refused) issued.kept = true;
    if (--issued.holds > 0) continue;
    if (!issued.kept)
      for (const std::string& key : issued.keys) batch.Delete(key);
    issued_.erase(it);
  }
  if (batch.Count() == 0 || !db_) return;
  // Not synced: a delete lost in a crash leaves an entry no event names, which the next start's
  // sweep deletes.
  db_->Write(rocksdb::WriteOptions(), &batch).PermitUncheckedError();
}

CitizenKeys::Use CitizenKeys::use_after(const Error& error) {
  switch (error.code) {
    case Errc::invalid_argument:
    case Errc::failed_precondition:
    case Errc::conflict:
    case Errc::already_exists:
    case Errc::not_found:
    case Errc::permission_denied:
    case Errc::unauthenticated:
    case Errc::deadline_exceeded:
    case Errc::out_of_range: return Use::refused;
    case Errc::unavailable:
    case Errc::internal:
    case Errc::data_loss: return Use::unknown;
  }
  return Use::unknown;
}

Result<std::size_t> CitizenKeys::sweep(const std::function<bool(std::string_view id)>& in_log) {
  std::unique_lock lock(mutex_);
  if (!db_) return fail(Errc::unavailable, "the citizen key store could not be reopened after an erasure; restart");
  rocksdb::WriteBatch batch;
  std::size_t swept = 0;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const std::string_view key(it->key().data(), it->key().size());
    const std::string_view value(it->value().data(), it->value().size());
    if (key.starts_with(kById)) {
      if (in_log(key.substr(kById.size())) || value.size() < sealing::kKeyBytes) continue;
      batch.Delete(std::string(key));
      batch.Delete(key_of(kByPseudonym, value.substr(sealing::kKeyBytes)));
      ++swept;
    } else if (key.starts_with(kHousehold)) {
      if (in_log(value)) continue;
      batch.Delete(std::string(key));
      ++swept;
    }
  }
  if (!it->status().ok())
    return outcome::failure(
        storage::from_rocksdb(Errc::unavailable, it->status(), "cannot read the citizen key store"));
  if (swept == 0) return swept;
  rocksdb::WriteOptions sync;
  sync.sync = true;
  if (auto written = db_->Write(sync, &batch); !written.ok()) return write_failed(written);
  return swept;
}

void CitizenKeys::issued_one_write() {
  // The sync starts now, while the command that needs the key makes its way to the ledger's
  // writer, so the writer seldom has to wait for it.
  sync_->request(writes_.fetch_add(1, std::memory_order_acq_rel) + 1);
}

std::uint64_t CitizenKeys::start_sync() {
  // Every write counted here has returned from RocksDB, so it is in the WAL the next sync covers.
  const std::uint64_t mark = writes_.load(std::memory_order_acquire);
  sync_->request(mark);
  return mark;
}

Status CitizenKeys::wait_durable(std::uint64_t mark) { return sync_->wait(mark); }

Result<std::optional<std::string>> CitizenKeys::find(std::string_view citizen_pseudonym) const {
  std::shared_lock lock(mutex_);
  return get(key_of(kByPseudonym, citizen_pseudonym));
}

Result<SealedPseudonyms> CitizenKeys::unseal(const domain::CitizenRef& reference) const {
  std::shared_lock lock(mutex_);
  PLACEMENT_TRY(entry, get(key_of(kById, reference.citizen_id)));
  if (!entry || entry->size() < sealing::kKeyBytes) return fail(Errc::not_found, "the citizen has no key (erased)");
  PLACEMENT_TRY(plaintext, sealing::open(std::string_view(*entry).substr(0, sealing::kKeyBytes), reference.citizen_id,
                                         reference.sealed));
  const auto newline = plaintext.find('\n');
  if (newline == std::string::npos) return fail(Errc::data_loss, "the sealed value holds no pseudonyms");
  return SealedPseudonyms{plaintext.substr(0, newline), plaintext.substr(newline + 1)};
}

Status CitizenKeys::erase(std::string_view citizen_id) {
  std::unique_lock lock(mutex_);
  PLACEMENT_TRY(entry, get(key_of(kById, citizen_id)));
  if (!entry || entry->size() < sealing::kKeyBytes)
    return fail(Errc::not_found, "no citizen with that id has a key (never issued, or erased already)");
  const std::string pseudonym = entry->substr(sealing::kKeyBytes);
  rocksdb::WriteBatch batch;
  batch.Delete(key_of(kById, citizen_id));
  batch.Delete(key_of(kByPseudonym, pseudonym));
  if (auto issued = issued_.find(citizen_id); issued != issued_.end()) issued_.erase(issued);
  rocksdb::WriteOptions sync;
  sync.sync = true;
  if (auto written = db_->Write(sync, &batch); !written.ok()) return write_failed(written);
  return scrub();
}

// A delete in RocksDB only hides the value: the old bytes stay in the WAL, in SST files, and the
// keys at SST boundaries in the MANIFEST. Flushing retires the WAL, a forced compaction of the
// whole (small) store rewrites every SST without them, and reopening writes a fresh MANIFEST.
Status CitizenKeys::scrub() {
  rocksdb::FlushOptions wait;
  wait.wait = true;
  if (auto flushed = db_->Flush(wait); !flushed.ok())
    return outcome::failure(storage::from_rocksdb(Errc::unavailable, flushed, "cannot flush the citizen key store"));
  rocksdb::CompactRangeOptions everything;
  everything.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
  if (auto compacted = db_->CompactRange(everything, nullptr, nullptr); !compacted.ok())
    return outcome::failure(
        storage::from_rocksdb(Errc::unavailable, compacted, "cannot compact the citizen key store"));
  std::unique_lock no_sync(reopening_);
  if (auto closed = db_->Close(); !closed.ok())
    return outcome::failure(storage::from_rocksdb(Errc::unavailable, closed, "cannot close the citizen key store"));
  db_.reset();
  PLACEMENT_TRY(reopened, open_db(folder_, env_));
  db_ = std::move(reopened);
  return ok();
}

}  // namespace placement::privacy
