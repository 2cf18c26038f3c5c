#include "services/domain/commands.h"

#include <gtest/gtest.h>

namespace placement::domain {
namespace {

TEST(CommandTypeName, NamesEachCommandByItsType) {
  EXPECT_EQ(command_type_name(CommandBody{RegisterRegion{}}), "RegisterRegion");
  EXPECT_EQ(command_type_name(CommandBody{RequestPlacement{}}), "RequestPlacement");
  EXPECT_EQ(command_type_name(CommandBody{TransferPlacement{}}), "TransferPlacement");
  EXPECT_EQ(command_type_name(CommandBody{ExpireReservation{}}), "ExpireReservation");
  EXPECT_EQ(command_type_name(CommandBody{EraseCitizen{}}), "EraseCitizen");
}

}  // namespace
}  // namespace placement::domain
