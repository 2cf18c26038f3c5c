#include "services/files/secret_file.h"

#include <sys/stat.h>

#include <fstream>
#include <iterator>

#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"

namespace placement::files {
namespace {

namespace fs = std::filesystem;

std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

mode_t mode_of(const fs::path& path) {
  struct stat info {};
  EXPECT_EQ(::lstat(path.c_str(), &info), 0) << path;
  return info.st_mode & 07777;
}

std::vector<std::string> names_in(const fs::path& folder) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(folder)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// Sets the umask for one scope.
struct Umask {
  explicit Umask(mode_t mask) : old(::umask(mask)) {}
  ~Umask() { ::umask(old); }
  mode_t old;
};

TEST(SecretFile, IsCreatedOwnerOnlyWhateverTheUmaskAndLeavesNoTemporaryFile) {
  testing::TempDir dir;
  Umask permissive(0);
  const auto path = dir.path() / "data.pseudonym-key";
  ASSERT_TRUE(create_secret_file(path, "0123456789abcdef", "pseudonym key file"));
  EXPECT_EQ(mode_of(path), 0600u);
  EXPECT_EQ(read_all(path), "0123456789abcdef");
  EXPECT_EQ(names_in(dir.path()), std::vector<std::string>{"data.pseudonym-key"});
  const auto read = read_secret_file(path, "pseudonym key file");
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read.value(), "0123456789abcdef");
}

TEST(SecretFile, NeverWritesThroughALinkPlantedAtTheOldPredictableTemporaryName) {
  testing::TempDir dir;
  const auto path = dir.path() / "data.token-secret";
  const auto victim = dir.path() / "victim";
  std::ofstream(victim) << "precious";
  fs::create_symlink(victim, path.string() + ".tmp");
  ASSERT_TRUE(create_secret_file(path, "secret", "token secret file"));
  EXPECT_EQ(read_all(victim), "precious") << "written through the planted link";
  EXPECT_FALSE(fs::is_symlink(path));
  EXPECT_EQ(read_all(path), "secret");
}

TEST(SecretFile, NeverReplacesAnythingAtItsNameNorFollowsALinkThere) {
  testing::TempDir dir;
  const auto path = dir.path() / "key";
  const auto victim = dir.path() / "victim";
  std::ofstream(victim) << "precious";
  fs::create_symlink(victim, path);
  const auto created = create_secret_file(path, "secret", "key file");
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().code, Errc::already_exists);
  EXPECT_EQ(read_all(victim), "precious");
  EXPECT_TRUE(fs::is_symlink(path));
  EXPECT_EQ(names_in(dir.path()), (std::vector<std::string>{"key", "victim"})) << "a temporary file was left";

  const auto file = dir.path() / "existing";
  std::ofstream(file) << "old";
  EXPECT_EQ(create_secret_file(file, "new", "key file").error().code, Errc::already_exists);
  EXPECT_EQ(read_all(file), "old");
}

TEST(SecretFile, ReadingRefusesAFileGroupOrOthersMayReadOrWriteAndALink) {
  testing::TempDir dir;
  const auto path = dir.path() / "key";
  ASSERT_TRUE(create_secret_file(path, "secret", "signing key file"));
  for (mode_t mode : {0640, 0604, 0620, 0602, 0644}) {
    ASSERT_EQ(::chmod(path.c_str(), mode), 0);
    const auto read = read_secret_file(path, "signing key file");
    ASSERT_FALSE(read) << std::oct << mode;
    EXPECT_EQ(read.error().code, Errc::failed_precondition);
    EXPECT_EQ(read.error().message,
              "signing key file " + path.string() + ": is readable or writable by group or others; chmod 600 it");
  }
  ASSERT_EQ(::chmod(path.c_str(), 0400), 0);
  EXPECT_TRUE(read_secret_file(path, "signing key file"));
  const auto link = dir.path() / "link";
  fs::create_symlink(path, link);
  EXPECT_EQ(read_secret_file(link, "key file").error().code, Errc::failed_precondition);
  EXPECT_EQ(read_secret_file(dir.path() / "missing", "key file").error().code, Errc::not_found);
  EXPECT_EQ(check_secret_file(dir.path(), "key file").error().code, Errc::failed_precondition);
}

TEST(PrivateFolder, IsCreatedOwnerOnlyAndTightenedWhenWider) {
  testing::TempDir dir;
  Umask permissive(0);
  const auto folder = dir.path() / "a" / "data";
  auto made = make_private_folder(folder, "data folder");
  ASSERT_TRUE(made) << made.error().message;
  EXPECT_FALSE(made.value());
  EXPECT_EQ(mode_of(folder), 0700u);
  ASSERT_EQ(::chmod(folder.c_str(), 0755), 0);
  made = make_private_folder(folder, "data folder");
  ASSERT_TRUE(made);
  EXPECT_TRUE(made.value()) << "a wider folder is reported as tightened";
  EXPECT_EQ(mode_of(folder), 0700u);
  const auto link = dir.path() / "link";
  fs::create_symlink(folder, link);
  EXPECT_EQ(make_private_folder(link, "data folder").error().code, Errc::failed_precondition);
  std::ofstream(dir.path() / "file") << "x";
  EXPECT_EQ(make_private_folder(dir.path() / "file", "data folder").error().code, Errc::failed_precondition);
}

}  // namespace
}  // namespace placement::files
