// placectl audit checkpoint | prove | consistency | receipt against the real placementd, each run
// as a subprocess: what placectl says (exit code, OK / BROKEN) and the files it writes, which the
// offline verifier tools/verify_proofs.py must accept with nothing but the files and the public
// keys, and refuse once a byte of them is altered. The log key is taken from the server's key
// file (as an auditor is given it out of band), never from the server's answers.

#include <fstream>
#include <regex>
#include <sstream>

#include <gtest/gtest.h>

#include "placement/v1/proof_service.grpc.pb.h"
#include "services/transparency/checkpoint.h"
#include "tests/integration/placectl/placectl_fixture.h"
#include "tests/support/grpc_client.h"

namespace placement {
namespace {

using testing::contains;
using testing::described;
using testing::PlacectlServer;
using testing::ProgramResult;
namespace tp = transparency;

constexpr const char* kOrigin = "ledger.test/placectl-audit";

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// The first string value of `key` in a pretty-printed protobuf JSON file placectl wrote.
std::string string_field(const std::string& json, const std::string& key) {
  std::smatch match;
  if (!std::regex_search(json, match, std::regex("\"" + key + "\":\\s*\"([^\"]*)\""))) return "";
  return match[1].str();
}

// Replaces the first occurrence of `from` in the file by `to`; false when it does not occur.
bool rewrite(const std::filesystem::path& path, const std::string& from, const std::string& to) {
  std::string text = read_file(path);
  const auto at = text.find(from);
  if (at == std::string::npos) return false;
  text.replace(at, from.size(), to);
  write_file(path, text);
  return true;
}

class PlacectlAuditTest : public ::testing::Test {
 protected:
  // One offer at 2 500 kr a day and one placement paid by 101, admitted on 2031-02-03; a first
  // checkpoint after them and a second after a further placement.
  static void SetUpTestSuite() {
    server_ = new PlacectlServer();
    witness_ = new tp::NoteSigner{"witness.test/region-n", tp::Ed25519Key::generate().value()};
    server_->process().set_extra_args(
        {"--checkpoint-interval", "0", "--checkpoint-origin", kOrigin, "--witness-key", witness_key()});
    if (!server_->start()) {
      ADD_FAILURE() << server_->process().error();
      return;
    }
    offer_operator({"offers",      "register",  "--id",        "au-offer", "--name",  "Tilbud au",      "--operator",
                    "1084",        "--level",   "MODERAT",     "--groups", "1",       "--service-type", "DOGN",
                    "--paragraph", "SEL § 108", "--catchment", "1084",     "--model", "TAKST"});
    offer_operator({"offers", "capacity", "au-offer", "--from", "2031-01-01", "--places", "5"});
    offer_operator({"offers", "rate", "au-offer", "--from", "2031-01-01", "--daily-ore", "250000"});
    place("au-1", "010190-1234");
    log_key_ = new std::string(log_key_from_file());
  }
  static void TearDownTestSuite() {
    delete server_;
    delete witness_;
    delete log_key_;
  }
  void SetUp() override { ASSERT_TRUE(server_->process().running()) << server_->process().error(); }

  static void offer_operator(std::vector<std::string> args) {
    auto result = server_->offer_operator(std::move(args));
    ASSERT_EQ(result.exit_code, 0) << described(result);
  }
  static void caseworker(std::vector<std::string> args) {
    auto result = server_->caseworker(std::move(args), 101);
    ASSERT_EQ(result.exit_code, 0) << described(result);
  }
  static void place(const std::string& id, const std::string& cpr) {
    caseworker({"request", "--cpr", cpr, "--municipality", "101", "--offer", "au-offer", "--level", "MODERAT",
                "--group", "1", "--start", "2031-02-01", "--placement-id", id});
    caseworker({"reserve", id, "--from", "2031-02-01"});
    caseworker({"admit", id, "--on", "2031-02-03"});
  }
  static std::string witness_key() { return tp::format_verifier_key(witness_->verifier_key(tp::kCosignatureV1Type)); }
  // The log's verifier key from the server's key file (base64 seed), as published out of band.
  static std::string log_key_from_file() {
    std::ifstream in(server_->dir().path().string() + "/data.checkpoint-key");
    std::string seed;
    std::getline(in, seed);
    const auto key = tp::Ed25519Key::from_seed(tp::base64_decode(seed).value()).value();
    return tp::format_verifier_key(tp::VerifierKey{kOrigin, tp::kEd25519NoteType, key.public_key()});
  }

  std::filesystem::path file(const std::string& name) const { return server_->dir().path() / name; }
  // placectl as the auditor, checking against the published log key.
  static ProgramResult audit(std::vector<std::string> args) {
    args.insert(args.begin(), "audit");
    args.push_back("--log-key");
    args.push_back(*log_key_);
    return server_->auditor(std::move(args));
  }
  // tools/verify_proofs.py with the published log key and the witness's key.
  static ProgramResult python(std::vector<std::string> args, int witnesses_required = 0) {
    args.insert(args.begin(), VERIFY_PROOFS_PATH);
    for (const std::string& extra : {std::string("--log-key"), *log_key_, std::string("--witness-key"), witness_key(),
                                     std::string("--witnesses-required"), std::to_string(witnesses_required)})
      args.push_back(extra);
    return testing::run_program("/usr/bin/python3", args);
  }
  // A checkpoint of the head, made and written by placectl; its tree size.
  std::uint64_t create_checkpoint(const std::filesystem::path& note) {
    auto made = audit({"checkpoint", "--create", "--output", note.string()});
    EXPECT_EQ(made.exit_code, 0) << described(made);
    auto checked = python({"checkpoint", note.string()});
    EXPECT_EQ(checked.exit_code, 0) << described(checked);
    return tp::parse_checkpoint_body(tp::parse_note(read_file(note)).value().text).value().tree_size;
  }

  static PlacectlServer* server_;
  static tp::NoteSigner* witness_;
  static std::string* log_key_;
};

PlacectlServer* PlacectlAuditTest::server_ = nullptr;
tp::NoteSigner* PlacectlAuditTest::witness_ = nullptr;
std::string* PlacectlAuditTest::log_key_ = nullptr;

TEST_F(PlacectlAuditTest, CheckpointProveAndConsistencyFilesVerifyOfflineAndAlteredOnesDoNot) {
  const std::uint64_t first = create_checkpoint(file("first.note"));
  place("au-2", "020285-2345");
  const std::uint64_t second = create_checkpoint(file("second.note"));
  ASSERT_GT(second, first);

  // The latest and a named checkpoint, as stored: the same bytes placectl wrote when it made them.
  auto latest = audit({"checkpoint", "--output", file("latest.note").string()});
  ASSERT_EQ(latest.exit_code, 0) << described(latest);
  EXPECT_EQ(read_file(file("latest.note")), read_file(file("second.note")));
  auto named = audit({"checkpoint", "--size", std::to_string(first)});
  ASSERT_EQ(named.exit_code, 0) << described(named);
  EXPECT_EQ(named.out, read_file(file("first.note")));

  // Inclusion of the first, a middle and the last position of the first tree, and of the newest
  // event in the latest tree (no --size).
  for (const std::uint64_t position : {std::uint64_t{1}, first / 2, first}) {
    const auto proof = file("p" + std::to_string(position) + ".json");
    auto proved =
        audit({"prove", std::to_string(position), "--size", std::to_string(first), "--output", proof.string()});
    ASSERT_EQ(proved.exit_code, 0) << described(proved);
    EXPECT_TRUE(contains(proved.err, "OK: position " + std::to_string(position))) << described(proved);
    auto offline = python({"inclusion", proof.string(), "--checkpoint", file("first.note").string()});
    EXPECT_EQ(offline.exit_code, 0) << position << ": " << described(offline);
    // Against the second checkpoint the proof is for another tree size: refused.
    offline = python({"inclusion", proof.string(), "--checkpoint", file("second.note").string()});
    EXPECT_EQ(offline.exit_code, 3) << described(offline);
  }
  const auto newest = file("newest.json");
  auto proved = audit({"prove", std::to_string(second), "--output", newest.string()});
  ASSERT_EQ(proved.exit_code, 0) << described(proved);
  EXPECT_EQ(string_field(read_file(newest), "tree_size"), std::to_string(second)) << read_file(newest);
  EXPECT_EQ(python({"inclusion", newest.string(), "--checkpoint", file("second.note").string()}).exit_code, 0);

  // Consistency of the first tree with the latest.
  const auto since = file("since-first.json");
  auto consistent = audit({"consistency", std::to_string(first), "--output", since.string()});
  ASSERT_EQ(consistent.exit_code, 0) << described(consistent);
  EXPECT_TRUE(contains(consistent.err, "extends the tree of size " + std::to_string(first))) << described(consistent);
  auto offline = python(
      {"consistency", since.string(), "--old", file("first.note").string(), "--new", file("second.note").string()});
  EXPECT_EQ(offline.exit_code, 0) << described(offline);

  // One altered byte in any file is BROKEN offline: a proof's leaf, a proof's hash, a note's root.
  const auto leaf = string_field(read_file(file("p1.json")), "leaf");
  ASSERT_FALSE(leaf.empty());
  ASSERT_TRUE(rewrite(file("p1.json"), leaf, std::string(1, leaf[0] == 'A' ? 'B' : 'A') + leaf.substr(1)));
  offline = python({"inclusion", file("p1.json").string(), "--checkpoint", file("first.note").string()});
  EXPECT_EQ(offline.exit_code, 3) << described(offline);
  EXPECT_TRUE(contains(offline.out, "BROKEN")) << described(offline);
  const std::string since_text = read_file(since);
  const auto hash_at = since_text.find("\"proof\"");
  ASSERT_NE(hash_at, std::string::npos) << since_text;
  const auto quote = since_text.find('"', since_text.find('[', hash_at)) + 1;
  std::string altered = since_text;
  altered[quote] = altered[quote] == 'A' ? 'B' : 'A';
  write_file(since, altered);
  offline = python(
      {"consistency", since.string(), "--old", file("first.note").string(), "--new", file("second.note").string()});
  EXPECT_EQ(offline.exit_code, 3) << described(offline);
  const std::string note = read_file(file("first.note"));
  const auto root_line = note.find('\n', note.find('\n') + 1) + 1;
  std::string forged = note;
  forged[root_line] = forged[root_line] == 'A' ? 'B' : 'A';
  write_file(file("forged.note"), forged);
  offline = python({"checkpoint", file("forged.note").string()});
  EXPECT_EQ(offline.exit_code, 3) << described(offline);
}

TEST_F(PlacectlAuditTest, ReceiptsOfASettlementLineAndOfAnEventVerifyOffline) {
  create_checkpoint(file("receipt.note"));
  const auto line = file("au-1-2031-03.receipt.json");
  auto receipt = audit({"receipt", "--placement", "au-1", "--month", "2031-03", "--as-of", "2031-04-15", "--paying",
                        "101", "--output", line.string()});
  ASSERT_EQ(receipt.exit_code, 0) << described(receipt);
  const std::string text = read_file(line);
  EXPECT_TRUE(contains(text, "\"placement_id\": \"au-1\"")) << text;
  // The line is the one 101's finance staff get: 31 days of March at 2 500 kr.
  auto planned = server_->run(
      "finance", {"settlement", "--month", "2031-03", "--as-of-date", "2031-04-15", "--municipality", "101", "--json"},
      101);
  ASSERT_EQ(planned.exit_code, 0) << described(planned);
  EXPECT_TRUE(contains(planned.out, "\"amount_ore\":\"7750000\"") || contains(planned.out, "\"amount_ore\":7750000"))
      << planned.out;
  EXPECT_TRUE(contains(text, "\"amount_ore\": \"7750000\"")) << text;
  auto offline = python({"receipt", line.string()});
  EXPECT_EQ(offline.exit_code, 0) << described(offline);
  EXPECT_TRUE(contains(offline.out, "settlement line of placement au-1")) << described(offline);

  const auto event = file("event-3.receipt.json");
  receipt = audit({"receipt", "--position", "3", "--output", event.string()});
  ASSERT_EQ(receipt.exit_code, 0) << described(receipt);
  offline = python({"receipt", event.string()});
  EXPECT_EQ(offline.exit_code, 0) << described(offline);

  // An altered leaf in the receipt is BROKEN.
  const auto leaf = string_field(read_file(event), "leaf");
  ASSERT_FALSE(leaf.empty()) << read_file(event);
  ASSERT_TRUE(rewrite(event, leaf, std::string(1, leaf[0] == 'A' ? 'B' : 'A') + leaf.substr(1)));
  offline = python({"receipt", event.string()});
  EXPECT_EQ(offline.exit_code, 3) << described(offline);
}

TEST_F(PlacectlAuditTest, AWitnessCosignatureIsRequiredKOfNByPlacectlAndTheVerifier) {
  const std::uint64_t size = create_checkpoint(file("witnessed.note"));
  auto unwitnessed = audit(
      {"checkpoint", "--size", std::to_string(size), "--witness-key", witness_key(), "--witnesses-required", "1"});
  EXPECT_EQ(unwitnessed.exit_code, 3) << described(unwitnessed);
  EXPECT_TRUE(contains(unwitnessed.err, "BROKEN")) << described(unwitnessed);
  EXPECT_EQ(python({"checkpoint", file("witnessed.note").string()}, 1).exit_code, 3);

  v1::AddCosignatureRequest request;
  request.set_tree_size(size);
  const std::string body = tp::parse_note(read_file(file("witnessed.note"))).value().text;
  request.set_signature_line(tp::format_signature_line(tp::cosign(body, *witness_, 1'900'000'000)));
  v1::CheckpointResponse cosigned;
  ASSERT_TRUE(v1::ProofService::NewStub(server_->process().channel())
                  ->AddCosignature(testing::as_auditor().get(), request, &cosigned)
                  .ok());
  auto witnessed = audit({"checkpoint", "--size", std::to_string(size), "--witness-key", witness_key(),
                          "--witnesses-required", "1", "--output", file("cosigned.note").string()});
  ASSERT_EQ(witnessed.exit_code, 0) << described(witnessed);
  EXPECT_EQ(python({"checkpoint", file("cosigned.note").string()}, 1).exit_code, 0);
}

TEST_F(PlacectlAuditTest, AnotherLogKeyBadInputAndOtherRolesAreRefused) {
  create_checkpoint(file("refusals.note"));
  const tp::NoteSigner impostor{kOrigin, tp::Ed25519Key::generate().value()};
  auto impostor_key = server_->auditor(
      {"audit", "checkpoint", "--log-key", tp::format_verifier_key(impostor.verifier_key(tp::kEd25519NoteType))});
  EXPECT_EQ(impostor_key.exit_code, 3) << described(impostor_key);
  EXPECT_TRUE(contains(impostor_key.err, "BROKEN")) << described(impostor_key);

  auto beyond = audit({"prove", "999999"});
  EXPECT_EQ(beyond.exit_code, 1) << described(beyond);
  EXPECT_TRUE(contains(beyond.err, "OUT_OF_RANGE")) << described(beyond);
  auto no_such_size = audit({"consistency", "1", "--to", "2"});
  EXPECT_EQ(no_such_size.exit_code, 1) << described(no_such_size);
  EXPECT_TRUE(contains(no_such_size.err, "NOT_FOUND")) << described(no_such_size);
  auto no_line =
      audit({"receipt", "--placement", "nobody", "--month", "2031-03", "--as-of", "2031-04-15", "--paying", "101"});
  EXPECT_EQ(no_line.exit_code, 1) << described(no_line);
  EXPECT_TRUE(contains(no_line.err, "NOT_FOUND")) << described(no_line);
  auto usage = audit({"receipt", "--placement", "au-1"});
  EXPECT_EQ(usage.exit_code, 2) << described(usage);

  auto planner = server_->run("planner", {"audit", "checkpoint"});
  EXPECT_EQ(planner.exit_code, 1) << described(planner);
  EXPECT_TRUE(contains(planner.err, "PERMISSION_DENIED")) << described(planner);
}

}  // namespace
}  // namespace placement
