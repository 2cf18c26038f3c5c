#include "services/domain/queries.h"

#include "domain_fixture.h"

namespace placement::domain::testing {
namespace {

using Queries = DomainTest;

TEST_F(Queries, CapacityOfUnknownOfferIsNotFound) {
  EXPECT_EQ(capacity_at(state_, "nope", d("2024-01-01")).error().code, Errc::not_found);
}

TEST_F(Queries, VacancySearchRanksPreferredRegionFirstThenMostFreePlaces) {
  offer("hovedstaden-small", 1, SpecialisationLevel::moderat, 1084);
  offer("hovedstaden-big", 3, SpecialisationLevel::moderat, 101);  // København's region is 1084
  offer("aalborg-huge", 9, SpecialisationLevel::moderat, 851);
  offer("nord-full", 1, SpecialisationLevel::moderat, 1081);
  admitted("p-1", "nord-full");
  const auto hits = search_vacancies(state_, VacancyQuery{TargetGroup::multiple_disabilities,
                                                          SpecialisationLevel::moderat, 40, 1084, d("2024-03-01")})
                        .value();
  ASSERT_EQ(hits.size(), 3u);
  EXPECT_EQ(hits[0].offer_id, "hovedstaden-big");
  EXPECT_EQ(hits[0].free_places, 3);
  EXPECT_TRUE(hits[0].in_preferred_region);
  EXPECT_EQ(hits[1].offer_id, "hovedstaden-small");
  EXPECT_EQ(hits[2].offer_id, "aalborg-huge");
  EXPECT_EQ(hits[2].region_code, 1081);
  EXPECT_FALSE(hits[2].in_preferred_region);
}

TEST_F(Queries, WithoutPreferenceMostFreePlacesComeFirst) {
  offer("a", 1);
  offer("b", 5);
  const auto hits = search_vacancies(state_, VacancyQuery{TargetGroup::multiple_disabilities,
                                                          SpecialisationLevel::moderat, 40, 0, d("2024-03-01")})
                        .value();
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].offer_id, "b");
}

TEST_F(Queries, VacancySearchFiltersLevelAndTargetGroup) {
  offer("moderat", 2);
  offer("hojt", 2, SpecialisationLevel::hojt);
  const auto by_level = search_vacancies(state_, VacancyQuery{TargetGroup::multiple_disabilities,
                                                              SpecialisationLevel::hojt, 40, 0, d("2024-03-01")})
                            .value();
  ASSERT_EQ(by_level.size(), 1u);
  EXPECT_EQ(by_level[0].offer_id, "hojt");
  EXPECT_TRUE(search_vacancies(state_, VacancyQuery{TargetGroup::communication_disabilities,
                                                    SpecialisationLevel::moderat, 40, 0, d("2024-03-01")})
                  .value()
                  .empty());
}

TEST_F(Queries, AdultsFindNothingInGroupsFiveAndSix) {
  offer("bo-1", 2);  // serves group 6
  const VacancyQuery child{TargetGroup::children_with_complex_difficulties, SpecialisationLevel::moderat, 17, 0,
                           d("2024-03-01")};
  EXPECT_EQ(search_vacancies(state_, child).value().size(), 1u);
  VacancyQuery adult = child;
  adult.age = 18;
  EXPECT_TRUE(search_vacancies(state_, adult).value().empty());
}

TEST_F(Queries, WaitingCitizensReduceTheFreePlaces) {
  offer("bo-1", 0);
  request("p-1", "bo-1");
  must(ChangeCapacity{"bo-1", d("2024-03-01"), 2});
  const auto hits = search_vacancies(state_, VacancyQuery{TargetGroup::multiple_disabilities,
                                                          SpecialisationLevel::moderat, 40, 0, d("2024-03-01")})
                        .value();
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].free_places, 1);
  EXPECT_EQ(hits[0].waiting, 1);
}

TEST_F(Queries, ClosedOffersAreNotListed) {
  offer("bo-1", 2);
  must(CloseOffer{"bo-1", d("2025-01-01")});
  EXPECT_TRUE(search_vacancies(state_, VacancyQuery{TargetGroup::multiple_disabilities, SpecialisationLevel::moderat,
                                                    40, 0, d("2024-03-01")})
                  .value()
                  .empty());
}

TEST_F(Queries, InvalidSearchIsRefused) {
  EXPECT_FALSE(search_vacancies(
      state_, VacancyQuery{static_cast<TargetGroup>(0), SpecialisationLevel::moderat, 40, 0, d("2024-03-01")}));
  EXPECT_FALSE(search_vacancies(
      state_, VacancyQuery{TargetGroup::multiple_disabilities, SpecialisationLevel::moderat, -1, 0, d("2024-03-01")}));
}

}  // namespace
}  // namespace placement::domain::testing
