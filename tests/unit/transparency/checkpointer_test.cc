// The checkpointer over a real RocksDB log: checkpoints of the head signed, stored and found again
// after a reopen; cosignatures verified before they are kept.
#include "services/transparency/checkpointer.h"

#include <gtest/gtest.h>

#include "storage/rocksdb_event_log.h"
#include "tests/support/temp_dir.h"

namespace placement::transparency {
namespace {

constexpr const char* kOrigin = "ledger.test/placements";

void append_events(storage::RocksDbEventLog& log, const std::string& command_id, int count) {
  storage::AppendRequest request;
  request.command_id = command_id;
  request.actor.set_subject("tester");
  request.actor.set_role(v1::ROLE_ADMIN);
  storage::StreamAppend stream{"stream-" + command_id, storage::ExpectedVersion::any(), {}};
  for (int i = 0; i < count; ++i) stream.events.push_back(storage::NewEvent{"TestEvent", "payload"});
  request.streams.push_back(std::move(stream));
  std::vector<storage::AppendRequest> batch;
  batch.push_back(std::move(request));
  ASSERT_TRUE(log.append(std::move(batch)).results.at(0));
}

class CheckpointerTest : public ::testing::Test {
 protected:
  void SetUp() override { open(); }
  void open() {
    checkpointer_.reset();
    log_.reset();
    log_ = storage::RocksDbEventLog::open(dir_.str()).value();
    checkpointer_ = std::make_unique<Checkpointer>(
        *log_, log_->merkle(), *log_, log_signer_,
        CheckpointerOptions{kOrigin, std::chrono::seconds(0), {witness_.verifier_key(kCosignatureV1Type)}});
  }
  CheckpointTrust trust(std::size_t witnesses) const {
    return CheckpointTrust{
        log_signer_.verifier_key(kEd25519NoteType), {witness_.verifier_key(kCosignatureV1Type)}, witnesses};
  }
  testing::TempDir dir_;
  NoteSigner log_signer_{kOrigin, Ed25519Key::generate().value()};
  NoteSigner witness_{"witness.test/region", Ed25519Key::generate().value()};
  std::unique_ptr<storage::RocksDbEventLog> log_;
  std::unique_ptr<Checkpointer> checkpointer_;
};

TEST_F(CheckpointerTest, AnEmptyLogHasNoCheckpoint) { EXPECT_FALSE(checkpointer_->checkpoint_now()); }

TEST_F(CheckpointerTest, ACheckpointCommitsToTheHeadAndIsKeptAcrossReopen) {
  append_events(*log_, "c1", 5);
  const auto made = checkpointer_->checkpoint_now();
  ASSERT_TRUE(made) << made.error().message;
  EXPECT_EQ(made.value().tree_size, 5u);
  const auto verified = verify_checkpoint(made.value().note, trust(0));
  ASSERT_TRUE(verified) << verified.error().message;
  EXPECT_EQ(verified.value().checkpoint.origin, kOrigin);
  EXPECT_EQ(verified.value().checkpoint.root_hash, log_->merkle().root(5).value());
  // Asked again at the same head: the stored one, not a second signature.
  EXPECT_EQ(checkpointer_->checkpoint_now().value().note, made.value().note);
  append_events(*log_, "c2", 2);
  EXPECT_EQ(checkpointer_->checkpoint_now().value().tree_size, 7u);
  open();
  EXPECT_EQ(log_->checkpoint_at(5).value()->note, made.value().note);
  EXPECT_EQ(log_->latest_checkpoint().value()->tree_size, 7u);
  EXPECT_EQ(log_->checkpoint_at_or_after(6).value()->tree_size, 7u);
  EXPECT_FALSE(log_->checkpoint_at(6).value());
}

TEST_F(CheckpointerTest, AVerifiedCosignatureIsKeptAndAForgedOneChangesNothing) {
  append_events(*log_, "c1", 3);
  const auto made = checkpointer_->checkpoint_now().value();
  const std::string body = parse_note(made.note).value().text;
  NoteSignature forged = cosign(body, witness_, 1'800'000'000);
  forged.signature[30] = static_cast<char>(forged.signature[30] ^ 4);
  const auto refused = checkpointer_->add_cosignature(3, format_signature_line(forged));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::permission_denied);
  const NoteSigner stranger{"witness.test/stranger", Ed25519Key::generate().value()};
  EXPECT_EQ(checkpointer_->add_cosignature(3, format_signature_line(cosign(body, stranger, 1))).error().code,
            Errc::permission_denied);
  EXPECT_EQ(checkpointer_->add_cosignature(3, "not a line").error().code, Errc::invalid_argument);
  EXPECT_EQ(checkpointer_->add_cosignature(4, format_signature_line(cosign(body, witness_, 1))).error().code,
            Errc::not_found);
  EXPECT_EQ(log_->checkpoint_at(3).value()->note, made.note);
  EXPECT_FALSE(verify_checkpoint(made.note, trust(1)));

  const auto cosigned = checkpointer_->add_cosignature(3, format_signature_line(cosign(body, witness_, 1'800'000'000)));
  ASSERT_TRUE(cosigned) << cosigned.error().message;
  EXPECT_TRUE(verify_checkpoint(log_->checkpoint_at(3).value()->note, trust(1)));
  // The witness cosigning again replaces its line.
  ASSERT_TRUE(checkpointer_->add_cosignature(3, format_signature_line(cosign(body, witness_, 1'800'000'009))));
  EXPECT_EQ(parse_note(log_->checkpoint_at(3).value()->note).value().signatures.size(), 2u);
}

TEST_F(CheckpointerTest, TheIntervalThreadCheckpointsAGrowingLog) {
  checkpointer_ = std::make_unique<Checkpointer>(*log_, log_->merkle(), *log_, log_signer_,
                                                 CheckpointerOptions{kOrigin, std::chrono::seconds(1), {}});
  append_events(*log_, "c1", 2);
  checkpointer_->start();
  for (int i = 0; i < 100 && !log_->latest_checkpoint().value(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_TRUE(log_->latest_checkpoint().value());
  EXPECT_EQ(log_->latest_checkpoint().value()->tree_size, 2u);
  checkpointer_->stop();
}

}  // namespace
}  // namespace placement::transparency
