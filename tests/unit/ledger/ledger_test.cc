// Ledger: a command still queued for the writer when its caller's deadline passes is refused
// without being decided, and its command id stays free for the retry.

#include "services/ledger/ledger.h"

#include <chrono>
#include <future>
#include <string>

#include <gtest/gtest.h>

#include "tests/unit/ledger/ledger_fixture.h"

namespace placement::ledger {
namespace {

class LedgerTest : public testing::LedgerOnRocksDb {
 protected:
  void SetUp() override { open_ledger(clock_); }

  Result<CommandOutcome> execute(const std::string& command_id, Ledger::Deadline deadline) {
    std::promise<Result<CommandOutcome>> answered;
    ledger_->execute(
        actor_, command_id, domain::RegisterRegion{1084, "Region Hovedstaden"},
        [&answered](Result<CommandOutcome> outcome) { answered.set_value(std::move(outcome)); }, deadline);
    return answered.get_future().get();
  }

  SystemClock clock_;
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
}  // namespace placement::ledger
