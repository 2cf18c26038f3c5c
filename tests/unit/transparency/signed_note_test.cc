#include "services/transparency/signed_note.h"

#include <gtest/gtest.h>

#include "services/transparency/ed25519.h"

namespace placement::transparency {
namespace {

// The signed-note example of golang.org/x/mod/sumdb/note (a different implementation's output).
constexpr std::string_view kPeterKey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
constexpr std::string_view kPeterPrivate = "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";  // 0x01 || seed
constexpr std::string_view kPeterText =
    "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
constexpr std::string_view kPeterSignature =
    "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=";

std::string peter_note() {
  return std::string(kPeterText) + "\n\xE2\x80\x94 PeterNeumann " + std::string(kPeterSignature) + "\n";
}

TEST(SignedNote, AVerifierKeyOfAnotherImplementationParsesWithItsKeyId) {
  const auto key = parse_verifier_key(kPeterKey);
  ASSERT_TRUE(key) << key.error().message;
  EXPECT_EQ(key.value().name, "PeterNeumann");
  EXPECT_EQ(key.value().type, kEd25519NoteType);
  EXPECT_EQ(format_verifier_key(key.value()), kPeterKey);
  std::string wrong_id(kPeterKey);
  wrong_id[13] = wrong_id[13] == '0' ? '1' : '0';
  EXPECT_FALSE(parse_verifier_key(wrong_id));
}

TEST(SignedNote, ParsesAndVerifiesTheReferenceNote) {
  const auto note = parse_note(peter_note());
  ASSERT_TRUE(note) << note.error().message;
  EXPECT_EQ(note.value().text, kPeterText);
  ASSERT_EQ(note.value().signatures.size(), 1u);
  const auto key = parse_verifier_key(kPeterKey).value();
  EXPECT_EQ(note.value().signatures[0].key_id, note_key_id(key));
  EXPECT_TRUE(ed25519_verify(key.public_key, note.value().text, note.value().signatures[0].signature));
  EXPECT_EQ(format_note(note.value()), peter_note());
}

TEST(SignedNote, SigningWithTheReferenceKeyGivesTheReferenceSignature) {
  const auto material = base64_decode(kPeterPrivate).value();
  const auto key = Ed25519Key::from_seed(material.substr(1)).value();
  EXPECT_EQ(key.public_key(), parse_verifier_key(kPeterKey).value().public_key);
  const std::string expected = base64_decode(kPeterSignature).value();
  EXPECT_EQ(key.sign(kPeterText), expected.substr(4));
}

TEST(SignedNote, MalformedNotesAreRefused) {
  EXPECT_FALSE(parse_note("text\n"));                                  // no signatures
  EXPECT_FALSE(parse_note("text\n\n"));                                // blank line, no signature
  EXPECT_FALSE(parse_note("text\n\n- name AAAAAAAA\n"));               // hyphen, not an em dash
  EXPECT_FALSE(parse_note("text\n\n\xE2\x80\x94 name !!!!\n"));        // not base64
  EXPECT_FALSE(parse_note("te\txt\n\n\xE2\x80\x94 name AAAAAAAA\n"));  // control character
  EXPECT_FALSE(parse_note("text\n\n\xE2\x80\x94 name AAAAAAAA"));      // no final newline
  EXPECT_TRUE(parse_note("text\n\n\xE2\x80\x94 name AAAAAAAA\n"));
}

TEST(SignedNote, Base64IsStrict) {
  EXPECT_EQ(base64_decode("aGVsbG8=").value(), "hello");
  EXPECT_EQ(base64_encode("hello"), "aGVsbG8=");
  EXPECT_FALSE(base64_decode("aGVsbG8"));
  EXPECT_FALSE(base64_decode("aGVsbG9="));  // non-canonical padding bits
  EXPECT_EQ(base64_decode("").value(), "");
}

}  // namespace
}  // namespace placement::transparency
