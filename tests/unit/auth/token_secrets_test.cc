// services/auth/token_secrets.cc: the token secret file.

#include "services/auth/token_secrets.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace placement::auth {
namespace {

class TokenSecretsFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("token-secrets-" + std::to_string(::getpid()) + "-" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST(TokenSecrets, FirstSecretSignsAndAllVerify) {
  auto secrets = TokenSecrets::parse(
      "# rotated 2031-02-01\n" + std::string(64, '1') + "\n\n  " + std::string(64, '2') + "  \r\n", "test");
  ASSERT_TRUE(secrets) << secrets.error().message;
  EXPECT_EQ(secrets.value().all().size(), 2u);
  EXPECT_EQ(secrets.value().signing(), std::string(32, '\x11'));
  EXPECT_EQ(secrets.value().all()[1], std::string(32, '\x22'));
}

TEST(TokenSecrets, ShortNonHexOrNoSecretIsRefusedWithoutQuotingIt) {
  const std::string short_secret(62, 'c');
  for (const std::string& text :
       {short_secret, std::string(63, 'c'), std::string(64, 'g'), std::string("# only\n"), std::string()}) {
    auto secrets = TokenSecrets::parse(text, "f");
    ASSERT_FALSE(secrets) << text;
    EXPECT_EQ(secrets.error().code, Errc::invalid_argument);
    if (text.size() > 8) {
      EXPECT_EQ(secrets.error().message.find(text), std::string::npos) << secrets.error().message;
    }
  }
}

TEST(TokenSecrets, GeneratedLinesAreDistinctValidSecrets) {
  const auto a = TokenSecrets::generate_line().value(), b = TokenSecrets::generate_line().value();
  EXPECT_NE(a, b);
  EXPECT_EQ(a.size(), 64u);
  EXPECT_TRUE(TokenSecrets::parse(a, "generated"));
}

TEST_F(TokenSecretsFile, MissingFileIsCreatedOwnerOnlyWithOneSecret) {
  const auto path = dir_ / "data.token-secret";
  EXPECT_FALSE(TokenSecrets::from_file(path, /*create_if_missing=*/false));
  auto created = TokenSecrets::from_file(path, /*create_if_missing=*/true);
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_EQ(created.value().all().size(), 1u);
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  // Read again: the same secret.
  EXPECT_EQ(TokenSecrets::from_file(path, true).value().signing(), created.value().signing());
}

TEST_F(TokenSecretsFile, FileOthersCanReadIsRefused) {
  const auto path = dir_ / "shared.token-secret";
  std::ofstream(path) << std::string(64, 'a') << '\n';
  ::chmod(path.c_str(), 0644);
  auto secrets = TokenSecrets::from_file(path, false);
  ASSERT_FALSE(secrets);
  EXPECT_NE(secrets.error().message.find("chmod 600"), std::string::npos);
  ::chmod(path.c_str(), 0640);
  EXPECT_TRUE(TokenSecrets::from_file(path, false));
}

}  // namespace
}  // namespace placement::auth
