// Tamper evidence end to end: events written through placectl, one stored byte altered with
// RocksDB directly while the server is stopped, and both `placectl audit verify` and an export
// verified offline by tools/verify_export.py name that position and fail with exit code 3.

#include <fstream>

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include "storage/keys.h"
#include "storage/rocksdb_event_log.h"
#include "tests/integration/placectl/placectl_fixture.h"

namespace placement {
namespace {

using testing::contains;
using testing::described;
using testing::json_field;
using testing::PlacectlServer;
using testing::ProgramResult;

ProgramResult verify_offline(const std::string& file) {
  return testing::run_program("/usr/bin/python3", {VERIFY_EXPORT_PATH, file});
}

// Position of the first event of `stream_id`, read with the auditor's JSON tail.
std::uint64_t first_position_of(const PlacectlServer& server, const std::string& stream_id) {
  auto found = server.auditor({"audit", "tail", "--from", "1", "--stream", stream_id, "--max", "1", "--json"});
  EXPECT_EQ(found.exit_code, 0) << described(found);
  return std::stoull(json_field(found.out, "position"));
}

class TamperTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.start()) << server_.process().error();
    // A few events through placectl: an offer, its places, a rate.
    auto registered = server_.offer_operator(
        {"offers",      "register",  "--id",        "forged",   "--name",  "Botilbud Egely", "--operator",
         "1084",        "--level",   "HOJT",        "--groups", "2",       "--service-type", "DOGN",
         "--paragraph", "SEL § 108", "--catchment", "1084",     "--model", "TAKST"});
    ASSERT_EQ(registered.exit_code, 0) << described(registered);
    ASSERT_EQ(
        server_.offer_operator({"offers", "capacity", "forged", "--from", "2031-01-01", "--places", "6"}).exit_code, 0);
    ASSERT_EQ(
        server_.offer_operator({"offers", "rate", "forged", "--from", "2031-01-01", "--daily-ore", "310000"}).exit_code,
        0);
    target_ = first_position_of(server_, "offer-forged");
    ASSERT_GT(target_, 1u);
  }

  std::string export_to(const std::string& name) {
    const auto file = (server_.dir().path() / name).string();
    auto exported = server_.auditor({"audit", "export", "--output", file});
    EXPECT_EQ(exported.exit_code, 0) << described(exported);
    return file;
  }

  // Stops the server, lets `alter` change the stored record at `position`, drops the snapshots,
  // starts it again, serving reads only (by default a broken log is refused at start:
  // tests/integration/ops/corruption_test.cc).
  template <class Alter> void tamper(std::uint64_t position, Alter alter) {
    ASSERT_EQ(server_.process().stop(), 0);
    {
      auto opened = storage::RocksDbEventLog::open((server_.dir().path() / "data").string());
      ASSERT_TRUE(opened) << opened.error().message;
      auto& event_log = *opened.value();
      std::string value;
      const auto key = storage::event_key(position);
      ASSERT_TRUE(event_log.db().Get(rocksdb::ReadOptions(), &event_log.events_family(), key, &value).ok());
      const std::string before = value;
      alter(value);
      ASSERT_NE(value, before) << "nothing was altered";
      ASSERT_TRUE(event_log.db().Put(rocksdb::WriteOptions(), &event_log.events_family(), key, value).ok());
      // A thorough forger also drops the snapshots, so the server replays the forged record
      // instead of starting from a model taken before it.
      auto& snapshots = event_log.snapshots_family();
      std::unique_ptr<rocksdb::Iterator> it(event_log.db().NewIterator(rocksdb::ReadOptions(), &snapshots));
      for (it->SeekToFirst(); it->Valid(); it->Next())
        ASSERT_TRUE(event_log.db().Delete(rocksdb::WriteOptions(), &snapshots, it->key()).ok());
    }
    server_.process().set_extra_args({"--on-corruption", "read-only"});
    ASSERT_TRUE(server_.start()) << server_.process().error();
  }

  void expect_both_say_broken_at(std::uint64_t position) {
    const std::string at = "BROKEN at position " + std::to_string(position);
    auto verified = server_.auditor({"audit", "verify"});
    EXPECT_EQ(verified.exit_code, 3) << described(verified);
    EXPECT_TRUE(contains(verified.out, "server: " + at)) << verified.out;
    EXPECT_TRUE(contains(verified.out, "client: " + at)) << verified.out;

    auto as_json = server_.auditor({"audit", "verify", "--json"});
    EXPECT_EQ(as_json.exit_code, 3) << described(as_json);
    EXPECT_TRUE(contains(as_json.out, "\"ok\":false")) << as_json.out;
    EXPECT_TRUE(contains(as_json.out, "\"first_bad_position\":" + std::to_string(position))) << as_json.out;

    // A range that ends before the damage still verifies; one that starts after it too.
    EXPECT_EQ(server_.auditor({"audit", "verify", "--to", std::to_string(position - 1)}).exit_code, 0);
    EXPECT_EQ(server_.auditor({"audit", "verify", "--from", std::to_string(position + 1)}).exit_code, 0);

    auto offline = verify_offline(export_to("tampered.jsonl"));
    EXPECT_EQ(offline.exit_code, 3) << described(offline);
    EXPECT_TRUE(contains(offline.out, at + ":")) << offline.out;
  }

  PlacectlServer server_;
  std::uint64_t target_ = 0;
};

TEST_F(TamperTest, UntouchedLogVerifiesOnTheServerHereAndOffline) {
  auto verified = server_.auditor({"audit", "verify"});
  EXPECT_EQ(verified.exit_code, 0) << described(verified);
  EXPECT_TRUE(contains(verified.out, "OK: positions 1..")) << verified.out;
  const auto head = json_field(server_.auditor({"audit", "head", "--json"}).out, "hash");
  EXPECT_TRUE(contains(verified.out, "head hash " + head)) << verified.out;

  auto offline = verify_offline(export_to("clean.jsonl"));
  EXPECT_EQ(offline.exit_code, 0) << described(offline);
  EXPECT_TRUE(contains(offline.out, "OK: ")) << offline.out;
  EXPECT_TRUE(contains(offline.out, "head hash " + head)) << offline.out;
}

TEST_F(TamperTest, OneAlteredByteInAnOffersNameIsFoundAtItsPosition) {
  // A forger renames the offer in place: the record still parses and replays, only the chain tells.
  tamper(target_, [](std::string& value) {
    const auto at = value.find("Egely");
    ASSERT_NE(at, std::string::npos);
    value[at] = 'F';
  });
  if (HasFatalFailure()) return;
  // The server never serves the altered name: its views stop before the broken record...
  auto shown = server_.offer_operator({"offers", "show", "forged", "--json"});
  EXPECT_NE(shown.exit_code, 0) << described(shown);
  EXPECT_FALSE(contains(shown.out, "Fgely")) << shown.out;
  // ...and every verifier points at the record.
  expect_both_say_broken_at(target_);
}

TEST_F(TamperTest, OneFlippedBitInAStoredPrevHashIsFoundAtItsPosition) {
  const std::uint64_t position = target_ + 1;  // the capacity change
  // The envelope's last field is prev_hash: flip one bit of its last byte.
  tamper(position, [](std::string& value) { value.back() = static_cast<char>(value.back() ^ 0x01); });
  if (HasFatalFailure()) return;
  expect_both_say_broken_at(position);
}

}  // namespace
}  // namespace placement
