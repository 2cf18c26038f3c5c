// decide() for EraseCitizen (decide_citizen.cc): the record of an erasure, and when it is refused.
#include "domain_fixture.h"
#include "services/domain/queries.h"

namespace placement::domain::testing {
namespace {

using CitizenDecide = DomainTest;

TEST_F(CitizenDecide, ErasureIsRecordedOnItsOwnStreamAndChangesNoState) {
  offer("bo-1", 1);
  request("p-1", "bo-1", "citizen-a");
  must(WithdrawPlacement{"p-1", "no longer needed"});
  const State before = state_;
  const auto events = must(EraseCitizen{"citizen-a", "retention expired"});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(std::get<CitizenErased>(events[0]), (CitizenErased{"citizen-a", "retention expired"}));
  EXPECT_EQ(stream_of(events[0]), "erasures");
  EXPECT_EQ(event_type_name(events[0]), "CitizenErased");
  // The ids stay, so every rule and view answers as before.
  EXPECT_EQ(state_, before);
}

TEST_F(CitizenDecide, ACitizenWithAnActivePlacementIsNotErased) {
  offer("bo-1", 1);
  request("p-1", "bo-1", "citizen-a");
  const auto message = refused(EraseCitizen{"citizen-a", "request 2024-9"}, Errc::failed_precondition);
  EXPECT_NE(message.find("p-1"), std::string::npos) << message;
  // Once the case is closed, the erasure goes through.
  must(RejectPlacement{"p-1", "declined"});
  must(EraseCitizen{"citizen-a", "request 2024-9"});
}

TEST_F(CitizenDecide, AnErasureNeedsAnIdAndAReason) {
  refused(EraseCitizen{"", "retention expired"}, Errc::invalid_argument);
  refused(EraseCitizen{"has space", "retention expired"}, Errc::invalid_argument);
  refused(EraseCitizen{"citizen-a", "  "}, Errc::invalid_argument);
}

TEST_F(CitizenDecide, OtherCitizensPlacementsDoNotStandInTheWay) {
  offer("bo-1", 2);
  request("p-1", "bo-1", "citizen-b");
  must(EraseCitizen{"citizen-a", "retention expired"});
}

}  // namespace
}  // namespace placement::domain::testing
