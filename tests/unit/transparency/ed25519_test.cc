#include "services/transparency/ed25519.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"

namespace placement::transparency {
namespace {

TEST(Ed25519KeyFile, IsCreatedOwnerOnlyAndLoadsTheSameKey) {
  testing::TempDir dir;
  const std::string path = (dir.path() / "checkpoint.key").string();
  const auto created = Ed25519Key::load_or_create(path);
  ASSERT_TRUE(created) << created.error().message;
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  const auto loaded = Ed25519Key::load_or_create(path);
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(loaded.value().public_key(), created.value().public_key());
  const std::string signature = loaded.value().sign("message");
  EXPECT_TRUE(ed25519_verify(created.value().public_key(), "message", signature));
  EXPECT_FALSE(ed25519_verify(created.value().public_key(), "messagf", signature));
}

TEST(Ed25519KeyFile, AGroupOrWorldReadableFileIsRefused) {
  testing::TempDir dir;
  const std::string path = (dir.path() / "checkpoint.key").string();
  ASSERT_TRUE(Ed25519Key::load_or_create(path));
  ::chmod(path.c_str(), 0640);
  const auto refused = Ed25519Key::load_or_create(path);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("chmod 600"), std::string::npos) << refused.error().message;
  ::chmod(path.c_str(), 0604);
  EXPECT_FALSE(Ed25519Key::load_or_create(path));
}

TEST(Ed25519KeyFile, ASymbolicLinkOrGarbageIsRefused) {
  testing::TempDir dir;
  const auto target = dir.path() / "target.key";
  ASSERT_TRUE(Ed25519Key::load_or_create(target.string()));
  const auto link = dir.path() / "link.key";
  std::filesystem::create_symlink(target, link);
  EXPECT_FALSE(Ed25519Key::load_or_create(link.string()));
  // A dangling link is not followed to create a file either.
  const auto dangling = dir.path() / "dangling.key";
  std::filesystem::create_symlink(dir.path() / "nowhere.key", dangling);
  EXPECT_FALSE(Ed25519Key::load_or_create(dangling.string()));
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "nowhere.key"));
  const auto garbage = dir.path() / "garbage.key";
  { std::ofstream(garbage) << "not a key\n"; }
  ::chmod(garbage.c_str(), 0600);
  EXPECT_FALSE(Ed25519Key::load_or_create(garbage.string()));
}

}  // namespace
}  // namespace placement::transparency
