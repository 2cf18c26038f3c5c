// RocksDbEventLog beyond the contract (event_log_contract_test.cc runs that against both logs):
// synced writes, the folder lock, foreign folders, snapshots.
#include "storage/rocksdb_event_log.h"

#include <fstream>
#include <thread>

#include <gtest/gtest.h>
#include <rocksdb/db.h>
#include <rocksdb/iostats_context.h>
#include <rocksdb/perf_level.h>

#include "storage/backup.h"
#include "storage/hash_chain.h"
#include "storage/keys.h"
#include "tests/support/event_log_requests.h"
#include "tests/support/temp_dir.h"

namespace placement::storage {
namespace {

using testing::append_one;
using testing::request;

class RocksDbEventLogTest : public ::testing::Test {
 protected:
  void SetUp() override { reopen(); }
  void reopen() {
    log_.reset();
    auto opened = RocksDbEventLog::open(dir_.str());
    ASSERT_TRUE(opened) << opened.error().message;
    log_ = std::move(opened).value();
  }
  testing::TempDir dir_;
  std::unique_ptr<RocksDbEventLog> log_;
};

TEST_F(RocksDbEventLogTest, AnAppendIsSyncedToDiskBeforeItReturns) {
  // RocksDB times the WAL's fsync in the calling thread's I/O stats when perf stats are on.
  rocksdb::SetPerfLevel(rocksdb::PerfLevel::kEnableTimeExceptForMutex);
  rocksdb::get_iostats_context()->Reset();
  const auto appended = append_one(*log_, request("c1", "s", ExpectedVersion::any()));
  const std::uint64_t fsync_nanos = rocksdb::get_iostats_context()->fsync_nanos;
  rocksdb::SetPerfLevel(rocksdb::PerfLevel::kDisable);
  ASSERT_TRUE(appended);
  EXPECT_GT(fsync_nanos, 0u) << "the append's WriteBatch was not written with sync=true";
}

TEST_F(RocksDbEventLogTest, ReplicatedEventsAreStoredExactlyAsGivenWithTheirIndexesAndTree) {
  AppendRequest two_streams = request("c1", "a", ExpectedVersion::any(), 2);
  two_streams.streams.push_back(StreamAppend{"b", ExpectedVersion::any(), {NewEvent{"T", "b1"}}});
  ASSERT_TRUE(append_one(*log_, std::move(two_streams)));
  ASSERT_TRUE(append_one(*log_, request("c2", "a", ExpectedVersion::any(), 3)));
  const auto source = log_->read_forward(Position{1}, 100).value();
  ASSERT_EQ(source.size(), 6u);

  testing::TempDir copy_dir;
  auto copy = RocksDbEventLog::open(copy_dir.str()).value();
  // In two parts, the second starting inside command c2, as a catch-up in chunks may.
  ASSERT_TRUE(copy->append_replicated(std::span(source).first(4)));
  ASSERT_TRUE(copy->append_replicated(std::span(source).subspan(4)));
  EXPECT_EQ(copy->head().position, log_->head().position);
  EXPECT_EQ(copy->head().hash, log_->head().hash);
  const auto copied = copy->read_forward(Position{1}, 100).value();
  ASSERT_EQ(copied.size(), source.size());
  for (std::size_t i = 0; i < source.size(); ++i) EXPECT_EQ(copied[i].envelope_bytes, source[i].envelope_bytes) << i;
  EXPECT_EQ(copy->stream_version("a").value().value, 5u);
  EXPECT_EQ(copy->stream_version("b").value().value, 1u);
  EXPECT_EQ(copy->read_stream("a", StreamVersion{3}, 10).value().size(), 3u);
  const auto c2 = copy->find_command("c2").value();
  ASSERT_TRUE(c2.has_value());
  EXPECT_EQ(c2->first.value, 4u);
  EXPECT_EQ(c2->last.value, 6u);
  EXPECT_EQ(copy->merkle().root(6).value(), log_->merkle().root(6).value());
  EXPECT_TRUE(copy->verify_chain(Position{1}, Position{0}).value().ok);
}

TEST_F(RocksDbEventLogTest, ReplicatedEventsThatDoNotContinueTheChainAreRefusedWhole) {
  ASSERT_TRUE(append_one(*log_, request("c1", "a", ExpectedVersion::any(), 3)));
  auto events = log_->read_forward(Position{1}, 10).value();
  testing::TempDir copy_dir;
  auto copy = RocksDbEventLog::open(copy_dir.str()).value();
  auto skipped = copy->append_replicated(std::span(events).subspan(1));  // does not follow the head
  ASSERT_FALSE(skipped);
  EXPECT_EQ(skipped.error().code, Errc::data_loss);
  events[2].envelope_bytes.back() =
      static_cast<char>(events[2].envelope_bytes.back() ^ 0x01);  // its hash no longer matches its bytes
  auto altered = copy->append_replicated(events);
  ASSERT_FALSE(altered);
  EXPECT_EQ(altered.error().code, Errc::data_loss);
  EXPECT_EQ(copy->head().position.value, 0u);
  EXPECT_FALSE(copy->find_command("c1").value().has_value());
}

TEST(RocksDbEventLogOpen, SecondOpenOfTheSameFolderIsRefusedAsLocked) {
  testing::TempDir dir;
  auto first = RocksDbEventLog::open(dir.str());
  ASSERT_TRUE(first);
  auto second = RocksDbEventLog::open(dir.str());
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, Errc::unavailable);
  EXPECT_NE(second.error().message.find("locked"), std::string::npos) << second.error().message;
}

TEST(RocksDbEventLogOpen, ForeignFolderIsRefusedAndLeftUntouched) {
  testing::TempDir dir;
  { std::ofstream(dir.path() / "notes.txt") << "not a ledger"; }
  auto opened = RocksDbEventLog::open(dir.str());
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, Errc::failed_precondition);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "CURRENT"));
}

class RocksDbSnapshotsTest : public RocksDbEventLogTest {
 protected:
  void append_events(int n) {
    for (int i = 0; i < n; ++i)
      ASSERT_TRUE(append_one(*log_, request("c" + std::to_string(i), "s", ExpectedVersion::any())));
  }
  std::optional<std::uint64_t> newest_at_or_before(std::uint64_t position) {
    auto found = log_->snapshot_at_or_before(Position{position});
    EXPECT_TRUE(found) << found.error().message;
    if (!found || !found.value()) return std::nullopt;
    EXPECT_EQ(found.value()->bytes, "model@" + std::to_string(found.value()->position.value));
    return found.value()->position.value;
  }
  void put(std::uint64_t position) {
    auto put = log_->put_snapshot(Position{position}, "model@" + std::to_string(position));
    ASSERT_TRUE(put) << put.error().message;
  }
};

TEST_F(RocksDbSnapshotsTest, TheNewestAtOrBeforeAPositionIsFound) {
  append_events(5);
  EXPECT_EQ(newest_at_or_before(5), std::nullopt);
  put(2);
  put(4);
  EXPECT_EQ(newest_at_or_before(1), std::nullopt);
  EXPECT_EQ(newest_at_or_before(3), 2u);
  EXPECT_EQ(newest_at_or_before(4), 4u);
  EXPECT_EQ(newest_at_or_before(99), 4u);
  reopen();
  EXPECT_EQ(newest_at_or_before(99), 4u) << "snapshots survive a reopen";
}

TEST_F(RocksDbSnapshotsTest, OnlyTheNewestTwoAreKept) {
  append_events(3);
  put(1);
  put(2);
  put(3);
  EXPECT_EQ(newest_at_or_before(1), std::nullopt);
  EXPECT_EQ(newest_at_or_before(2), 2u);
  EXPECT_EQ(newest_at_or_before(3), 3u);
}

TEST_F(RocksDbSnapshotsTest, ASnapshotOfAPositionTheLogDoesNotHoldIsRefused) {
  append_events(2);
  auto put = log_->put_snapshot(Position{3}, "model@3");
  ASSERT_FALSE(put);
  EXPECT_EQ(put.error().code, Errc::not_found);
  EXPECT_EQ(newest_at_or_before(99), std::nullopt);
}

TEST_F(RocksDbSnapshotsTest, AnAlteredSnapshotIsSkippedForTheOlderOne) {
  append_events(4);
  put(2);
  put(4);
  std::string value;
  ASSERT_TRUE(log_->db().Get(rocksdb::ReadOptions(), &log_->snapshots_family(), encode_u64(4), &value).ok());
  value.back() ^= 1;
  ASSERT_TRUE(log_->db().Put(rocksdb::WriteOptions(), &log_->snapshots_family(), encode_u64(4), value).ok());
  EXPECT_EQ(newest_at_or_before(99), 2u);
}

TEST_F(RocksDbSnapshotsTest, ASnapshotIsInATableFileWhenPutReturns) {
  append_events(2);
  put(2);
  std::uint64_t in_memtable = 99;
  ASSERT_TRUE(
      log_->db().GetIntProperty(&log_->snapshots_family(), "rocksdb.num-entries-active-mem-table", &in_memtable));
  EXPECT_EQ(in_memtable, 0u) << "flushed, so the next open does not read it back from a write-ahead log";
  std::uint64_t blob_files = 0;
  ASSERT_TRUE(log_->db().GetIntProperty(&log_->snapshots_family(), "rocksdb.num-blob-files", &blob_files));
  EXPECT_EQ(blob_files, 1u) << "the snapshot's bytes live in a blob file";
}

TEST_F(RocksDbSnapshotsTest, ASnapshotSurvivesACrashRightAfterPut) {
  append_events(2);
  put(2);
  // The folder as a crash would leave it (the log open, nothing closed): the snapshot skipped
  // the write-ahead log, so only its flush can have made it durable.
  testing::TempDir crash_image;
  std::filesystem::copy(dir_.path(), crash_image.path(),
                        std::filesystem::copy_options::recursive | std::filesystem::copy_options::overwrite_existing);
  auto reopened = RocksDbEventLog::open(crash_image.str());
  ASSERT_TRUE(reopened) << reopened.error().message;
  auto found = reopened.value()->snapshot_at_or_before(Position{99});
  ASSERT_TRUE(found) << found.error().message;
  ASSERT_TRUE(found.value());
  EXPECT_EQ(found.value()->position.value, 2u);
  EXPECT_EQ(found.value()->bytes, "model@2");
}

TEST_F(RocksDbSnapshotsTest, DroppedSnapshotsLeaveNoBlobFilesBehind) {
  append_events(5);
  for (std::uint64_t position = 1; position <= 5; ++position) put(position);
  std::uint64_t blob_files = 0;
  ASSERT_TRUE(log_->db().GetIntProperty(&log_->snapshots_family(), "rocksdb.num-blob-files", &blob_files));
  EXPECT_EQ(blob_files, RocksDbEventLog::kKeptSnapshots);
  EXPECT_EQ(newest_at_or_before(99), 5u);
  EXPECT_EQ(newest_at_or_before(4), 4u);
  EXPECT_EQ(newest_at_or_before(3), std::nullopt);
}

TEST_F(RocksDbSnapshotsTest, ABackupCarriesTheSnapshotsBlobFiles) {
  append_events(3);
  put(3);
  testing::TempDir backups;
  testing::TempDir restored_parent;
  const std::string restored = (restored_parent.path() / "restored").string();
  auto backup = create_backup(*log_, backups.str());
  ASSERT_TRUE(backup) << backup.error().message;
  auto restore = restore_latest_backup(backups.str(), restored);
  ASSERT_TRUE(restore) << restore.error().message;
  auto reopened = RocksDbEventLog::open(restored);
  ASSERT_TRUE(reopened) << reopened.error().message;
  auto found = reopened.value()->snapshot_at_or_before(Position{99});
  ASSERT_TRUE(found) << found.error().message;
  ASSERT_TRUE(found.value());
  EXPECT_EQ(found.value()->position.value, 3u);
  EXPECT_EQ(found.value()->bytes, "model@3");
}

TEST(RocksDbEventLogOpen, ALedgerFromBeforeSnapshotsOpensAndGainsTheFamily) {
  testing::TempDir dir;
  {
    auto log = RocksDbEventLog::open(dir.str()).value();
    ASSERT_TRUE(append_one(*log, request("c1", "s", ExpectedVersion::any())));
    ASSERT_TRUE(log->db().DropColumnFamily(&log->snapshots_family()).ok());  // as an older build left it
  }
  auto reopened = RocksDbEventLog::open(dir.str());
  ASSERT_TRUE(reopened) << reopened.error().message;
  EXPECT_EQ(reopened.value()->head().position.value, 1u);
  EXPECT_TRUE(reopened.value()->put_snapshot(Position{1}, "model@1"));
}

TEST(RocksDbEventLogOpen, AForeignRocksDbIsRefusedAndLeftUntouched) {
  testing::TempDir dir;
  {
    rocksdb::Options options;
    options.create_if_missing = true;
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(options, dir.str(), &raw).ok());
    std::unique_ptr<rocksdb::DB> db(raw);
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), "someone", "else's").ok());
  }
  auto opened = RocksDbEventLog::open(dir.str());
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, Errc::failed_precondition);
  EXPECT_NE(opened.error().message.find("not a placement ledger"), std::string::npos) << opened.error().message;
  std::vector<std::string> families;
  ASSERT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir.str(), &families).ok());
  EXPECT_EQ(families, std::vector<std::string>{rocksdb::kDefaultColumnFamilyName});
}

}  // namespace
}  // namespace placement::storage
