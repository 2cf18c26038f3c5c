#include "services/transparency/checkpoint.h"

#include <gtest/gtest.h>

namespace placement::transparency {
namespace {

NoteSigner signer(const std::string& name) { return NoteSigner{name, Ed25519Key::generate().value()}; }

Checkpoint example() { return Checkpoint{"ledger.example.dk/placements", 20852163, std::string(32, '\x07')}; }

TEST(Checkpoint, BodyIsOriginSizeAndBase64Root) {
  EXPECT_EQ(checkpoint_body(example()),
            "ledger.example.dk/placements\n20852163\nBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=\n");
  const auto parsed = parse_checkpoint_body(checkpoint_body(example())).value();
  EXPECT_EQ(parsed.origin, example().origin);
  EXPECT_EQ(parsed.tree_size, 20852163u);
  EXPECT_EQ(parsed.root_hash, example().root_hash);
  EXPECT_FALSE(parse_checkpoint_body("origin\n012\nBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=\n"));
  EXPECT_FALSE(parse_checkpoint_body("origin\n12\nBwcH\n"));
  EXPECT_FALSE(parse_checkpoint_body("origin\n12\n"));
  EXPECT_TRUE(parse_checkpoint_body("origin\n12\nBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=\nextension\n"));
}

TEST(Checkpoint, TheLogsSignatureVerifiesAndAnAlteredCheckpointDoesNot) {
  const NoteSigner log = signer("ledger.example.dk/placements");
  const std::string note = sign_checkpoint(example(), log);
  const CheckpointTrust trust{log.verifier_key(kEd25519NoteType), {}, 0};
  const auto verified = verify_checkpoint(note, trust);
  ASSERT_TRUE(verified) << verified.error().message;
  EXPECT_EQ(verified.value().checkpoint.tree_size, 20852163u);

  std::string altered = note;
  altered.replace(altered.find("20852163"), 8, "20852164");
  EXPECT_FALSE(verify_checkpoint(altered, trust));
  const NoteSigner other = signer("ledger.example.dk/placements");
  EXPECT_FALSE(verify_checkpoint(note, CheckpointTrust{other.verifier_key(kEd25519NoteType), {}, 0}));
}

// k of n: each witness's cosignature/v1 counts once, a witness not trusted or a forged line not at
// all, and the log's own key is not a witness.
TEST(Checkpoint, CosignaturesCountKOfN) {
  const NoteSigner log = signer("ledger.example.dk/placements");
  const NoteSigner a = signer("witness.region-h.dk"), b = signer("witness.auditor.dk"), c = signer("witness.other.dk");
  const std::string body = checkpoint_body(example());
  auto note = parse_note(sign_checkpoint(example(), log)).value();
  note.signatures.push_back(cosign(body, a, 1'700'000'000));
  note.signatures.push_back(cosign(body, a, 1'700'000'500));  // the same witness twice
  note.signatures.push_back(cosign(body, c, 1'700'000'000));  // not trusted below
  NoteSignature forged = cosign(body, b, 1'700'000'000);
  forged.signature[20] = static_cast<char>(forged.signature[20] ^ 1);
  note.signatures.push_back(forged);
  const std::string text = format_note(note);
  CheckpointTrust trust{
      log.verifier_key(kEd25519NoteType), {a.verifier_key(kCosignatureV1Type), b.verifier_key(kCosignatureV1Type)}, 1};
  const auto one = verify_checkpoint(text, trust);
  ASSERT_TRUE(one) << one.error().message;
  EXPECT_EQ(one.value().witnesses, std::vector<std::string>{"witness.region-h.dk"});
  trust.witnesses_required = 2;
  EXPECT_FALSE(verify_checkpoint(text, trust));

  note.signatures.push_back(cosign(body, b, 1'700'000'001));
  EXPECT_TRUE(verify_checkpoint(format_note(note), trust));
  // A cosignature of another checkpoint does not count.
  Checkpoint later = example();
  later.tree_size += 1;
  EXPECT_FALSE(verify_cosignature(body, cosign(checkpoint_body(later), a, 5), a.verifier_key(kCosignatureV1Type)));
  EXPECT_EQ(verify_cosignature(body, cosign(body, a, 5), a.verifier_key(kCosignatureV1Type)), 5u);
}

TEST(Checkpoint, CosignedMessageFollowsTlogCosignatureV1) {
  EXPECT_EQ(cosigned_message("o\n1\nAA==\n", 1679315147), "cosignature/v1\ntime 1679315147\no\n1\nAA==\n");
}

}  // namespace
}  // namespace placement::transparency
