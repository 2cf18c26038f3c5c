// services/auth/revoked_tokens.*: revocations are durable, read back at start, and dropped once no
// token they name could still be valid.

#include "services/auth/revoked_tokens.h"

#include <sys/stat.h>

#include <fstream>

#include <gtest/gtest.h>

#include "services/auth/claims.h"
#include "tests/support/temp_dir.h"

namespace placement::auth {
namespace {

using namespace std::chrono_literals;
const auto kNow = std::chrono::system_clock::time_point(std::chrono::seconds(1'900'000'000));

TEST(RevokedTokens, ARevocationHoldsAtOnceAndAfterReopening) {
  testing::TempDir dir;
  const auto path = dir.path() / "revoked";
  {
    auto revoked = RevokedTokens::open(path, kNow);
    ASSERT_TRUE(revoked) << revoked.error().message;
    EXPECT_FALSE(revoked.value()->contains("abc"));
    EXPECT_TRUE(revoked.value()->revoke("abc", kNow).value());
    EXPECT_FALSE(revoked.value()->revoke("abc", kNow).value()) << "the second time writes nothing";
    EXPECT_TRUE(revoked.value()->contains("abc"));
    EXPECT_FALSE(revoked.value()->contains("abd"));
    EXPECT_FALSE(revoked.value()->revoke("two words", kNow));
    EXPECT_FALSE(revoked.value()->revoke("", kNow));
  }
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  auto reopened = RevokedTokens::open(path, kNow + 1h);
  ASSERT_TRUE(reopened) << reopened.error().message;
  EXPECT_TRUE(reopened.value()->contains("abc"));
  EXPECT_EQ(reopened.value()->size(), 1u);
}

TEST(RevokedTokens, RevocationsOlderThanAnyTokenTheyNameAreDropped) {
  testing::TempDir dir;
  const auto path = dir.path() / "revoked";
  ASSERT_TRUE(RevokedTokens::open(path, kNow).value()->revoke("old", kNow));
  const auto kept_until = kNow + kMaxLifetime + 2 * kClockSkew;
  EXPECT_TRUE(RevokedTokens::open(path, kept_until).value()->contains("old"));
  EXPECT_FALSE(RevokedTokens::open(path, kept_until + 1s).value()->contains("old"));
}

TEST(RevokedTokens, ATornLastLineIsIgnoredAndAGarbledOneRefused) {
  testing::TempDir dir;
  const auto path = dir.path() / "revoked";
  ASSERT_TRUE(RevokedTokens::open(path, kNow).value()->revoke("whole", kNow));
  std::ofstream(path, std::ios::app) << "torn-line-without-time";
  auto opened = RevokedTokens::open(path, kNow);
  ASSERT_TRUE(opened) << opened.error().message;
  EXPECT_TRUE(opened.value()->contains("whole"));
  const auto garbled = dir.path() / "garbled";
  std::ofstream(garbled) << "x\nwhole 1900000000\n";
  ::chmod(garbled.c_str(), 0600);
  EXPECT_FALSE(RevokedTokens::open(garbled, kNow));
}

TEST(RevokedTokens, AFileOthersMayWriteIsRefused) {
  testing::TempDir dir;
  const auto path = dir.path() / "revoked";
  std::ofstream(path) << "";
  ::chmod(path.c_str(), 0666);
  auto opened = RevokedTokens::open(path, kNow);
  ASSERT_FALSE(opened);
  EXPECT_NE(opened.error().message.find("chmod 600"), std::string::npos);
}

}  // namespace
}  // namespace placement::auth
