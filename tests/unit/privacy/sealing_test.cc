// sealing.h: AES-256-GCM round trips, and refuses a wrong key, other associated data and any
// altered byte.
#include "services/privacy/sealing.h"

#include <gtest/gtest.h>

namespace placement::privacy::sealing {
namespace {

std::string key(char fill) { return std::string(kKeyBytes, fill); }

TEST(Sealing, RoundTrips) {
  const std::string plaintext("pseudonym\nhousehold\0with a zero", 31);
  auto sealed = seal(key('k'), "citizen-1", plaintext);
  ASSERT_TRUE(sealed) << sealed.error().message;
  EXPECT_EQ(sealed.value().find("pseudonym"), std::string::npos) << "the plaintext shows through";
  auto opened = open(key('k'), "citizen-1", sealed.value());
  ASSERT_TRUE(opened) << opened.error().message;
  EXPECT_EQ(opened.value(), plaintext);
}

TEST(Sealing, EmptyPlaintextRoundTrips) {
  auto sealed = seal(key('k'), "", "");
  ASSERT_TRUE(sealed);
  EXPECT_EQ(open(key('k'), "", sealed.value()).value(), "");
}

TEST(Sealing, EachSealDrawsAFreshNonce) {
  EXPECT_NE(seal(key('k'), "a", "same").value(), seal(key('k'), "a", "same").value());
}

TEST(Sealing, AWrongKeyIsRefused) {
  const auto sealed = seal(key('k'), "citizen-1", "secret").value();
  auto opened = open(key('x'), "citizen-1", sealed);
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, Errc::data_loss);
}

TEST(Sealing, OtherAssociatedDataIsRefused) {
  // A sealed value moved to another citizen does not open there.
  const auto sealed = seal(key('k'), "citizen-1", "secret").value();
  EXPECT_FALSE(open(key('k'), "citizen-2", sealed));
}

TEST(Sealing, EveryAlteredByteIsRefused) {
  const auto sealed = seal(key('k'), "citizen-1", "secret").value();
  for (std::size_t i = 0; i < sealed.size(); ++i) {
    std::string tampered = sealed;
    tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
    auto opened = open(key('k'), "citizen-1", tampered);
    EXPECT_FALSE(opened) << "byte " << i;
  }
}

TEST(Sealing, TruncatedOrForeignBytesAreRefused) {
  const auto sealed = seal(key('k'), "citizen-1", "secret").value();
  EXPECT_FALSE(open(key('k'), "citizen-1", sealed.substr(0, sealed.size() - 1)));
  EXPECT_FALSE(open(key('k'), "citizen-1", ""));
  EXPECT_FALSE(open(key('k'), "citizen-1", std::string(40, 'z')));
}

TEST(Sealing, KeysMustBe256Bits) {
  EXPECT_EQ(seal("short", "", "x").error().code, Errc::invalid_argument);
  EXPECT_EQ(open(std::string(33, 'k'), "", std::string(40, 'z')).error().code, Errc::invalid_argument);
}

}  // namespace
}  // namespace placement::privacy::sealing
