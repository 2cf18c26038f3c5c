#include "storage/backup.h"

#include <filesystem>
#include <memory>

#include <rocksdb/env.h>
#include <rocksdb/utilities/backup_engine.h>

#include "storage/rocksdb_status.h"

namespace placement::storage {
namespace {

BackupSummary summary_of(const rocksdb::BackupInfo& info) {
  return BackupSummary{info.backup_id, info.size, info.number_files, info.timestamp};
}

}  // namespace

Result<BackupSummary> create_backup(RocksDbEventLog& log, const std::string& backup_dir) {
  rocksdb::BackupEngine* raw = nullptr;
  rocksdb::BackupEngineOptions options(backup_dir);
  options.sync = true;
  if (auto status = rocksdb::BackupEngine::Open(options, rocksdb::Env::Default(), &raw); !status.ok())
    return outcome::failure(from_rocksdb(status, "cannot open backup folder " + backup_dir, StatusSource::backup));
  std::unique_ptr<rocksdb::BackupEngine> engine(raw);
  rocksdb::CreateBackupOptions create;
  create.flush_before_backup = true;  // the backup is SST files only: no WAL to replay on restore
  rocksdb::BackupID id = 0;
  if (auto status = engine->CreateNewBackup(create, &log.db(), &id); !status.ok())
    return outcome::failure(from_rocksdb(status, "backup into " + backup_dir + " failed", StatusSource::backup));
  if (auto status = engine->VerifyBackup(id, /*verify_with_checksum=*/true); !status.ok())
    return outcome::failure(
        from_rocksdb(status, "backup " + std::to_string(id) + " does not verify", StatusSource::backup));
  rocksdb::BackupInfo info;
  if (auto status = engine->GetBackupInfo(id, &info); !status.ok())
    return outcome::failure(from_rocksdb(Errc::internal, status, "cannot read backup info"));
  return summary_of(info);
}

Result<std::vector<BackupSummary>> list_backups(const std::string& backup_dir) {
  rocksdb::BackupEngineReadOnly* raw = nullptr;
  rocksdb::BackupEngineOptions options(backup_dir);
  if (auto status = rocksdb::BackupEngineReadOnly::Open(options, rocksdb::Env::Default(), &raw); !status.ok())
    return outcome::failure(from_rocksdb(status, "cannot open backup folder " + backup_dir, StatusSource::backup));
  std::unique_ptr<rocksdb::BackupEngineReadOnly> engine(raw);
  std::vector<rocksdb::BackupInfo> infos;
  engine->GetBackupInfo(&infos);
  std::vector<BackupSummary> out;
  for (const auto& info : infos) out.push_back(summary_of(info));
  return out;
}

Status restore_latest_backup(const std::string& backup_dir, const std::string& data_dir) {
  std::error_code ec;
  if (std::filesystem::exists(data_dir, ec) && !std::filesystem::is_empty(data_dir, ec))
    return fail(Errc::failed_precondition, "restore target " + data_dir + " is not empty; restore into a new folder");
  if (!std::filesystem::exists(backup_dir, ec)) return fail(Errc::not_found, "no backup folder " + backup_dir);
  rocksdb::BackupEngineReadOnly* raw = nullptr;
  rocksdb::BackupEngineOptions options(backup_dir);
  if (auto status = rocksdb::BackupEngineReadOnly::Open(options, rocksdb::Env::Default(), &raw); !status.ok())
    return outcome::failure(from_rocksdb(status, "cannot open backup folder " + backup_dir, StatusSource::backup));
  std::unique_ptr<rocksdb::BackupEngineReadOnly> engine(raw);
  std::vector<rocksdb::BackupInfo> infos;
  engine->GetBackupInfo(&infos);
  if (infos.empty()) return fail(Errc::not_found, "backup folder " + backup_dir + " holds no backup");
  if (auto status = engine->RestoreDBFromLatestBackup(rocksdb::RestoreOptions(), data_dir, data_dir); !status.ok())
    return outcome::failure(from_rocksdb(status, "restore into " + data_dir + " failed", StatusSource::backup));
  return ok();
}

}  // namespace placement::storage
