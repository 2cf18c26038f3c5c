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
#include "tests/support/temp_dir.h"

namespace placement::storage {
namespace {

AppendRequest request(std::string command_id, std::string stream, ExpectedVersion expected, int events = 1) {
  AppendRequest r;
  r.command_id = std::move(command_id);
  r.actor.set_subject("tester");
  r.actor.set_role(v1::ROLE_ADMIN);
  r.recorded_at = std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000));
  StreamAppend s{std::move(stream), expected, {}};
  for (int i = 0; i < events; ++i) s.events.push_back(NewEvent{"TestEvent", "payload-" + std::to_string(i)});
  r.streams.push_back(std::move(s));
  return r;
}

Result<AppendResult> append_one(EventLog& log, AppendRequest r) {
  std::vector<AppendRequest> batch;
  batch.push_back(std::move(r));
  auto outcome = log.append(std::move(batch));
  return std::move(outcome.results.at(0));
}

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

TEST_F(RocksDbEventLogTest, NewLogIsEmptyWithGenesisHead) {
  EXPECT_EQ(log_->head().position.value, 0u);
  EXPECT_EQ(log_->head().hash, genesis_hash());
  EXPECT_TRUE(log_->read_forward(Position{1}, 10).value().empty());
}

TEST_F(RocksDbEventLogTest, AppendAssignsConsecutivePositionsAndStreamVersions) {
  auto first = append_one(*log_, request("c1", "offer-1", ExpectedVersion::no_stream(), 2));
  ASSERT_TRUE(first);
  EXPECT_EQ(first.value().first.value, 1u);
  EXPECT_EQ(first.value().last.value, 2u);
  auto second = append_one(*log_, request("c2", "offer-1", ExpectedVersion::exactly(2)));
  ASSERT_TRUE(second);
  EXPECT_EQ(second.value().first.value, 3u);

  auto events = log_->read_forward(Position{1}, 10).value();
  ASSERT_EQ(events.size(), 3u);
  for (std::uint64_t i = 0; i < 3; ++i) {
    EXPECT_EQ(events[i].envelope.position(), i + 1);
    EXPECT_EQ(events[i].envelope.stream_version(), i + 1);
    EXPECT_EQ(events[i].envelope.stream_id(), "offer-1");
    EXPECT_EQ(events[i].envelope.actor().subject(), "tester");
  }
  EXPECT_EQ(events[2].envelope.command_id(), "c2");
  EXPECT_EQ(log_->stream_version("offer-1").value().value, 3u);
  EXPECT_EQ(log_->stream_version("offer-2").value().value, 0u);
}

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

TEST_F(RocksDbEventLogTest, AppendWithStaleVersionReturnsConflictAndWritesNothing) {
  ASSERT_TRUE(append_one(*log_, request("c1", "offer-1", ExpectedVersion::no_stream())));
  auto stale = append_one(*log_, request("c2", "offer-1", ExpectedVersion::no_stream()));
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, Errc::conflict);
  EXPECT_EQ(log_->head().position.value, 1u);
  EXPECT_FALSE(log_->find_command("c2").value().has_value());
}

TEST_F(RocksDbEventLogTest, RetriedCommandReturnsFirstResultAndWritesNothing) {
  auto first = append_one(*log_, request("same", "offer-1", ExpectedVersion::any(), 2));
  ASSERT_TRUE(first);
  auto retry = append_one(*log_, request("same", "offer-9", ExpectedVersion::any(), 5));
  ASSERT_TRUE(retry);
  EXPECT_TRUE(retry.value().duplicate);
  EXPECT_EQ(retry.value().first, first.value().first);
  EXPECT_EQ(retry.value().last, first.value().last);
  EXPECT_EQ(log_->head().position.value, 2u);
  EXPECT_EQ(log_->stream_version("offer-9").value().value, 0u);
}

TEST_F(RocksDbEventLogTest, RetryWithinOneBatchIsADuplicateToo) {
  std::vector<AppendRequest> batch;
  batch.push_back(request("dup", "a", ExpectedVersion::any()));
  batch.push_back(request("dup", "b", ExpectedVersion::any()));
  auto outcome = log_->append(std::move(batch));
  ASSERT_TRUE(outcome.results[0]);
  ASSERT_TRUE(outcome.results[1]);
  EXPECT_TRUE(outcome.results[1].value().duplicate);
  EXPECT_EQ(outcome.written.size(), 1u);
}

TEST_F(RocksDbEventLogTest, RefusedRequestInABatchDoesNotAffectOthers) {
  std::vector<AppendRequest> batch;
  batch.push_back(request("a", "s", ExpectedVersion::no_stream()));
  batch.push_back(request("b", "s", ExpectedVersion::no_stream()));  // stale once "a" is in
  batch.push_back(request("c", "s", ExpectedVersion::exactly(1)));
  auto outcome = log_->append(std::move(batch));
  EXPECT_TRUE(outcome.results[0]);
  ASSERT_FALSE(outcome.results[1]);
  EXPECT_EQ(outcome.results[1].error().code, Errc::conflict);
  EXPECT_TRUE(outcome.results[2]);
  EXPECT_EQ(log_->head().position.value, 2u);
}

TEST_F(RocksDbEventLogTest, MultiStreamAppendIsAllOrNothing) {
  ASSERT_TRUE(append_one(*log_, request("c1", "b", ExpectedVersion::no_stream())));
  AppendRequest r = request("c2", "a", ExpectedVersion::no_stream());
  r.streams.push_back(StreamAppend{"b", ExpectedVersion::no_stream(), {NewEvent{"T", "x"}}});  // stale
  auto result = append_one(*log_, std::move(r));
  ASSERT_FALSE(result);
  EXPECT_EQ(log_->stream_version("a").value().value, 0u);
  EXPECT_EQ(log_->head().position.value, 1u);
}

TEST_F(RocksDbEventLogTest, AStreamMayAppearTwiceInOneRequestKeepingEventOrder) {
  AppendRequest r = request("c1", "a", ExpectedVersion::no_stream());
  r.streams.push_back(StreamAppend{"b", ExpectedVersion::no_stream(), {NewEvent{"T", "b1"}}});
  r.streams.push_back(StreamAppend{"a", ExpectedVersion::exactly(1), {NewEvent{"T", "a2"}}});
  ASSERT_TRUE(append_one(*log_, std::move(r)));
  auto events = log_->read_forward(Position{1}, 10).value();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[1].envelope.stream_id(), "b");
  EXPECT_EQ(events[2].envelope.stream_id(), "a");
  EXPECT_EQ(events[2].envelope.stream_version(), 2u);
  auto stale = request("c2", "a", ExpectedVersion::exactly(2));
  stale.streams.push_back(StreamAppend{"a", ExpectedVersion::exactly(2), {NewEvent{"T", "x"}}});  // is 3 by then
  ASSERT_FALSE(append_one(*log_, std::move(stale)));
  EXPECT_EQ(log_->head().position.value, 3u);
}

TEST_F(RocksDbEventLogTest, RefusesEmptyCommandIdAndEmptyAppend) {
  auto no_id = append_one(*log_, request("", "s", ExpectedVersion::any()));
  ASSERT_FALSE(no_id);
  EXPECT_EQ(no_id.error().code, Errc::invalid_argument);
  auto no_events = append_one(*log_, request("x", "s", ExpectedVersion::any(), 0));
  ASSERT_FALSE(no_events);
  EXPECT_EQ(no_events.error().code, Errc::invalid_argument);
  EXPECT_EQ(log_->head().position.value, 0u);
}

TEST_F(RocksDbEventLogTest, ReadStreamReturnsOnlyThatStreamFromAVersion) {
  ASSERT_TRUE(append_one(*log_, request("c1", "offer-1", ExpectedVersion::any(), 3)));
  ASSERT_TRUE(append_one(*log_, request("c2", "offer-10", ExpectedVersion::any(), 2)));
  auto events = log_->read_stream("offer-1", StreamVersion{2}, 10).value();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].envelope.stream_version(), 2u);
  EXPECT_EQ(events[1].envelope.position(), 3u);
}

TEST_F(RocksDbEventLogTest, ChainLinksEachEventToThePrevious) {
  ASSERT_TRUE(append_one(*log_, request("c1", "s", ExpectedVersion::any(), 4)));
  auto events = log_->read_forward(Position{1}, 10).value();
  std::string prev = genesis_hash();
  for (const auto& e : events) {
    EXPECT_EQ(e.envelope.prev_hash(), prev);
    EXPECT_EQ(e.hash, chain_hash(prev, e.envelope_bytes));
    prev = e.hash;
  }
  EXPECT_EQ(log_->head().hash, prev);
  auto report = log_->verify_chain(Position{1}, Position{0}).value();
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.checked, 4u);
}

TEST_F(RocksDbEventLogTest, VerifyFindsTheAlteredPosition) {
  ASSERT_TRUE(append_one(*log_, request("c1", "s", ExpectedVersion::any(), 5)));
  std::string value;
  ASSERT_TRUE(log_->db().Get(rocksdb::ReadOptions(), &log_->events_family(), event_key(3), &value).ok());
  value.back() = static_cast<char>(value.back() ^ 0x01);  // one bit of the payload
  ASSERT_TRUE(log_->db().Put(rocksdb::WriteOptions(), &log_->events_family(), event_key(3), value).ok());

  auto report = log_->verify_chain(Position{1}, Position{0}).value();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad.value, 3u);
  EXPECT_EQ(report.checked, 2u);
  // A range that ends before the damage still verifies.
  EXPECT_TRUE(log_->verify_chain(Position{1}, Position{2}).value().ok);
}

TEST_F(RocksDbEventLogTest, EverythingSurvivesReopen) {
  ASSERT_TRUE(append_one(*log_, request("c1", "s", ExpectedVersion::any(), 3)));
  const Head before = log_->head();
  reopen();
  EXPECT_EQ(log_->head().position, before.position);
  EXPECT_EQ(log_->head().hash, before.hash);
  EXPECT_EQ(log_->stream_version("s").value().value, 3u);
  EXPECT_TRUE(log_->find_command("c1").value().has_value());
  auto next = append_one(*log_, request("c2", "s", ExpectedVersion::exactly(3)));
  ASSERT_TRUE(next);
  EXPECT_EQ(next.value().first.value, 4u);
  EXPECT_TRUE(log_->verify_chain(Position{1}, Position{0}).value().ok);
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
