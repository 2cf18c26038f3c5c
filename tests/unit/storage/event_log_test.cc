// EventLog::visit_forward: the contract's default (chunks through read_forward) and the RocksDB
// log's streaming override must hand over the same events, in the same order, with the same bytes.
// Every case runs against both.

#include "storage/event_log.h"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include "storage/keys.h"
#include "storage/rocksdb_event_log.h"
#include "tests/support/temp_dir.h"

namespace placement::storage {
namespace {

// A log that keeps the contract's default visit_forward: everything else goes to a RocksDB log.
class DefaultScanLog final : public EventLog {
 public:
  explicit DefaultScanLog(EventLog& inner) : inner_(inner) {}
  AppendBatchOutcome append(std::vector<AppendRequest> requests) override { return inner_.append(std::move(requests)); }
  Result<std::vector<LoggedEvent>> read_forward(Position from, std::size_t max) const override {
    return inner_.read_forward(from, max);
  }
  Result<std::vector<LoggedEvent>> read_stream(const std::string& stream_id, StreamVersion from,
                                               std::size_t max) const override {
    return inner_.read_stream(stream_id, from, max);
  }
  Result<StreamVersion> stream_version(const std::string& stream_id) const override {
    return inner_.stream_version(stream_id);
  }
  Result<std::optional<AppendResult>> find_command(const std::string& command_id) const override {
    return inner_.find_command(command_id);
  }
  Result<ChainReport> verify_chain(Position from, Position to) const override { return inner_.verify_chain(from, to); }
  Head head() const override { return inner_.head(); }

 private:
  EventLog& inner_;
};

enum class Scan { rocksdb_streaming, contract_default };

// What a visit saw, copied out of the views (they are valid only during the call).
struct Seen {
  std::uint64_t position;
  std::string envelope_bytes;
};

class VisitForwardTest : public ::testing::TestWithParam<Scan> {
 protected:
  void SetUp() override {
    auto opened = RocksDbEventLog::open(dir_.str());
    ASSERT_TRUE(opened) << opened.error().message;
    rocksdb_ = std::move(opened).value();
    default_scan_ = std::make_unique<DefaultScanLog>(*rocksdb_);
  }

  const EventLog& log() const {
    if (GetParam() == Scan::rocksdb_streaming) return *rocksdb_;
    return *default_scan_;
  }

  // Appends `count` events in one command, payload "payload-<n>" for the n-th event of the log.
  void append(std::size_t count) {
    AppendRequest request;
    request.command_id = "c" + std::to_string(rocksdb_->head().position.value);
    request.actor.set_subject("tester");
    request.recorded_at = std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000));
    StreamAppend stream{"s", ExpectedVersion::any(), {}};
    for (std::size_t i = 0; i < count; ++i)
      stream.events.push_back(
          NewEvent{"TestEvent", "payload-" + std::to_string(rocksdb_->head().position.value + i + 1)});
    request.streams.push_back(std::move(stream));
    std::vector<AppendRequest> batch;
    batch.push_back(std::move(request));
    auto outcome = rocksdb_->append(std::move(batch));
    ASSERT_TRUE(outcome.results.at(0)) << outcome.results.at(0).error().message;
  }

  std::vector<Seen> visit(Position from, Position up_to) const {
    std::vector<Seen> seen;
    auto visited = log().visit_forward(from, up_to, [&](const StoredEventView& event) -> Status {
      seen.push_back(Seen{event.position.value, std::string(event.envelope_bytes)});
      return ok();
    });
    EXPECT_TRUE(visited) << visited.error().message;
    return seen;
  }

  // The positions [first, last] with the bytes read_forward returns for them.
  void expect_exactly(const std::vector<Seen>& seen, std::uint64_t first, std::uint64_t last) const {
    ASSERT_EQ(seen.size(), last >= first ? last - first + 1 : 0);
    if (seen.empty()) return;
    auto expected = rocksdb_->read_forward(Position{first}, seen.size());
    ASSERT_TRUE(expected);
    ASSERT_EQ(expected.value().size(), seen.size());
    for (std::size_t i = 0; i < seen.size(); ++i) {
      EXPECT_EQ(seen[i].position, first + i);
      EXPECT_EQ(seen[i].envelope_bytes, expected.value()[i].envelope_bytes) << "position " << first + i;
    }
  }

  testing::TempDir dir_;
  std::unique_ptr<RocksDbEventLog> rocksdb_;
  std::unique_ptr<DefaultScanLog> default_scan_;
};

TEST_P(VisitForwardTest, AnEmptyLogVisitsNothing) {
  EXPECT_TRUE(visit(Position{1}, Position{0}).empty());
  EXPECT_TRUE(visit(Position{0}, Position{10}).empty());
}

TEST_P(VisitForwardTest, TheWholeLogInOrderWithTheStoredBytes) {
  append(3);
  append(2);
  expect_exactly(visit(Position{1}, Position{0}), 1, 5);
  // Position 0 means the start, as for read_forward.
  expect_exactly(visit(Position{0}, Position{0}), 1, 5);
}

TEST_P(VisitForwardTest, StartsInTheMiddleAndStopsAtUpTo) {
  append(10);
  expect_exactly(visit(Position{4}, Position{0}), 4, 10);
  expect_exactly(visit(Position{4}, Position{7}), 4, 7);
  expect_exactly(visit(Position{7}, Position{7}), 7, 7);
  expect_exactly(visit(Position{10}, Position{0}), 10, 10);
}

TEST_P(VisitForwardTest, NothingPastTheHeadOrBeforeTheStart) {
  append(4);
  expect_exactly(visit(Position{2}, Position{99}), 2, 4);
  EXPECT_TRUE(visit(Position{5}, Position{0}).empty());
  EXPECT_TRUE(visit(Position{3}, Position{2}).empty());
}

// The default scan reads 4 096 events at a time: runs that end just before, on and just after a
// chunk's edge, from the start and from the middle of a chunk.
TEST_P(VisitForwardTest, CrossesChunkBoundaries) {
  append(4095);
  expect_exactly(visit(Position{1}, Position{0}), 1, 4095);
  append(1);
  expect_exactly(visit(Position{1}, Position{0}), 1, 4096);
  append(4098);
  expect_exactly(visit(Position{1}, Position{0}), 1, 8194);
  expect_exactly(visit(Position{4096}, Position{0}), 4096, 8194);
  expect_exactly(visit(Position{4097}, Position{8193}), 4097, 8193);
  expect_exactly(visit(Position{100}, Position{8192}), 100, 8192);
}

TEST_P(VisitForwardTest, AVisitorErrorStopsTheScanAndIsReturned) {
  append(6);
  std::vector<std::uint64_t> seen;
  auto visited = log().visit_forward(Position{2}, Position{0}, [&](const StoredEventView& event) -> Status {
    seen.push_back(event.position.value);
    if (event.position.value == 4) return fail(Errc::data_loss, "refused at 4");
    return ok();
  });
  ASSERT_FALSE(visited);
  EXPECT_EQ(visited.error().code, Errc::data_loss);
  EXPECT_EQ(visited.error().message, "refused at 4");
  EXPECT_EQ(seen, (std::vector<std::uint64_t>{2, 3, 4}));
}

std::string scan_name(const ::testing::TestParamInfo<Scan>& scan) {
  return scan.param == Scan::rocksdb_streaming ? "RocksDbStreaming" : "ContractDefault";
}

INSTANTIATE_TEST_SUITE_P(BothScans, VisitForwardTest,
                         ::testing::Values(Scan::rocksdb_streaming, Scan::contract_default), scan_name);

TEST(RocksDbVisitForward, ATruncatedRecordIsDataLoss) {
  testing::TempDir dir;
  auto log = RocksDbEventLog::open(dir.str()).value();
  AppendRequest request;
  request.command_id = "c1";
  request.streams.push_back(StreamAppend{"s", ExpectedVersion::any(), {NewEvent{"TestEvent", "x"}}});
  std::vector<AppendRequest> batch;
  batch.push_back(std::move(request));
  ASSERT_TRUE(log->append(std::move(batch)).results.at(0));
  ASSERT_TRUE(log->db().Put(rocksdb::WriteOptions(), &log->events_family(), event_key(1), "short").ok());
  auto visited = log->visit_forward(Position{1}, Position{0}, [](const StoredEventView&) { return ok(); });
  ASSERT_FALSE(visited);
  EXPECT_EQ(visited.error().code, Errc::data_loss);
}

}  // namespace
}  // namespace placement::storage
