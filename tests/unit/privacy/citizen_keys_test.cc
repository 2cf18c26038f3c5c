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

}  // namespace
}  // namespace placement::privacy
