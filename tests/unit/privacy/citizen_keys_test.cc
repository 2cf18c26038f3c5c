// citizen_keys.h against a real RocksDB in a temporary folder: ids are stable per pseudonym and
// durable, references unseal, and erasure leaves nothing to find, open, or read on disk.
#include "services/privacy/citizen_keys.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <set>
#include <thread>

#include "tests/support/temp_dir.h"

namespace placement::privacy {
namespace {

const std::string kAnna = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90";
const std::string kBo = "0f0e0d0c0b0a09080706050403020100ffeeddccbbaa99887766554433221100";
const std::string kHousehold = "5555aaaa5555aaaa5555aaaa5555aaaa5555aaaa5555aaaa5555aaaa5555aaaa";

class CitizenKeysTest : public ::testing::Test {
 protected:
  std::unique_ptr<CitizenKeys> open_store() {
    auto keys = CitizenKeys::open(dir_.path() / "keys");
    EXPECT_TRUE(keys) << keys.error().message;
    return keys ? std::move(keys).value() : nullptr;
  }

  // Whether any file of the store holds `text`.
  bool on_disk(const std::string& text) const {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_.path())) {
      if (!entry.is_regular_file()) continue;
      std::ifstream in(entry.path(), std::ios::binary);
      const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      if (bytes.find(text) != std::string::npos) return true;
    }
    return false;
  }

  testing::TempDir dir_;
};

TEST_F(CitizenKeysTest, OneIdPerCitizenAndPerHouseholdAndNoPersonInTheReference) {
  auto keys = open_store();
  const auto first = keys->reference(kAnna, kHousehold).value();
  const auto again = keys->reference(kAnna, kHousehold).value();
  const auto sibling = keys->reference(kBo, kHousehold).value();
  EXPECT_EQ(first.citizen_id, again.citizen_id);
  EXPECT_EQ(first.household_id, sibling.household_id);
  EXPECT_NE(first.citizen_id, sibling.citizen_id);
  EXPECT_EQ(first.citizen_id.size(), 32u);
  EXPECT_NE(first.sealed, again.sealed) << "a fresh nonce each time";
  for (const auto& value : {first.citizen_id, first.household_id, first.sealed}) {
    EXPECT_EQ(value.find(kAnna), std::string::npos);
    EXPECT_EQ(value.find(kHousehold), std::string::npos);
  }
  EXPECT_TRUE(keys->reference(kBo, "").value().household_id.empty());
}

TEST_F(CitizenKeysTest, ReferencesUnsealToThePseudonyms) {
  auto keys = open_store();
  const auto reference = keys->reference(kAnna, kHousehold).value();
  EXPECT_EQ(keys->unseal(reference).value(), (SealedPseudonyms{kAnna, kHousehold}));
  auto moved = reference;
  moved.citizen_id = keys->reference(kBo, "").value().citizen_id;
  EXPECT_EQ(keys->unseal(moved).error().code, Errc::data_loss) << "sealed bytes do not open under another citizen";
}

TEST_F(CitizenKeysTest, IdsAndKeysSurviveARestart) {
  domain::CitizenRef reference;
  {
    auto keys = open_store();
    reference = keys->reference(kAnna, kHousehold).value();
  }
  auto keys = open_store();
  EXPECT_EQ(keys->find(kAnna).value(), reference.citizen_id);
  EXPECT_EQ(keys->reference(kAnna, kHousehold).value().household_id, reference.household_id);
  EXPECT_EQ(keys->unseal(reference).value().citizen, kAnna);
}

TEST_F(CitizenKeysTest, ConcurrentFirstRequestsIssueOneId) {
  auto keys = open_store();
  std::vector<std::string> ids(8);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < ids.size(); ++i)
    threads.emplace_back([&, i] { ids[i] = keys->reference(kAnna, "").value().citizen_id; });
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), 1u);
}

TEST_F(CitizenKeysTest, AnErasedCitizensSealedBytesNoLongerOpen) {
  auto keys = open_store();
  const auto anna = keys->reference(kAnna, kHousehold).value();
  const auto bo = keys->reference(kBo, kHousehold).value();
  ASSERT_TRUE(keys->erase(anna.citizen_id));

  EXPECT_EQ(keys->unseal(anna).error().code, Errc::not_found);
  EXPECT_FALSE(keys->find(kAnna).value());
  // Others are untouched, and so is the household.
  EXPECT_EQ(keys->unseal(bo).value().citizen, kBo);
  EXPECT_EQ(keys->reference(kBo, kHousehold).value().household_id, bo.household_id);
  // Erasing again finds nothing; a later request is a new person to the log.
  EXPECT_EQ(keys->erase(anna.citizen_id).error().code, Errc::not_found);
  EXPECT_NE(keys->reference(kAnna, "").value().citizen_id, anna.citizen_id);
}

TEST_F(CitizenKeysTest, ErasureIsPhysicalAndSurvivesARestart) {
  domain::CitizenRef anna;
  {
    auto keys = open_store();
    anna = keys->reference(kAnna, "").value();
    keys->reference(kBo, "").value();
    ASSERT_TRUE(on_disk(kAnna)) << "the pseudonym is written (WAL) before the erasure";
    ASSERT_TRUE(keys->erase(anna.citizen_id));
    EXPECT_FALSE(on_disk(kAnna)) << "the erased pseudonym is still in a file of the store";
    EXPECT_FALSE(on_disk(anna.citizen_id)) << "the erased id is still in a file of the store";
    EXPECT_TRUE(keys->find(kBo).value());
  }
  auto keys = open_store();
  EXPECT_FALSE(keys->find(kAnna).value());
  EXPECT_EQ(keys->unseal(anna).error().code, Errc::not_found);
  EXPECT_FALSE(on_disk(kAnna));
}

// A refused request leaves no entry behind: the citizen's and the new household's entries go
// once the only command holding them is refused; the next request issues fresh ids.
TEST_F(CitizenKeysTest, EntriesIssuedForARefusedCommandAreDeleted) {
  auto keys = open_store();
  const auto refused = keys->reference(kAnna, kHousehold).value();
  keys->settle(refused, CitizenKeys::Use::refused);
  EXPECT_FALSE(keys->find(kAnna).value().has_value());
  const auto again = keys->reference(kAnna, kHousehold).value();
  EXPECT_NE(again.citizen_id, refused.citizen_id);
  EXPECT_NE(again.household_id, refused.household_id) << "the household entry was left behind";
}

TEST_F(CitizenKeysTest, EntriesAreKeptWhenACommandHoldingThemIsAcceptedOrOfUnknownFate) {
  auto keys = open_store();
  const auto accepted = keys->reference(kAnna, "").value();
  keys->settle(accepted, CitizenKeys::Use::accepted);
  EXPECT_EQ(keys->find(kAnna).value(), accepted.citizen_id);
  // An entry older than the command stays, whatever becomes of the command.
  keys->settle(keys->reference(kAnna, "").value(), CitizenKeys::Use::refused);
  EXPECT_EQ(keys->find(kAnna).value(), accepted.citizen_id);

  const auto unknown = keys->reference(kBo, "").value();
  keys->settle(unknown, CitizenKeys::Use::unknown);
  EXPECT_EQ(keys->find(kBo).value(), unknown.citizen_id) << "a write that may be in the log lost its key";
}

// Two requests for one new citizen in flight at once: the entry goes only if both are refused,
// whichever settles first.
TEST_F(CitizenKeysTest, AnEntryHeldByTwoCommandsGoesOnlyWhenBothAreRefused) {
  auto keys = open_store();
  const auto first = keys->reference(kAnna, "").value();
  const auto second = keys->reference(kAnna, "").value();
  ASSERT_EQ(first.citizen_id, second.citizen_id);
  keys->settle(first, CitizenKeys::Use::refused);
  EXPECT_TRUE(keys->find(kAnna).value().has_value()) << "deleted while another command held it";
  keys->settle(second, CitizenKeys::Use::accepted);
  EXPECT_TRUE(keys->find(kAnna).value().has_value());

  const auto bo = keys->reference(kBo, "").value();
  const auto bo_again = keys->reference(kBo, "").value();
  keys->settle(bo_again, CitizenKeys::Use::refused);
  keys->settle(bo, CitizenKeys::Use::refused);
  EXPECT_FALSE(keys->find(kBo).value().has_value());
}

TEST_F(CitizenKeysTest, ADroppedHoldKeepsTheEntryAndASettledOneSettlesOnce) {
  auto keys = open_store();
  std::string anna;
  {
    ReferenceHold hold(*keys);
    hold.hold(keys->reference(kAnna, "").value());
    anna = keys->find(kAnna).value().value();
  }  // dropped unsettled: unknown
  EXPECT_EQ(keys->find(kAnna).value(), anna);
  ReferenceHold hold(*keys);
  hold.hold(keys->reference(kBo, "").value());
  hold.settle(CitizenKeys::Use::refused);
  hold.settle(CitizenKeys::Use::accepted);  // a second settle does nothing
  EXPECT_FALSE(keys->find(kBo).value().has_value());
}

TEST_F(CitizenKeysTest, TheSweepDeletesEntriesNoEventNamesAndKeepsTheRest) {
  std::string anna;
  std::string anna_household;
  std::string bo;
  {
    auto keys = open_store();
    const auto a = keys->reference(kAnna, kHousehold).value();
    anna = a.citizen_id;
    anna_household = a.household_id;
    bo = keys->reference(kBo, "").value().citizen_id;  // its command never reached the log
    ASSERT_TRUE(keys->make_durable());
  }
  auto keys = open_store();
  const auto swept = keys->sweep([&](std::string_view id) { return id == anna || id == anna_household; });
  ASSERT_TRUE(swept) << swept.error().message;
  EXPECT_EQ(swept.value(), 1u);
  EXPECT_EQ(keys->find(kAnna).value(), anna);
  EXPECT_FALSE(keys->find(kBo).value().has_value());
  EXPECT_EQ(keys->reference(kAnna, kHousehold).value().household_id, anna_household);
  // Nothing named: the household goes too.
  EXPECT_EQ(keys->sweep([](std::string_view) { return false; }).value(), 2u);
  EXPECT_FALSE(keys->find(kAnna).value().has_value());
}

TEST_F(CitizenKeysTest, OnlyFailuresThatWroteNothingCountAsRefused) {
  using Use = CitizenKeys::Use;
  EXPECT_EQ(CitizenKeys::use_after({Errc::failed_precondition, "full"}), Use::refused);
  EXPECT_EQ(CitizenKeys::use_after({Errc::invalid_argument, "bad"}), Use::refused);
  EXPECT_EQ(CitizenKeys::use_after({Errc::deadline_exceeded, "late"}), Use::refused);
  EXPECT_EQ(CitizenKeys::use_after({Errc::unavailable, "disk"}), Use::unknown);
  EXPECT_EQ(CitizenKeys::use_after({Errc::internal, "bug"}), Use::unknown);
}

}  // namespace
}  // namespace placement::privacy
