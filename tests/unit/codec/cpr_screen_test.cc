#include "services/codec/cpr_screen.h"

#include <google/protobuf/descriptor.h>
#include <gtest/gtest.h>

#include <set>

#include "placement/v1/admin_service.pb.h"
#include "placement/v1/audit_service.pb.h"
#include "placement/v1/offer_service.pb.h"
#include "placement/v1/placement_service.pb.h"
#include "placement/v1/planning_service.pb.h"
#include "placement/v1/proof_service.pb.h"
#include "tests/support/string_fields.h"

namespace placement::codec {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::DescriptorPool;
using google::protobuf::FieldDescriptor;

// Links every API file's generated code, so that its services are in the generated pool.
void link_every_api_file() {
  for (const auto* type : {v1::RegisterOfferRequest::descriptor(), v1::RequestPlacementRequest::descriptor(),
                           v1::SetRefundTiersRequest::descriptor(), v1::StreamEventsRequest::descriptor(),
                           v1::EraseCitizenRequest::descriptor(), v1::AddCosignatureRequest::descriptor()})
    ASSERT_NE(type, nullptr);
}

TEST(CprScreen, RefusesACprNumberInEveryStringFieldOfEveryRequestNamingTheField) {
  link_every_api_file();
  std::size_t checked = 0;
  for (const auto& service_name : placement::testing::api_services()) {
    const auto* service = DescriptorPool::generated_pool()->FindServiceByName(service_name);
    ASSERT_NE(service, nullptr) << service_name;
    for (int m = 0; m < service->method_count(); ++m) {
      const Descriptor& type = *service->method(m)->input_type();
      for (const auto& string_field : placement::testing::string_fields(type)) {
        auto request = placement::testing::new_message(type);
        string_field.set(*request, "see 010190\u20131234");
        const auto refused = refuse_cpr_numbers(*request);
        if (is_cpr_field(*string_field.field)) {
          EXPECT_TRUE(refused) << type.full_name() << "." << string_field.path;
          continue;
        }
        ASSERT_FALSE(refused) << type.full_name() << "." << string_field.path;
        EXPECT_EQ(refused.error().code, Errc::invalid_argument);
        EXPECT_EQ(refused.error().message.rfind(string_field.path + " holds what looks like a CPR number", 0), 0u)
            << refused.error().message;
        EXPECT_EQ(refused.error().message.find("1234"), std::string::npos) << "the value is quoted";
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 30u);
}

TEST(CprScreen, TheFieldsMeantForACprNumberExistAndAreTheOnlyOnesPassed) {
  link_every_api_file();
  std::set<std::string> exempt;
  for (const auto& service_name : placement::testing::api_services()) {
    const auto* service = DescriptorPool::generated_pool()->FindServiceByName(service_name);
    ASSERT_NE(service, nullptr) << service_name;
    for (int m = 0; m < service->method_count(); ++m) {
      const Descriptor& type = *service->method(m)->input_type();
      for (int i = 0; i < type.field_count(); ++i)
        if (is_cpr_field(*type.field(i))) exempt.insert(type.field(i)->full_name());
    }
  }
  EXPECT_EQ(exempt,
            (std::set<std::string>{"placement.v1.EraseCitizenRequest.cpr", "placement.v1.ListPlacementsRequest.cpr",
                                   "placement.v1.RequestPlacementRequest.cpr",
                                   "placement.v1.RequestPlacementRequest.household_reference"}));
}

TEST(CprScreen, PassesCleanRequestsAndRefusesRepeatedAndNestedOnes) {
  v1::RegisterOfferRequest offer;
  offer.set_command_id("register-bo-1");
  offer.set_offer_id("bo-1");
  offer.set_name("Bostedet Solsikken, afd. 2");
  offer.set_paragraph_of_law("SEL \u00a7 108");
  EXPECT_TRUE(refuse_cpr_numbers(offer));
  offer.set_paragraph_of_law("SEL \u00a7 108 (0101901234)");
  EXPECT_EQ(refuse_cpr_numbers(offer).error().message.rfind("paragraph_of_law holds", 0), 0u);

  v1::StreamEventsRequest stream;
  stream.add_event_types("PlacementRequested");
  stream.add_event_types("01 01 90 12 34");
  EXPECT_EQ(refuse_cpr_numbers(stream).error().message.rfind("event_types[1] holds", 0), 0u);

  v1::EraseCitizenRequest erase;
  erase.set_command_id("erase-1");
  erase.set_cpr("010190-1234");  // meant for it: pseudonymised, never stored
  erase.set_reason("request 2041-3");
  EXPECT_TRUE(refuse_cpr_numbers(erase));
  erase.set_reason("request about 010190-1234");
  EXPECT_EQ(refuse_cpr_numbers(erase).error().message.rfind("reason holds", 0), 0u);
}

TEST(CprScreen, AUuidPassesEvenWhenItsDigitsStartWithADate) {
  v1::CloseOfferRequest request;
  request.set_offer_id("bo-1");
  request.set_command_id("01019012-3456-4abc-8def-0123456789ab");  // 0101901234…: 1 January 1990
  EXPECT_TRUE(refuse_cpr_numbers(request));
  request.set_command_id("A1019012-3456-4ABC-8DEF-0101901234AB");  // the last group holds one
  EXPECT_TRUE(refuse_cpr_numbers(request));
  request.set_command_id("01019012-3456-4abc-8def-0123456789ab-x");  // not a UUID
  EXPECT_FALSE(refuse_cpr_numbers(request));
  request.set_command_id("0101901234-4abc-8def-0123-456789ab");  // the shape of one, not the grouping
  EXPECT_FALSE(refuse_cpr_numbers(request));
}

TEST(CprScreen, AStoredReferencePassesOnlyWhenTheCheckSaysSo) {
  v1::WithdrawPlacementRequest request;
  request.set_command_id("withdraw-1");
  request.set_placement_id("p-0101901234abcdef0123");
  std::vector<std::string> asked;
  const auto stored = [&](const FieldDescriptor& field, std::string_view value) {
    asked.push_back(field.name() + "=" + std::string(value));
    return true;
  };
  EXPECT_TRUE(refuse_cpr_numbers(request, stored));
  EXPECT_EQ(asked, std::vector<std::string>{"placement_id=p-0101901234abcdef0123"});
  EXPECT_FALSE(refuse_cpr_numbers(request, [](const FieldDescriptor&, std::string_view) { return false; }));
  EXPECT_FALSE(refuse_cpr_numbers(request));
  request.set_placement_id("p-a");
  asked.clear();
  EXPECT_TRUE(refuse_cpr_numbers(request, stored));
  EXPECT_TRUE(asked.empty()) << "consulted for a value that holds no CPR number";
}

}  // namespace
}  // namespace placement::codec
