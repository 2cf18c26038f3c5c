#include "services/files/backup_root.h"

#include <sys/stat.h>

#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"

namespace placement::files {
namespace {

namespace fs = std::filesystem;

mode_t mode_of(const fs::path& path) {
  struct stat info {};
  EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
  return info.st_mode & 07777;
}

class BackupRootTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(dir_.path() / "data");
    fs::create_directories(dir_.path() / "data.citizen-keys");
    auto root = BackupRoot::open(dir_.path() / "backups", {dir_.path() / "data", dir_.path() / "data.citizen-keys"});
    ASSERT_TRUE(root) << root.error().message;
    root_ = std::make_unique<BackupRoot>(std::move(root).value());
  }

  testing::TempDir dir_;
  std::unique_ptr<BackupRoot> root_;
};

TEST_F(BackupRootTest, TheRootIsMadeOwnerOnlyAndDestinationsBelowItAreCreatedOwnerOnly) {
  EXPECT_EQ(mode_of(dir_.path() / "backups"), 0700u);
  auto nightly = root_->destination("nightly/2031");
  ASSERT_TRUE(nightly) << nightly.error().message;
  EXPECT_EQ(nightly.value(), fs::canonical(dir_.path() / "backups" / "nightly" / "2031"));
  EXPECT_EQ(mode_of(nightly.value()), 0700u);
  EXPECT_EQ(mode_of(dir_.path() / "backups" / "nightly"), 0700u);
  auto absolute = root_->destination((dir_.path() / "backups" / "weekly").string());
  ASSERT_TRUE(absolute) << absolute.error().message;
  EXPECT_EQ(mode_of(absolute.value()), 0700u);
  EXPECT_TRUE(root_->destination((dir_.path() / "backups").string())) << "the root itself";
}

TEST_F(BackupRootTest, RefusesEverythingOutsideTheRoot) {
  for (const std::string& requested :
       {std::string(), (dir_.path() / "elsewhere").string(), (dir_.path() / "data").string(),
        (dir_.path() / "data.citizen-keys" / "b").string(), std::string("../data"), std::string("nightly/../../data"),
        (dir_.path() / "backups" / ".." / "data").string(), std::string("/"), std::string("/etc")}) {
    const auto refused = root_->destination(requested);
    ASSERT_FALSE(refused) << requested;
    EXPECT_EQ(refused.error().code, Errc::invalid_argument) << requested;
  }
  EXPECT_FALSE(fs::exists(dir_.path() / "elsewhere"));
  EXPECT_FALSE(fs::exists(dir_.path() / "data.citizen-keys" / "b"));
}

TEST_F(BackupRootTest, ALinkBelowTheRootLeadingOutOfItIsRefused) {
  fs::create_directory_symlink(dir_.path() / "data", dir_.path() / "backups" / "to-data");
  fs::create_directory_symlink(dir_.path(), dir_.path() / "backups" / "up");
  for (const char* requested : {"to-data", "to-data/x", "up/elsewhere"}) {
    const auto refused = root_->destination(requested);
    ASSERT_FALSE(refused) << requested;
    EXPECT_EQ(refused.error().code, Errc::invalid_argument) << requested;
  }
  EXPECT_FALSE(fs::exists(dir_.path() / "data" / "x"));
  EXPECT_FALSE(fs::exists(dir_.path() / "elsewhere"));
}

TEST(BackupRoot, IsRefusedInsideOrAroundTheDataFolderOrTheKeyStoreAndWhenRelative) {
  testing::TempDir dir;
  const std::vector<fs::path> forbidden = {dir.path() / "data", dir.path() / "keys"};
  for (const auto& root : {dir.path() / "data" / "backups", dir.path() / "keys", dir.path(), fs::path("backups")}) {
    const auto refused = BackupRoot::open(root, forbidden);
    ASSERT_FALSE(refused) << root;
    EXPECT_EQ(refused.error().code, Errc::invalid_argument) << root;
  }
  EXPECT_FALSE(fs::exists(dir.path() / "data" / "backups"));
}

}  // namespace
}  // namespace placement::files
