// The chain scrub and the start's verification from the verified mark, on a real RocksDB log:
// what each finds, where, what it moves the mark to, and the pace it keeps.
#include "storage/chain_scrub.h"

#include <fstream>
#include <thread>

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include "storage/hash_chain.h"
#include "storage/integrity_check.h"
#include "storage/keys.h"
#include "storage/rocksdb_event_log.h"
#include "tests/support/temp_dir.h"

namespace placement::storage {
namespace {

AppendRequest request(const std::string& command_id, int events = 1) {
  AppendRequest r;
  r.command_id = command_id;
  r.actor.set_subject("tester");
  r.actor.set_role(v1::ROLE_ADMIN);
  r.recorded_at = std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000));
  StreamAppend s{"stream-" + command_id, ExpectedVersion::any(), {}};
  for (int i = 0; i < events; ++i) s.events.push_back(NewEvent{"TestEvent", "payload-" + std::to_string(i)});
  r.streams.push_back(std::move(s));
  return r;
}

class ChainScrubTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = RocksDbEventLog::open(dir_.str());
    ASSERT_TRUE(opened) << opened.error().message;
    log_ = std::move(opened).value();
  }

  void append(int commands, int events_each = 2) {
    for (int i = 0; i < commands; ++i) {
      std::vector<AppendRequest> batch;
      batch.push_back(request("c" + std::to_string(next_++), events_each));
      auto outcome = log_->append(std::move(batch));
      ASSERT_TRUE(outcome.results.at(0)) << outcome.results.at(0).error().message;
    }
  }

  // One byte of the envelope stored at `position` changed, its stored hash left as it was.
  void alter_event(std::uint64_t position) {
    std::string value;
    ASSERT_TRUE(log_->db().Get(rocksdb::ReadOptions(), &log_->events_family(), event_key(position), &value).ok());
    value.back() ^= 0x01;
    ASSERT_TRUE(log_->db().Put(rocksdb::WriteOptions(), &log_->events_family(), event_key(position), value).ok());
  }

  // Flushes `family` to a table file and flips one byte in its first data block.
  std::string damage_table_file_of(rocksdb::ColumnFamilyHandle& family, const std::string& name) {
    EXPECT_TRUE(log_->db().Flush(rocksdb::FlushOptions(), &family).ok());
    auto files = log_->table_files();
    EXPECT_TRUE(files);
    for (const auto& file : files.value()) {
      if (file.family != name) continue;
      std::fstream bytes(file.path, std::ios::in | std::ios::out | std::ios::binary);
      bytes.seekg(20);
      char c = 0;
      bytes.read(&c, 1);
      c = static_cast<char>(c ^ 0x40);
      bytes.seekp(20);
      bytes.write(&c, 1);
      return file.path;
    }
    ADD_FAILURE() << "no table file of " << name;
    return "";
  }

  static ScrubOptions fast() { return ScrubOptions{.events_per_second = 0, .bytes_per_second = 0, .chunk_events = 7}; }

  testing::TempDir dir_;
  std::unique_ptr<RocksDbEventLog> log_;
  int next_ = 0;
};

TEST_F(ChainScrubTest, ACleanLogPassesAndTheMarkMovesToTheHead) {
  append(20);  // 40 events, in chunks of 7
  ASSERT_TRUE(log_->db().Flush(rocksdb::FlushOptions(), &log_->events_family()).ok());
  int breaks = 0;
  ChainScrub scrub(*log_, fast(), [&](const IntegrityBreak&) { ++breaks; });
  auto found = scrub.run_pass();
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_FALSE(found.value().has_value()) << found.value()->describe();
  EXPECT_EQ(breaks, 0);
  const auto progress = scrub.progress();
  EXPECT_EQ(progress.passes, 1u);
  EXPECT_EQ(progress.last_result, "ok");
  EXPECT_EQ(progress.pass_events_checked, 40u);
  EXPECT_EQ(progress.pass_events_total, 40u);
  EXPECT_GE(progress.pass_files_checked, 1u);
  EXPECT_EQ(progress.pass_files_checked, progress.pass_files_total);
  EXPECT_GT(progress.pass_bytes_checked, 0u);
  auto mark = log_->verified_mark();
  ASSERT_TRUE(mark && mark.value());
  EXPECT_EQ(mark.value()->position.value, 40u);
  EXPECT_EQ(mark.value()->hash, log_->head().hash);
}

TEST_F(ChainScrubTest, AnAlteredEventIsReportedAtItsPositionOnce) {
  append(20);
  alter_event(23);
  std::vector<IntegrityBreak> breaks;
  ChainScrub scrub(*log_, fast(), [&](const IntegrityBreak& found) { breaks.push_back(found); });
  auto found = scrub.run_pass();
  ASSERT_TRUE(found) << found.error().message;
  ASSERT_TRUE(found.value().has_value());
  EXPECT_EQ(found.value()->position.value, 23u);
  EXPECT_EQ(found.value()->problem, "hash does not match the stored bytes");
  ASSERT_EQ(breaks.size(), 1u);
  EXPECT_EQ(breaks[0].position.value, 23u);
  EXPECT_EQ(scrub.progress().last_result, "broken");
  EXPECT_EQ(scrub.progress().pass_events_checked, 21u) << "the chunks before the break's";
  EXPECT_FALSE(log_->verified_mark().value().has_value()) << "a broken pass moves no mark";
}

TEST_F(ChainScrubTest, ADamagedTableFileOutsideTheEventsIsNamed) {
  append(20);
  // The Merkle tree's family: the chain verifies, only the file's checksums can tell.
  const std::string path = damage_table_file_of(log_->merkle_family(), "merkle");
  ChainScrub scrub(*log_, fast(), {});
  auto found = scrub.run_pass();
  ASSERT_TRUE(found) << found.error().message;
  ASSERT_TRUE(found.value().has_value()) << "the damaged file went unnoticed";
  EXPECT_EQ(found.value()->position.value, 0u) << "a merkle file names no event";
  EXPECT_NE(found.value()->problem.find(path), std::string::npos) << found.value()->problem;
  EXPECT_NE(found.value()->problem.find("(merkle) does not verify"), std::string::npos) << found.value()->problem;
  EXPECT_EQ(scrub.progress().pass_events_checked, 40u);
  EXPECT_EQ(scrub.progress().last_result, "broken");
}

TEST_F(ChainScrubTest, ADamagedEventsTableFileIsFoundThoughItsBlocksMayBeCached) {
  append(20);
  const std::string path = damage_table_file_of(log_->events_family(), "events");
  // Read once through the database first, so a block cache could hold the undamaged block.
  (void)log_->read_forward(Position{1}, 100);
  ChainScrub scrub(*log_, fast(), {});
  auto found = scrub.run_pass();
  ASSERT_TRUE(found) << found.error().message;
  ASSERT_TRUE(found.value().has_value()) << "the damaged file went unnoticed";
  // Either the chain's read of the block or the file's own check finds it, within positions 1..40.
  EXPECT_GE(found.value()->position.value, 1u);
  EXPECT_LE(found.value()->position.value, 40u);
}

TEST_F(ChainScrubTest, StopCutsAPacedPassShort) {
  append(50);
  ChainScrub scrub(*log_, ScrubOptions{.events_per_second = 5, .bytes_per_second = 0, .chunk_events = 5}, {});
  scrub.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const auto stopping = std::chrono::steady_clock::now();
  scrub.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - stopping, std::chrono::seconds(2));
  EXPECT_LT(scrub.progress().pass_events_checked, 100u) << "5 events a second cannot have checked them all";
  EXPECT_GT(scrub.progress().pass_events_checked, 0u);
}

TEST(RatePacer, SleepsUntilTheBudgetCaughtUpAndNeverWhenUnbounded) {
  RatePacer::Clock::time_point now{};
  std::vector<std::chrono::milliseconds> slept;
  const auto clock = [&] { return now; };
  const auto sleep = [&](RatePacer::Clock::duration d) {
    slept.push_back(std::chrono::duration_cast<std::chrono::milliseconds>(d));
    now += d;
  };
  RatePacer pacer(1000, clock, sleep);
  pacer.done(500);  // 0.5 s of budget used at once
  ASSERT_EQ(slept.size(), 1u);
  EXPECT_EQ(slept[0].count(), 500);
  now += std::chrono::milliseconds(800);  // slow work: the budget is ahead
  pacer.done(500);
  EXPECT_EQ(slept.size(), 1u) << "no sleep while the work is slower than the rate";
  pacer.done(1300);  // at 1.3 s, 2,300 units done: 2.3 s allowed
  ASSERT_EQ(slept.size(), 2u);
  EXPECT_EQ(slept[1].count(), 1000);

  RatePacer unbounded(0, clock, sleep);
  unbounded.done(1'000'000);
  EXPECT_EQ(slept.size(), 2u);
}

TEST_F(ChainScrubTest, TheStartVerifiesFromTheMarkAndMovesIt) {
  append(10);
  auto first = verify_since_mark(*log_);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_FALSE(first.value().broken);
  EXPECT_EQ(first.value().from.value, 1u);
  EXPECT_EQ(first.value().checked, 20u);

  auto again = verify_since_mark(*log_);
  ASSERT_TRUE(again);
  EXPECT_EQ(again.value().checked, 0u) << "nothing appended since";

  append(3);
  auto later = verify_since_mark(*log_);
  ASSERT_TRUE(later);
  EXPECT_EQ(later.value().from.value, 21u);
  EXPECT_EQ(later.value().checked, 6u);
  EXPECT_EQ(log_->verified_mark().value()->position.value, 26u);
}

TEST_F(ChainScrubTest, TheStartFindsABreakAfterTheMarkAndKeepsTheMark) {
  append(10);
  ASSERT_TRUE(verify_since_mark(*log_));
  append(5);
  alter_event(25);
  auto checked = verify_since_mark(*log_);
  ASSERT_TRUE(checked) << checked.error().message;
  ASSERT_TRUE(checked.value().broken);
  EXPECT_EQ(checked.value().broken->position.value, 25u);
  EXPECT_EQ(checked.value().broken->describe(), "at position 25: hash does not match the stored bytes");
  EXPECT_EQ(log_->verified_mark().value()->position.value, 20u) << "the mark stays before the break";
}

TEST_F(ChainScrubTest, TheStartFindsTheMarkedEventRehashed) {
  append(10);
  ASSERT_TRUE(verify_since_mark(*log_));
  // A forger who rewrites the last event with a hash of its own (and the head with it).
  std::string value;
  ASSERT_TRUE(log_->db().Get(rocksdb::ReadOptions(), &log_->events_family(), event_key(20), &value).ok());
  value[0] ^= 0x01;
  ASSERT_TRUE(log_->db().Put(rocksdb::WriteOptions(), &log_->events_family(), event_key(20), value).ok());
  auto checked = verify_since_mark(*log_);
  ASSERT_TRUE(checked);
  ASSERT_TRUE(checked.value().broken);
  EXPECT_EQ(checked.value().broken->position.value, 20u);
  EXPECT_NE(checked.value().broken->problem.find("not the one verified before"), std::string::npos);
}

TEST_F(ChainScrubTest, AForgottenMarkMakesTheStartVerifyEverything) {
  append(10);
  ASSERT_TRUE(verify_since_mark(*log_));
  ASSERT_TRUE(forget_verified_mark(*log_));
  auto checked = verify_since_mark(*log_);
  ASSERT_TRUE(checked);
  EXPECT_EQ(checked.value().from.value, 1u);
  EXPECT_EQ(checked.value().checked, 20u);
}

}  // namespace
}  // namespace placement::storage
