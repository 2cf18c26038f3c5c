// RocksDbEventLog, what the integrity checks need below the contract: the verified mark in the
// meta family, the stored hash of one event, and the table files with a check of each one's
// block checksums. Safe from any thread, concurrently with append.
#include <filesystem>

#include <rocksdb/db.h>
#include <rocksdb/metadata.h>
#include <rocksdb/options.h>
#include <rocksdb/sst_file_reader.h>

#include "storage/hash_chain.h"
#include "storage/keys.h"
#include "storage/log_records.h"
#include "storage/rocksdb_event_log.h"
#include "storage/rocksdb_status.h"

namespace placement::storage {

Result<std::optional<Head>> RocksDbEventLog::verified_mark() const {
  std::string value;
  const rocksdb::Status status = db_->Get(rocksdb::ReadOptions(), meta_, std::string(kMetaVerified), &value);
  if (status.IsNotFound()) return std::optional<Head>();
  if (!status.ok()) return outcome::failure(from_rocksdb(status, "cannot read the log's verified mark"));
  auto mark = detail::decode_head_record(value);
  if (!mark) return fail(Errc::data_loss, "the log's verified mark is malformed");
  return std::optional<Head>(std::move(*mark));
}

Status RocksDbEventLog::put_verified_mark(const Head& mark) {
  rocksdb::WriteOptions sync;
  sync.sync = true;
  if (const auto status = db_->Put(sync, meta_, std::string(kMetaVerified), detail::encode_head_record(mark));
      !status.ok())
    return outcome::failure(from_rocksdb(status, "cannot write the log's verified mark"));
  return ok();
}

Result<std::string> RocksDbEventLog::stored_hash_at(Position position) const {
  std::string value;
  const rocksdb::Status status = db_->Get(rocksdb::ReadOptions(), events_, event_key(position.value), &value);
  if (status.IsNotFound()) return fail(Errc::not_found, "no event at position " + std::to_string(position.value));
  if (!status.ok()) return outcome::failure(from_rocksdb(status, "cannot read the log"));
  if (value.size() < kHashSize)
    return fail(Errc::data_loss, "event at position " + std::to_string(position.value) + " is truncated");
  return value.substr(0, kHashSize);
}

Result<std::vector<RocksDbEventLog::TableFile>> RocksDbEventLog::table_files() const {
  std::vector<rocksdb::LiveFileMetaData> live;
  db_->GetLiveFilesMetaData(&live);
  std::vector<TableFile> files;
  files.reserve(live.size());
  for (const auto& file : live)
    files.push_back(TableFile{.path = file.db_path + file.name,
                              .family = file.column_family_name,
                              .bytes = file.size,
                              .smallest_key = file.smallestkey,
                              .largest_key = file.largestkey});
  return files;
}

Status RocksDbEventLog::verify_table_file(const TableFile& file) const {
  rocksdb::Options options(db_->GetDBOptions(), rocksdb::ColumnFamilyOptions());
  rocksdb::SstFileReader reader(options);
  rocksdb::Status status = reader.Open(file.path);
  if (status.ok()) status = reader.VerifyChecksum(rocksdb::ReadOptions());
  if (status.ok()) return ok();
  std::error_code ec;
  if (!std::filesystem::exists(file.path, ec)) return ok();  // compacted away since the listing
  return outcome::failure(from_rocksdb(status.IsCorruption() ? Errc::data_loss : errc_of(status), status,
                                       "table file " + file.path + " (" + file.family + ") does not verify"));
}

}  // namespace placement::storage
