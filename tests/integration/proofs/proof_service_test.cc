// Proofs an outside auditor can check, through the real placementd: signed checkpoints verify
// (the log's key, a witness's cosignature k of n); inclusion proofs of every position and
// consistency proofs between many sizes verify in C++ (storage/merkle_proof.h) and in the offline
// verifier (tools/verify_proofs.py); an altered event or a rewritten history is caught against an
// earlier checkpoint; erasing a citizen leaves every earlier proof and receipt valid; bad sizes
// and positions get INVALID_ARGUMENT / OUT_OF_RANGE / NOT_FOUND.

#include <sys/stat.h>

#include <fstream>

#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include "placement/v1/admin_service.grpc.pb.h"
#include "placement/v1/offer_service.grpc.pb.h"
#include "placement/v1/proof_service.grpc.pb.h"
#include "services/transparency/checkpoint.h"
#include "storage/hash_chain.h"
#include "storage/keys.h"
#include "storage/merkle_hash.h"
#include "storage/merkle_proof.h"
#include "storage/rocksdb_event_log.h"
#include "tests/support/program_runner.h"
#include "tests/support/scenario.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace placement {
namespace {

using testing::date;
using testing::succeeded;
using testing::Who;
namespace tp = transparency;

constexpr const char* kOrigin = "ledger.test/proofs";
constexpr int kYear = 2031;

std::string json_of(const google::protobuf::Message& message) {
  std::string out;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(message, &out, options);
  return out;
}

class ProofServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.set_extra_args(server_args());
    ASSERT_TRUE(server_.start()) << server_.error();
    connect();
  }
  std::vector<std::string> server_args() const {
    return {"--checkpoint-interval", "0",
            "--checkpoint-origin",   kOrigin,
            "--witness-key",         tp::format_verifier_key(witness_.verifier_key(tp::kCosignatureV1Type))};
  }
  void connect() {
    api_ = std::make_unique<testing::Clients>(server_);
    proofs_ = v1::ProofService::NewStub(server_.channel());
  }
  void restart() {
    ASSERT_EQ(server_.stop(), 0);
    ASSERT_TRUE(server_.start()) << server_.error();
    connect();
  }

  // Offers and placements: a few dozen events on top of the reference data.
  void write_events(const std::string& prefix, int offers) {
    for (int i = 0; i < offers; ++i) {
      testing::OfferSpec offer;
      offer.offer_id = prefix + "-offer-" + std::to_string(i);
      offer.places = 3;
      offer.places_from = date(kYear, 1, 1);
      ASSERT_TRUE(succeeded(testing::register_offer(*api_, offer)));
    }
  }
  void admitted(const std::string& cpr, const std::string& id, const std::string& offer, const v1::CalendarDate& on) {
    auto request = testing::request_placement_request(testing::RequestSpec(cpr, offer).id(id).starting(on));
    v1::PlacementResponse response;
    ASSERT_TRUE(
        succeeded(api_->placements->RequestPlacement(Who::caseworker(101).context().get(), request, &response)));
    ASSERT_TRUE(succeeded(testing::reserve(*api_, Who::caseworker(101), id, on)));
    ASSERT_TRUE(succeeded(testing::admit(*api_, Who::caseworker(101), id, on)));
  }

  v1::CheckpointResponse create_checkpoint() {
    v1::CheckpointResponse checkpoint;
    EXPECT_TRUE(
        succeeded(proofs_->CreateCheckpoint(testing::as_auditor().get(), v1::CreateCheckpointRequest(), &checkpoint)));
    return checkpoint;
  }
  tp::CheckpointTrust trust(std::size_t witnesses = 0) const {
    return tp::CheckpointTrust{log_key_, {witness_.verifier_key(tp::kCosignatureV1Type)}, witnesses};
  }
  grpc::Status inclusion(std::uint64_t position, std::uint64_t size, v1::InclusionProofResponse* out) {
    v1::InclusionProofRequest request;
    request.set_position(position);
    request.set_tree_size(size);
    return proofs_->GetInclusionProof(testing::as_auditor().get(), request, out);
  }
  grpc::Status consistency(std::uint64_t from, std::uint64_t to, v1::ConsistencyProofResponse* out) {
    v1::ConsistencyProofRequest request;
    request.set_from_size(from);
    request.set_to_size(to);
    return proofs_->GetConsistencyProof(testing::as_auditor().get(), request, out);
  }
  // The root a verified checkpoint commits to.
  std::string verified_root(const v1::CheckpointResponse& checkpoint, std::size_t witnesses = 0) {
    auto verified = tp::verify_checkpoint(checkpoint.note(), trust(witnesses));
    EXPECT_TRUE(verified) << verified.error().message;
    if (!verified) return {};
    EXPECT_EQ(verified.value().checkpoint.tree_size, checkpoint.tree_size());
    return verified.value().checkpoint.root_hash;
  }
  std::string inclusion_problem(const v1::InclusionProofResponse& proof, const std::string& root) const {
    const std::vector<std::string> path(proof.path().begin(), proof.path().end());
    return storage::inclusion_problem(proof.position() - 1, proof.tree_size(), storage::merkle_leaf_hash(proof.leaf()),
                                      path, root);
  }
  std::string consistency_problem(const v1::ConsistencyProofResponse& proof, const std::string& old_root,
                                  const std::string& new_root) const {
    const std::vector<std::string> hashes(proof.proof().begin(), proof.proof().end());
    return storage::consistency_problem(proof.from_size(), proof.to_size(), old_root, new_root, hashes);
  }

  std::filesystem::path write(const std::string& name, const std::string& text) {
    const auto path = dir_.path() / name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  // tools/verify_proofs.py with the log's key and the witness's; its exit code and output.
  testing::ProgramResult python(std::vector<std::string> args, std::size_t witnesses = 0) {
    args.insert(args.begin(), VERIFY_PROOFS_PATH);
    for (const std::string& extra :
         {std::string("--log-key"), tp::format_verifier_key(log_key_), std::string("--witness-key"),
          tp::format_verifier_key(witness_.verifier_key(tp::kCosignatureV1Type)), std::string("--witnesses-required"),
          std::to_string(witnesses)})
      args.push_back(extra);
    return testing::run_program("/usr/bin/python3", args);
  }

  testing::TempDir dir_;
  testing::ServerProcess server_{dir_.path() / "data"};
  tp::NoteSigner witness_{"witness.test/region-h", tp::Ed25519Key::generate().value()};
  tp::VerifierKey log_key_;
  std::unique_ptr<testing::Clients> api_;
  std::unique_ptr<v1::ProofService::Stub> proofs_;
};

// The log key as published out of band: read from the server's key file, not from its answers.
tp::VerifierKey log_key_from_file(const std::filesystem::path& data) {
  std::ifstream in(data.string() + ".checkpoint-key");
  std::string seed;
  std::getline(in, seed);
  const auto key = tp::Ed25519Key::from_seed(tp::base64_decode(seed).value()).value();
  return tp::VerifierKey{kOrigin, tp::kEd25519NoteType, key.public_key()};
}

TEST_F(ProofServiceTest, CheckpointsAndProofsVerifyInCppAndInThePythonVerifier) {
  log_key_ = log_key_from_file(dir_.path() / "data");
  struct stat info {};
  ASSERT_EQ(::stat((dir_.path() / "data").string().append(".checkpoint-key").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);

  ASSERT_NO_FATAL_FAILURE(write_events("a", 6));
  const v1::CheckpointResponse first = create_checkpoint();
  EXPECT_EQ(first.tree_size(), testing::head(*api_));
  EXPECT_EQ(first.log_key(), tp::format_verifier_key(log_key_));
  const std::string first_root = verified_root(first);
  ASSERT_NO_FATAL_FAILURE(write_events("b", 7));
  const v1::CheckpointResponse second = create_checkpoint();
  const std::string second_root = verified_root(second);
  ASSERT_GT(second.tree_size(), first.tree_size());

  // Every position in both trees.
  for (const auto& [checkpoint, root] : {std::pair{first, first_root}, std::pair{second, second_root}}) {
    for (std::uint64_t position = 1; position <= checkpoint.tree_size(); ++position) {
      v1::InclusionProofResponse proof;
      ASSERT_TRUE(succeeded(inclusion(position, checkpoint.tree_size(), &proof))) << position;
      ASSERT_EQ(inclusion_problem(proof, root), "") << position << " of " << checkpoint.tree_size();
    }
  }
  // Consistency from many sizes into the second checkpoint, checked against the roots the server
  // reports for the smaller trees by its proofs alone (size m's root from the first checkpoint).
  v1::ConsistencyProofResponse between;
  ASSERT_TRUE(succeeded(consistency(first.tree_size(), second.tree_size(), &between)));
  EXPECT_EQ(consistency_problem(between, first_root, second_root), "");
  ASSERT_TRUE(succeeded(consistency(first.tree_size(), 0, &between)));  // 0: the latest checkpoint
  EXPECT_EQ(between.to_size(), second.tree_size());

  // The same files, checked by the offline verifier.
  const auto first_note = write("first.note", first.note());
  const auto second_note = write("second.note", second.note());
  auto result = python({"checkpoint", first_note.string()});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  for (std::uint64_t position : {std::uint64_t{1}, first.tree_size() / 2, first.tree_size()}) {
    v1::InclusionProofResponse proof;
    ASSERT_TRUE(succeeded(inclusion(position, first.tree_size(), &proof)));
    result =
        python({"inclusion", write("inclusion.json", json_of(proof)).string(), "--checkpoint", first_note.string()});
    EXPECT_EQ(result.exit_code, 0) << position << ": " << result.out << result.err;
    // An altered leaf is BROKEN for the verifier too.
    proof.mutable_leaf()->back() ^= 1;
    result = python({"inclusion", write("altered.json", json_of(proof)).string(), "--checkpoint", first_note.string()});
    EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  }
  result = python({"consistency", write("consistency.json", json_of(between)).string(), "--old", first_note.string(),
                   "--new", second_note.string()});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  // Another log key does not verify the checkpoint.
  const tp::NoteSigner impostor{kOrigin, tp::Ed25519Key::generate().value()};
  log_key_ = impostor.verifier_key(tp::kEd25519NoteType);
  result = python({"checkpoint", first_note.string()});
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
}

TEST_F(ProofServiceTest, AWitnessCosignatureIsVerifiedAndCountsKOfN) {
  log_key_ = log_key_from_file(dir_.path() / "data");
  const v1::CheckpointResponse checkpoint = create_checkpoint();
  const std::string body = tp::parse_note(checkpoint.note()).value().text;
  EXPECT_FALSE(tp::verify_checkpoint(checkpoint.note(), trust(1)));

  v1::AddCosignatureRequest request;
  request.set_tree_size(checkpoint.tree_size());
  const tp::NoteSigner stranger{"witness.test/stranger", tp::Ed25519Key::generate().value()};
  request.set_signature_line(tp::format_signature_line(tp::cosign(body, stranger, 1'900'000'000)));
  v1::CheckpointResponse cosigned;
  EXPECT_EQ(proofs_->AddCosignature(testing::as_auditor().get(), request, &cosigned).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  request.set_signature_line(tp::format_signature_line(tp::cosign(body, witness_, 1'900'000'000)));
  ASSERT_TRUE(succeeded(proofs_->AddCosignature(testing::as_auditor().get(), request, &cosigned)));
  verified_root(cosigned, 1);

  // Kept in the store: the next start serves the cosigned checkpoint.
  ASSERT_NO_FATAL_FAILURE(restart());
  v1::GetCheckpointRequest get;
  get.set_tree_size(checkpoint.tree_size());
  v1::CheckpointResponse again;
  ASSERT_TRUE(succeeded(proofs_->GetCheckpoint(testing::as_auditor().get(), get, &again)));
  EXPECT_EQ(again.note(), cosigned.note());
  auto result = python({"checkpoint", write("cosigned.note", again.note()).string()}, 1);
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  result = python({"checkpoint", write("plain.note", checkpoint.note()).string()}, 1);
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
}

TEST_F(ProofServiceTest, BadSizesAndPositionsGetClearStatuses) {
  v1::InclusionProofResponse proof;
  v1::ConsistencyProofResponse between;
  // No checkpoint yet: "the latest" is NOT_FOUND.
  EXPECT_EQ(inclusion(1, 0, &proof).error_code(), grpc::StatusCode::NOT_FOUND);
  const v1::CheckpointResponse checkpoint = create_checkpoint();
  const std::uint64_t head = testing::head(*api_);
  EXPECT_EQ(inclusion(0, head, &proof).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(inclusion(head + 1, head + 1, &proof).error_code(), grpc::StatusCode::OUT_OF_RANGE);
  EXPECT_EQ(inclusion(1, head + 5, &proof).error_code(), grpc::StatusCode::OUT_OF_RANGE);
  EXPECT_EQ(inclusion(3, 2, &proof).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(consistency(0, head, &between).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(consistency(3, 2, &between).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(consistency(1, head + 1, &between).error_code(), grpc::StatusCode::OUT_OF_RANGE);
  v1::GetCheckpointRequest get;
  get.set_tree_size(checkpoint.tree_size() - 1);
  v1::CheckpointResponse out;
  EXPECT_EQ(proofs_->GetCheckpoint(testing::as_auditor().get(), get, &out).error_code(), grpc::StatusCode::NOT_FOUND);
  get.set_tree_size(0);
  EXPECT_EQ(proofs_->GetCheckpoint(testing::as_auditor().get(), get, &out).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  v1::EventReceiptRequest receipt_request;
  receipt_request.set_position(head + 1);
  v1::Receipt receipt;
  EXPECT_EQ(proofs_->GetEventReceipt(testing::as_auditor().get(), receipt_request, &receipt).error_code(),
            grpc::StatusCode::OUT_OF_RANGE);
  // A planner reads no proof.
  EXPECT_EQ(
      proofs_->GetInclusionProof(testing::as("planner", 0, "planner-1").get(), v1::InclusionProofRequest(), &proof)
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
}

// An event altered in storage after a checkpoint no longer proves against it; a history
// rewritten (the tree rebuilt over the altered events) is not consistent with it.
TEST_F(ProofServiceTest, AnAlteredEventOrARewrittenHistoryIsCaughtAgainstAnEarlierCheckpoint) {
  log_key_ = log_key_from_file(dir_.path() / "data");
  ASSERT_NO_FATAL_FAILURE(write_events("t", 4));
  const v1::CheckpointResponse earlier = create_checkpoint();
  const std::string root = verified_root(earlier);
  const std::uint64_t victim = earlier.tree_size() - 2;
  ASSERT_EQ(server_.stop(), 0);
  {
    auto log = storage::RocksDbEventLog::open((dir_.path() / "data").string()).value();
    std::string value;
    ASSERT_TRUE(log->db().Get(rocksdb::ReadOptions(), &log->events_family(), storage::event_key(victim), &value).ok());
    value.back() = static_cast<char>(value.back() ^ 0x01);
    ASSERT_TRUE(log->db().Put(rocksdb::WriteOptions(), &log->events_family(), storage::event_key(victim), value).ok());
  }
  // The start finds the chain broken at the victim; read-only, the proofs are still served.
  auto read_only = server_args();
  read_only.insert(read_only.end(), {"--on-corruption", "read-only"});
  server_.set_extra_args(read_only);
  ASSERT_TRUE(server_.start()) << server_.error();
  server_.set_extra_args(server_args());
  connect();
  v1::InclusionProofResponse proof;
  ASSERT_TRUE(succeeded(inclusion(victim, earlier.tree_size(), &proof)));
  EXPECT_NE(inclusion_problem(proof, root), "");
  auto result = python({"inclusion", write("victim.json", json_of(proof)).string(), "--checkpoint",
                        write("earlier.note", earlier.note()).string()});
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  // A leaf's hash is computed from its stored event, so the event paired with the victim (whose
  // proof starts with the victim's leaf) no longer proves either; an event whose proof meets the
  // victim only inside a stored subtree does.
  const std::uint64_t partner = ((victim - 1) ^ 1) + 1;
  ASSERT_TRUE(succeeded(inclusion(partner, earlier.tree_size(), &proof)));
  EXPECT_NE(inclusion_problem(proof, root), "") << "the victim's partner";
  ASSERT_TRUE(succeeded(inclusion(1, earlier.tree_size(), &proof)));
  EXPECT_EQ(inclusion_problem(proof, root), "") << "an event away from the victim still proves";

  // The operator rewrites the history from the victim on (an event changed, the hash chain and the
  // head recomputed over it, the verified mark dropped, so the start's check passes), rebuilds the
  // tree over the rewritten log and signs a new checkpoint.
  ASSERT_EQ(server_.stop(), 0);
  {
    auto log = storage::RocksDbEventLog::open((dir_.path() / "data").string()).value();
    rocksdb::WriteBatch erase;
    const std::uint64_t head = log->head().position.value;
    std::string value;
    ASSERT_TRUE(
        log->db().Get(rocksdb::ReadOptions(), &log->events_family(), storage::event_key(victim - 1), &value).ok());
    std::string prev = value.substr(0, storage::kHashSize);
    for (std::uint64_t position = victim; position <= head; ++position) {
      ASSERT_TRUE(
          log->db().Get(rocksdb::ReadOptions(), &log->events_family(), storage::event_key(position), &value).ok());
      v1::EventEnvelope envelope;
      ASSERT_TRUE(envelope.ParseFromString(value.substr(storage::kHashSize)));
      if (position == victim) envelope.set_event_id(envelope.event_id() + "-rewritten");
      envelope.set_prev_hash(prev);
      const std::string bytes = envelope.SerializeAsString();
      prev = storage::chain_hash(prev, bytes);
      erase.Put(&log->events_family(), storage::event_key(position), prev + bytes);
    }
    erase.Put(&log->meta_family(), std::string(storage::kMetaHead), storage::encode_u64(head) + prev);
    erase.Delete(&log->meta_family(), std::string(storage::kMetaVerified));
    erase.DeleteRange(&log->merkle_family(), storage::merkle_node_key(0, 0), std::string(10, '\xff'));
    erase.DeleteRange(&log->checkpoints_family(), storage::encode_u64(0), storage::encode_u64(~0ull));
    ASSERT_TRUE(log->db().Write(rocksdb::WriteOptions(), &erase).ok());
  }
  ASSERT_TRUE(server_.start()) << server_.error();
  connect();
  ASSERT_NO_FATAL_FAILURE(write_events("u", 1));
  const v1::CheckpointResponse rewritten = create_checkpoint();
  const std::string new_root = verified_root(rewritten);  // signed by the same key
  v1::ConsistencyProofResponse between;
  ASSERT_TRUE(succeeded(consistency(earlier.tree_size(), rewritten.tree_size(), &between)));
  EXPECT_NE(consistency_problem(between, root, new_root), "");
  result = python({"consistency", write("rewritten.json", json_of(between)).string(), "--old",
                   write("earlier.note", earlier.note()).string(), "--new",
                   write("rewritten.note", rewritten.note()).string()});
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
}

// Erasing a citizen changes no stored event: every proof and receipt made before still verifies,
// with leaves equal to what the server serves after, and the new tree extends the old.
TEST_F(ProofServiceTest, ErasureLeavesEveryEarlierProofAndReceiptValid) {
  log_key_ = log_key_from_file(dir_.path() / "data");
  testing::OfferSpec offer;
  offer.offer_id = "e-offer";
  offer.places = 4;
  offer.places_from = date(kYear, 1, 1);
  ASSERT_TRUE(succeeded(testing::register_offer(*api_, offer)));
  v1::SetRateRequest rate;
  rate.set_command_id("rate-e-offer");
  rate.set_offer_id("e-offer");
  *rate.mutable_effective_from() = date(kYear, 1, 1);
  rate.set_daily_rate_ore(2'000'00);
  v1::CommandResult rated;
  ASSERT_TRUE(succeeded(api_->offers->SetRate(testing::as_operator().get(), rate, &rated)));
  ASSERT_NO_FATAL_FAILURE(admitted("150620-4123", "p-erased", "e-offer", date(kYear, 2, 1)));
  ASSERT_TRUE(succeeded(testing::discharge(*api_, Who::caseworker(101), "p-erased", date(kYear, 5, 1))));
  ASSERT_NO_FATAL_FAILURE(admitted("010170-1001", "p-kept", "e-offer", date(kYear, 3, 1)));
  const v1::CheckpointResponse before = create_checkpoint();
  const std::string root = verified_root(before);

  // A receipt of the erased citizen's settlement line in March, and of every event.
  v1::SettlementReceiptRequest line_request;
  line_request.mutable_month()->set_year(kYear);
  line_request.mutable_month()->set_month(3);
  *line_request.mutable_as_of() = date(kYear, 4, 1);
  line_request.set_paying_municipality_code(101);
  line_request.set_placement_id("p-erased");
  v1::Receipt line_receipt;
  ASSERT_TRUE(succeeded(proofs_->GetSettlementReceipt(testing::as_auditor().get(), line_request, &line_receipt)));
  EXPECT_EQ(line_receipt.settlement_line().placement_id(), "p-erased");
  EXPECT_GT(line_receipt.settlement_line().amount_ore(), 0);
  EXPECT_GE(line_receipt.events_size(), 4);  // requested, reserved, admitted, discharged
  for (const auto& event : line_receipt.events()) EXPECT_EQ(event.stream_id(), "placement-p-erased");
  std::vector<v1::InclusionProofResponse> proofs;
  for (std::uint64_t position = 1; position <= before.tree_size(); ++position) {
    proofs.emplace_back();
    ASSERT_TRUE(succeeded(inclusion(position, before.tree_size(), &proofs.back())));
  }

  v1::EraseCitizenRequest erase;
  erase.set_command_id(testing::fresh_command_id("erase"));
  erase.set_cpr("150620-4123");
  erase.set_reason("retention expired");
  v1::EraseCitizenResponse erased;
  ASSERT_TRUE(
      succeeded(v1::AdminService::NewStub(server_.channel())->EraseCitizen(testing::as_admin().get(), erase, &erased)));
  ASSERT_NO_FATAL_FAILURE(restart());
  const v1::CheckpointResponse after = create_checkpoint();
  const std::string after_root = verified_root(after);
  ASSERT_GT(after.tree_size(), before.tree_size());

  for (const auto& earlier : proofs) {
    EXPECT_EQ(inclusion_problem(earlier, root), "") << earlier.position();
    v1::InclusionProofResponse now;
    ASSERT_TRUE(succeeded(inclusion(earlier.position(), before.tree_size(), &now)));
    EXPECT_EQ(now.leaf(), earlier.leaf()) << "erasure changed the stored event at " << earlier.position();
    EXPECT_EQ(json_of(now), json_of(earlier));
  }
  v1::ConsistencyProofResponse between;
  ASSERT_TRUE(succeeded(consistency(before.tree_size(), after.tree_size(), &between)));
  EXPECT_EQ(consistency_problem(between, root, after_root), "");
  // The receipt kept from before still verifies offline, and one made now against the old
  // checkpoint is the same file.
  auto result = python({"receipt", write("line.json", json_of(line_receipt)).string()});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  v1::Receipt again;
  line_request.set_tree_size(before.tree_size());
  ASSERT_TRUE(succeeded(proofs_->GetSettlementReceipt(testing::as_auditor().get(), line_request, &again)));
  EXPECT_EQ(json_of(again), json_of(line_receipt));
  // A receipt with an altered leaf is BROKEN.
  line_receipt.mutable_events(0)->mutable_leaf()->back() ^= 1;
  result = python({"receipt", write("altered-line.json", json_of(line_receipt)).string()});
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;

  v1::EventReceiptRequest event_request;
  event_request.set_position(before.tree_size());
  event_request.set_tree_size(before.tree_size());
  v1::Receipt event_receipt;
  ASSERT_TRUE(succeeded(proofs_->GetEventReceipt(testing::as_auditor().get(), event_request, &event_receipt)));
  result = python({"receipt", write("event.json", json_of(event_receipt)).string()});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
}

}  // namespace
}  // namespace placement
