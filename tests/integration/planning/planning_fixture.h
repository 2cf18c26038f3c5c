#pragma once
// A real placementd with the planning client beside the write-side clients, and helpers that read
// every view (serialised, for byte-for-byte comparison) and write planning inputs.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "placement/v1/planning_service.grpc.pb.h"
#include "tests/support/scenario.h"
#include "tests/support/temp_dir.h"

namespace placement::testing {

// A server in a temp folder, restartable on the same data.
class PlanningTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(start()); }

  void start() {
    ASSERT_TRUE(server_.start()) << server_.error();
    api_ = std::make_unique<Clients>(server_);
    planning_ = v1::PlanningService::NewStub(server_.channel());
  }

  // A clean stop and a start on the same data: the new process replays the log from scratch.
  void restart() {
    planning_.reset();
    api_.reset();
    ASSERT_EQ(server_.stop(), 0) << server_.output();
    ASSERT_NO_FATAL_FAILURE(start());
  }

  Clients& api() { return *api_; }
  v1::PlanningService::Stub& planning() { return *planning_; }

  v1::CapacityViewResponse capacity(const v1::CalendarDate& on, std::vector<v1::GroupField> by,
                                    std::uint64_t as_of = 0) {
    v1::CapacityViewRequest request;
    *request.mutable_date() = on;
    for (auto field : by) request.add_group_by(field);
    request.set_as_of_position(as_of);
    v1::CapacityViewResponse response;
    EXPECT_TRUE(succeeded(planning().GetCapacity(as_planner().get(), request, &response)));
    return response;
  }

  v1::FinancingResponse financing(const v1::CalendarDate& from, const v1::CalendarDate& to, std::uint64_t as_of = 0,
                                  std::vector<v1::FinancingOverride> overrides = {}) {
    v1::FinancingRequest request;
    *request.mutable_from() = from;
    *request.mutable_to() = to;
    request.set_as_of_position(as_of);
    for (auto& o : overrides) *request.add_overrides() = o;
    v1::FinancingResponse response;
    EXPECT_TRUE(succeeded(planning().GetFinancing(as_planner().get(), request, &response)));
    return response;
  }

  // Every view the tests compare, each serialised: capacity at three dates under five groupings,
  // occupancy over a year and a month, waiting lists, financing (plain and what-if) and settlement.
  std::vector<std::string> all_views(std::uint64_t as_of, int year) {
    std::vector<std::string> out;
    const std::vector<std::vector<v1::GroupField>> groupings = {
        {},
        {v1::GROUP_FIELD_OFFER},
        {v1::GROUP_FIELD_REGION, v1::GROUP_FIELD_LEVEL},
        {v1::GROUP_FIELD_TARGET_GROUP},
        {v1::GROUP_FIELD_OPERATOR, v1::GROUP_FIELD_REGION, v1::GROUP_FIELD_TARGET_GROUP, v1::GROUP_FIELD_LEVEL,
         v1::GROUP_FIELD_OFFER}};
    for (const auto& on : {date(year, 1, 15), date(year, 6, 1), date(year, 12, 31)}) {
      for (const auto& by : groupings) out.push_back(capacity(on, by, as_of).SerializeAsString());
    }
    for (const auto& [from, to] :
         {std::pair{date(year, 1, 1), date(year + 1, 1, 1)}, std::pair{date(year, 3, 1), date(year, 4, 1)}}) {
      for (const auto& by : groupings) {
        v1::OccupancyViewRequest request;
        *request.mutable_from() = from;
        *request.mutable_to() = to;
        for (auto field : by) request.add_group_by(field);
        request.set_as_of_position(as_of);
        v1::OccupancyViewResponse response;
        EXPECT_TRUE(succeeded(planning().GetOccupancy(as_planner().get(), request, &response)));
        out.push_back(response.SerializeAsString());
      }
      out.push_back(financing(from, to, as_of).SerializeAsString());
    }
    {
      v1::WaitingListsRequest request;
      *request.mutable_date() = date(year, 6, 1);
      request.set_as_of_position(as_of);
      v1::WaitingListsResponse response;
      EXPECT_TRUE(succeeded(planning().GetWaitingLists(as_planner().get(), request, &response)));
      out.push_back(response.SerializeAsString());
    }
    for (unsigned month : {3u, 9u}) {
      v1::SettlementRequest request;
      request.mutable_month()->set_year(year);
      request.mutable_month()->set_month(month);
      *request.mutable_as_of() = date(year + 1, 10, 1);
      request.set_as_of_position(as_of);
      v1::SettlementResponse response;
      EXPECT_TRUE(succeeded(planning().GetSettlement(as_planner().get(), request, &response)));
      out.push_back(response.SerializeAsString());
    }
    return out;
  }

  grpc::Status set_block_grant(std::uint32_t region, int year, std::int64_t amount_ore, const std::string& command_id,
                               v1::CommandResult* result = nullptr) {
    v1::SetBlockGrantRequest request;
    request.set_command_id(command_id);
    request.set_region_code(region);
    request.set_year(year);
    request.set_amount_ore(amount_ore);
    v1::CommandResult ignored;
    return planning().SetBlockGrant(as_admin().get(), request, result ? result : &ignored);
  }

  TempDir dir_;
  ServerProcess server_{dir_.path() / "data"};
  std::unique_ptr<Clients> api_;
  std::unique_ptr<v1::PlanningService::Stub> planning_;
};

}  // namespace placement::testing
