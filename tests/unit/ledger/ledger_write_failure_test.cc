// Ledger: when the log fails to write a batch, every command of it is answered with the error,
// nothing is published, and the writer's model is reset, so later commands (retries under the
// same command id included) are decided as if the batch had never been taken. The log fails
// on purpose through FailingEventLog over a real RocksDB log.

#include "services/ledger/ledger.h"

#include <future>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "services/domain/commands.h"
#include "tests/unit/ledger/ledger_fixture.h"

namespace placement::ledger {
namespace {

using namespace placement::domain;  // the commands

constexpr std::int32_t kRegion = 1084;

RegisterOffer register_offer(const std::string& offer_id) {
  return RegisterOffer{.offer_id = offer_id,
                       .name = "Tilbud " + offer_id,
                       .operator_code = kRegion,
                       .level = SpecialisationLevel::moderat,
                       .target_groups = {TargetGroup::multiple_disabilities},
                       .service_type = ServiceType::dogn,
                       .paragraph_of_law = "SEL § 108",
                       .catchment = Catchment::region(kRegion),
                       .financing = Financing{FinancingModel::takst, 0}};
}

class LedgerWriteFailureTest : public testing::LedgerOnRocksDb {
 protected:
  void SetUp() override {
    open_ledger(clock_, Through::failing_log);
    ASSERT_TRUE(ledger_->execute_and_wait(actor_, "c-region", RegisterRegion{kRegion, "Region Hovedstaden"}));
  }

  std::future<Result<CommandOutcome>> submit(const std::string& command_id, CommandBody body) {
    auto answered = std::make_shared<std::promise<Result<CommandOutcome>>>();
    auto future = answered->get_future();
    ledger_->execute(actor_, command_id, std::move(body),
                     [answered](Result<CommandOutcome> outcome) { answered->set_value(std::move(outcome)); });
    return future;
  }

  Result<CommandOutcome> execute(const std::string& command_id, CommandBody body) {
    return ledger_->execute_and_wait(actor_, command_id, std::move(body));
  }

  // Submits the commands so that the writer takes them as one batch, and makes that batch's write
  // fail: while a first command's append is held, the others queue up behind it.
  std::vector<Result<CommandOutcome>> fail_as_one_batch(std::vector<std::pair<std::string, CommandBody>> commands) {
    failing_log_->hold_appends();
    const auto entered = failing_log_->appends_entered();
    auto blocker = submit("c-blocker", RegisterOffer(register_offer("blocker")));
    failing_log_->wait_for_appends_entered(entered + 1);
    failing_log_->fail_next_appends(1);
    std::vector<std::future<Result<CommandOutcome>>> futures;
    for (auto& [id, body] : commands) futures.push_back(submit(id, std::move(body)));
    failing_log_->release_appends();
    EXPECT_TRUE(blocker.get()) << "the held command itself is written";
    std::vector<Result<CommandOutcome>> answers;
    for (auto& future : futures) answers.push_back(future.get());
    return answers;
  }

  std::size_t published_offers() const {
    return ledger_->read([](const State& state) { return state.offers.size(); });
  }

  // How many events of the log were written by the command.
  std::size_t events_of_command(const std::string& command_id) const {
    auto events = log_->read_forward(Position{1}, 1'000);
    EXPECT_TRUE(events);
    std::size_t count = 0;
    for (const auto& event : events.value())
      if (event.envelope.command_id() == command_id) ++count;
    return count;
  }

  SystemClock clock_;
};

TEST_F(LedgerWriteFailureTest, EveryCommandOfAFailedBatchIsAnsweredWithTheErrorAndNothingIsPublished) {
  const auto answers = fail_as_one_batch({{"c-a", register_offer("o-a")},
                                          {"c-b", register_offer("o-b")},
                                          {"c-cap", ChangeCapacity{"o-a", Date::from_civil(2031, 1, 1), 4}}});
  EXPECT_EQ(failing_log_->appends_failed(), 1u) << "the three were one batch";
  for (const auto& answer : answers) {
    ASSERT_FALSE(answer);
    EXPECT_EQ(answer.error().code, Errc::unavailable);
  }
  const Position head = log_->head().position;
  EXPECT_EQ(ledger_->position(), head);
  EXPECT_EQ(published_offers(), 1u) << "only the held command's offer";
  EXPECT_EQ(events_of_command("c-a") + events_of_command("c-b") + events_of_command("c-cap"), 0u);
}

TEST_F(LedgerWriteFailureTest, AfterAFailedWriteCommandsAreDecidedAsIfTheBatchHadNotHappened) {
  ASSERT_EQ(fail_as_one_batch({{"c-a", register_offer("o-a")}}).front().error().code, Errc::unavailable);

  // Valid only if o-a was not registered: a writer's model still holding it would refuse this.
  const auto again = execute("c-a-again", register_offer("o-a"));
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_FALSE(again.value().duplicate);
  EXPECT_EQ(published_offers(), 2u);
  EXPECT_EQ(ledger_->position(), log_->head().position);
}

TEST_F(LedgerWriteFailureTest, ARetryUnderTheSameCommandIdIsDecidedAfreshAndWrittenOnce) {
  ASSERT_EQ(fail_as_one_batch({{"c-a", register_offer("o-a")}}).front().error().code, Errc::unavailable);
  const Position before = log_->head().position;

  const auto retried = execute("c-a", register_offer("o-a"));
  ASSERT_TRUE(retried) << retried.error().message;
  EXPECT_FALSE(retried.value().duplicate);
  EXPECT_EQ(retried.value().first.value, before.value + 1);
  EXPECT_EQ(log_->head().position.value, before.value + 1);

  const auto repeated = execute("c-a", register_offer("o-a"));
  ASSERT_TRUE(repeated) << repeated.error().message;
  EXPECT_TRUE(repeated.value().duplicate);
  EXPECT_EQ(repeated.value().first, retried.value().first);
  EXPECT_EQ(log_->head().position.value, before.value + 1);
  EXPECT_EQ(events_of_command("c-a"), 1u);
}

TEST_F(LedgerWriteFailureTest, EachFailedWriteIsAnsweredWithTheLogsErrorUntilWritesSucceedAgain) {
  failing_log_->fail_next_appends(2, Errc::internal);
  const Position head = log_->head().position;
  for (const std::string id : {"c-1", "c-2"}) {
    const auto failed = execute(id, register_offer("o-a"));
    ASSERT_FALSE(failed) << id;
    EXPECT_EQ(failed.error().code, Errc::internal) << id;
  }
  EXPECT_EQ(failing_log_->failures_left(), 0u);
  EXPECT_EQ(log_->head().position, head);
  EXPECT_EQ(ledger_->position(), head);

  const auto written = execute("c-3", register_offer("o-a"));
  ASSERT_TRUE(written) << written.error().message;
  EXPECT_EQ(published_offers(), 1u);
}

}  // namespace
}  // namespace placement::ledger
