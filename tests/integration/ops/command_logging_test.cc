// The server's JSON logs: every line is one JSON object, and every line logged while a command is
// decided, written or answered names that command's id, so one command can be followed by its id.

#include <sstream>

#include <boost/property_tree/json_parser.hpp>
#include <boost/property_tree/ptree.hpp>
#include <gtest/gtest.h>

#include "placement/v1/offer_service.grpc.pb.h"
#include "tests/support/grpc_client.h"
#include "tests/support/offer_requests.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace placement {
namespace {

std::vector<boost::property_tree::ptree> json_lines(const std::string& output) {
  std::vector<boost::property_tree::ptree> lines;
  std::istringstream in(output);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    std::istringstream text(line);
    boost::property_tree::ptree parsed;
    try {
      boost::property_tree::read_json(text, parsed);
    } catch (const std::exception& e) {
      ADD_FAILURE() << "not a JSON object: " << line << " (" << e.what() << ")";
      continue;
    }
    lines.push_back(std::move(parsed));
  }
  return lines;
}

TEST(CommandLogging, EveryLineAboutACommandNamesItsId) {
  testing::TempDir dir;
  testing::ServerProcess server(dir.path() / "data", {"--log-format", "json", "--log-level", "debug"});
  ASSERT_TRUE(server.start()) << server.error();
  auto offers = v1::OfferService::NewStub(server.channel());
  v1::CommandResult result;
  ASSERT_TRUE(offers
                  ->RegisterOffer(testing::as_operator(1082).get(),
                                  testing::simple_offer_request("logged-ok", "offer-logged", 1082), &result)
                  .ok());
  auto refused = testing::simple_offer_request("logged-refused\"quoted\\", "offer-refused", 1082);
  refused.set_operator_code(999);  // no such operator: refused by the domain, after reaching the writer
  ASSERT_FALSE(offers->RegisterOffer(testing::as_operator_of(refused).get(), refused, &result).ok());
  ASSERT_EQ(server.stop(), 0);

  int written = 0;
  int refusals = 0;
  for (const auto& line : json_lines(server.output())) {
    const std::string message = line.get<std::string>("msg", "");
    const std::string command_id = line.get<std::string>("command_id", "");
    EXPECT_FALSE(line.get<std::string>("time", "").empty()) << message;
    EXPECT_FALSE(line.get<std::string>("level", "").empty()) << message;
    if (message.find("written at positions 1..") != std::string::npos) {
      EXPECT_TRUE(command_id.starts_with("reference-data/")) << "the first start's reference data: " << message;
    } else if (command_id.starts_with("region-merger/")) {
      EXPECT_NE(message.find("written at positions"), std::string::npos) << "the merger shipped with it: " << message;
    } else if (message.find("written at positions") != std::string::npos) {
      EXPECT_EQ(command_id, "logged-ok") << message;
      ++written;
    }
    if (message.find("refused") != std::string::npos && message.find("logged-refused") != std::string::npos) {
      EXPECT_EQ(command_id, "logged-refused\"quoted\\") << "escaped and parsed back: " << message;
      ++refusals;
    }
    if (message.find("opened data folder") != std::string::npos) {
      EXPECT_EQ(command_id, "") << "a line outside any command names none";
    }
  }
  EXPECT_EQ(written, 1);
  EXPECT_EQ(refusals, 1);
}

}  // namespace
}  // namespace placement
