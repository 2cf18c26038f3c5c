// Ledger: a command still queued for the writer when its caller's deadline passes is refused
// without being decided, and its command id stays free for the retry.

#include "services/placementd/ledger.h"

#include <chrono>
#include <future>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "storage/rocksdb_event_log.h"
#include "tests/support/temp_dir.h"

namespace placement::placementd {
namespace {

class SystemClock final : public Clock {
 public:
  std::chrono::system_clock::time_point now() const override { return std::chrono::system_clock::now(); }
};

class LedgerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = storage::RocksDbEventLog::open(dir_.str());
    ASSERT_TRUE(opened) << opened.error().message;
    log_ = std::move(opened).value();
    auto ledger = Ledger::open(*log_, clock_, [](Position) {});
    ASSERT_TRUE(ledger) << ledger.error().message;
    ledger_ = std::move(ledger).value();
    actor_.set_subject("tester");
    actor_.set_role(v1::ROLE_ADMIN);
  }
  void TearDown() override {
    if (ledger_) ledger_->stop();
  }

  Result<CommandOutcome> execute(const std::string& command_id, Ledger::Deadline deadline) {
    std::promise<Result<CommandOutcome>> answered;
    ledger_->execute(actor_, command_id, domain::RegisterRegion{1084, "Region Hovedstaden"},
                     [&answered](Result<CommandOutcome> outcome) { answered.set_value(std::move(outcome)); }, deadline);
    return answered.get_future().get();
  }

  testing::TempDir dir_;
  SystemClock clock_;
  std::unique_ptr<storage::EventLog> log_;
  std::unique_ptr<Ledger> ledger_;
  v1::Actor actor_;
};

TEST_F(LedgerTest, ACommandWhoseDeadlinePassedBeforeTheWriterTookItIsRefusedAndNothingIsWritten) {
  const auto head = log_->head().position;
  const auto refused = execute("c-late", std::chrono::system_clock::now() - std::chrono::milliseconds(1));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::deadline_exceeded);
  EXPECT_EQ(log_->head().position, head);
  EXPECT_EQ(ledger_->position(), head);

  // The retry, with time to spare, is decided afresh: the refusal left nothing under its id.
  const auto retried = execute("c-late", std::chrono::system_clock::now() + std::chrono::minutes(1));
  ASSERT_TRUE(retried) << retried.error().message;
  EXPECT_FALSE(retried.value().duplicate);
  EXPECT_GT(log_->head().position, head);
}

TEST_F(LedgerTest, ACommandWithoutADeadlineIsDecided) {
  const auto written = execute("c-1", Ledger::kNoDeadline);
  ASSERT_TRUE(written) << written.error().message;
  EXPECT_EQ(ledger_->position(), log_->head().position);
}

}  // namespace
}  // namespace placement::placementd
