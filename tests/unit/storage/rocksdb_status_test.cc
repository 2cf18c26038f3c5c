#include "storage/rocksdb_status.h"

#include <gtest/gtest.h>
#include <rocksdb/io_status.h>

namespace placement::storage {
namespace {

TEST(RocksDbStatus, TransientConditionsAreUnavailableForTheLog) {
  EXPECT_EQ(errc_of(rocksdb::Status::IOError("disk")), Errc::unavailable);
  EXPECT_EQ(errc_of(rocksdb::Status::NoSpace()), Errc::unavailable);
  EXPECT_EQ(errc_of(rocksdb::Status::SpaceLimit()), Errc::unavailable);
  EXPECT_EQ(errc_of(rocksdb::Status::PathNotFound()), Errc::unavailable);
  EXPECT_EQ(errc_of(rocksdb::Status::Busy()), Errc::unavailable);
  EXPECT_EQ(errc_of(rocksdb::Status::TimedOut()), Errc::unavailable);
  EXPECT_EQ(errc_of(rocksdb::Status::TryAgain()), Errc::unavailable);
  EXPECT_EQ(errc_of(rocksdb::Status::ShutdownInProgress()), Errc::unavailable);
}

TEST(RocksDbStatus, CorruptionIsDataLossForTheLog) {
  EXPECT_EQ(errc_of(rocksdb::Status::Corruption("bad block")), Errc::data_loss);
}

TEST(RocksDbStatus, EverythingElseIsInternalForTheLog) {
  EXPECT_EQ(errc_of(rocksdb::Status::NotFound()), Errc::internal);
  EXPECT_EQ(errc_of(rocksdb::Status::NotSupported()), Errc::internal);
  EXPECT_EQ(errc_of(rocksdb::Status::InvalidArgument()), Errc::internal);
  EXPECT_EQ(errc_of(rocksdb::Status::MergeInProgress()), Errc::internal);
  EXPECT_EQ(errc_of(rocksdb::Status::Incomplete()), Errc::internal);
  EXPECT_EQ(errc_of(rocksdb::Status::Aborted()), Errc::internal);
  EXPECT_EQ(errc_of(rocksdb::Status::MemoryLimit()), Errc::internal);
  EXPECT_EQ(errc_of(rocksdb::Status::Expired()), Errc::internal);
  EXPECT_EQ(errc_of(rocksdb::Status::CompactionTooLarge()), Errc::internal);
  EXPECT_EQ(errc_of(rocksdb::Status::ColumnFamilyDropped()), Errc::internal);
}

TEST(RocksDbStatus, BackupsTreatOnlyIoErrorsAsUnavailable) {
  const auto backup = [](const rocksdb::Status& status) { return errc_of(status, StatusSource::backup); };
  EXPECT_EQ(backup(rocksdb::IOStatus::IOError("disk")), Errc::unavailable);
  EXPECT_EQ(backup(rocksdb::IOStatus::NoSpace()), Errc::unavailable);
  EXPECT_EQ(backup(rocksdb::IOStatus::PathNotFound()), Errc::unavailable);
  EXPECT_EQ(backup(rocksdb::IOStatus::Corruption("checksum")), Errc::internal);
  EXPECT_EQ(backup(rocksdb::IOStatus::Busy()), Errc::internal);
  EXPECT_EQ(backup(rocksdb::IOStatus::TimedOut()), Errc::internal);
  EXPECT_EQ(backup(rocksdb::Status::TryAgain()), Errc::internal);
  EXPECT_EQ(backup(rocksdb::Status::ShutdownInProgress()), Errc::internal);
  EXPECT_EQ(backup(rocksdb::IOStatus::NotFound()), Errc::internal);
  EXPECT_EQ(backup(rocksdb::IOStatus::InvalidArgument()), Errc::internal);
}

TEST(RocksDbStatus, TheMessageIsWhatThenRocksDbsText) {
  const rocksdb::Status status = rocksdb::Status::Corruption("block checksum mismatch");
  const Error error = from_rocksdb(status, "cannot read the log");
  EXPECT_EQ(error.code, Errc::data_loss);
  EXPECT_EQ(error.message, "cannot read the log: " + status.ToString());
  EXPECT_EQ(from_rocksdb(rocksdb::Status::IOError("x"), "backup failed", StatusSource::backup).code, Errc::unavailable);
}

TEST(RocksDbStatus, ACodeGivenByTheCallerWins) {
  const rocksdb::Status status = rocksdb::Status::IOError("disk");
  const Error error = from_rocksdb(Errc::internal, status, "cannot read backup info");
  EXPECT_EQ(error.code, Errc::internal);
  EXPECT_EQ(error.message, "cannot read backup info: " + status.ToString());
}

TEST(RocksDbStatus, AHeldLockIsRecognisedByItsText) {
  EXPECT_TRUE(
      is_lock_held(rocksdb::Status::IOError("While lock file: /data/LOCK", "Resource temporarily unavailable")));
  EXPECT_TRUE(is_lock_held(rocksdb::Status::IOError("lock hold by current process", "/data/LOCK: No locks available")));
  EXPECT_FALSE(is_lock_held(rocksdb::Status::IOError("While opening a file for sequentially reading", "No such file")));
  EXPECT_FALSE(is_lock_held(rocksdb::Status::InvalidArgument("Column families not opened: meta")));
}

}  // namespace
}  // namespace placement::storage
