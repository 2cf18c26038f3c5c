// Files and folders of the real placementd (docs/SECURITY.md, "Files"): whatever the umask it is
// started with, the data folder and the key store are 0700 and every file in them is its user's
// alone; the secrets it makes are 0600 and never written through a link planted at a temporary
// name; a key file that group or others may read is refused at start with what to do.

#include <sys/stat.h>

#include <fstream>
#include <iterator>

#include <gtest/gtest.h>

#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace placement {
namespace {

namespace fs = std::filesystem;

mode_t mode_of(const fs::path& path) {
  struct stat info {};
  EXPECT_EQ(::lstat(path.c_str(), &info), 0) << path;
  return info.st_mode & 07777;
}

std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// The umask of the test process, which the server inherits, for one scope.
struct Umask {
  explicit Umask(mode_t mask) : old(::umask(mask)) {}
  ~Umask() { ::umask(old); }
  mode_t old;
};

TEST(FileModes, DataFolderKeyStoreAndSecretsAreOwnerOnlyUnderAPermissiveUmask) {
  testing::TempDir dir;
  Umask permissive(0);
  const auto secret = dir.path() / "made.token-secret";  // made by the server, not the test
  testing::ServerProcess server(dir.path() / "data", {"--token-secret-file", secret.string()});
  ASSERT_TRUE(server.start()) << server.error();
  ASSERT_EQ(server.stop(), 0);
  EXPECT_EQ(mode_of(dir.path() / "data"), 0700u);
  EXPECT_EQ(mode_of(dir.path() / "data.citizen-keys"), 0700u);
  for (const auto& file : {secret, dir.path() / "data.pseudonym-key", dir.path() / "data.checkpoint-key"})
    EXPECT_EQ(mode_of(file), 0600u) << file;
  for (const auto& folder : {dir.path() / "data", dir.path() / "data.citizen-keys"})
    for (const auto& entry : fs::recursive_directory_iterator(folder))
      EXPECT_EQ(mode_of(entry.path()) & 077, 0u) << entry.path() << " is open to group or others";
  for (const auto& entry : fs::directory_iterator(dir.path()))
    EXPECT_NE(entry.path().extension(), ".tmp") << "a temporary file was left: " << entry.path();
}

TEST(FileModes, AWiderDataFolderIsMadeOwnerOnlyAtStart) {
  testing::TempDir dir;
  testing::ServerProcess server(dir.path() / "data");
  ASSERT_TRUE(server.start()) << server.error();
  ASSERT_EQ(server.stop(), 0);
  ASSERT_EQ(::chmod((dir.path() / "data").c_str(), 0755), 0);
  ASSERT_EQ(::chmod((dir.path() / "data.citizen-keys").c_str(), 0755), 0);
  ASSERT_TRUE(server.start()) << server.error();
  EXPECT_EQ(mode_of(dir.path() / "data"), 0700u);
  EXPECT_EQ(mode_of(dir.path() / "data.citizen-keys"), 0700u);
  ASSERT_EQ(server.stop(), 0);
  EXPECT_NE(server.output().find("made it 0700"), std::string::npos) << server.output();
}

TEST(FileModes, SecretsAreNeverWrittenThroughALinkPlantedAtTheOldTemporaryName) {
  testing::TempDir dir;
  const auto victim = dir.path() / "victim";
  std::ofstream(victim) << "precious";
  const auto secret = dir.path() / "made.token-secret";
  for (const auto& file : {secret, dir.path() / "data.pseudonym-key", dir.path() / "data.checkpoint-key"})
    fs::create_symlink(victim, file.string() + ".tmp");
  testing::ServerProcess server(dir.path() / "data", {"--token-secret-file", secret.string()});
  ASSERT_TRUE(server.start()) << server.error();
  ASSERT_EQ(server.stop(), 0);
  EXPECT_EQ(read_all(victim), "precious") << "a secret was written through a planted link";
  for (const auto& file : {secret, dir.path() / "data.pseudonym-key", dir.path() / "data.checkpoint-key"}) {
    EXPECT_FALSE(fs::is_symlink(file)) << file;
    EXPECT_EQ(mode_of(file), 0600u) << file;
  }
}

TEST(FileModes, AKeyFileGroupOrOthersMayReadIsRefusedAtStart) {
  testing::TempDir dir;
  const auto secret = dir.path() / "made.token-secret";
  testing::ServerProcess server(dir.path() / "data", {"--token-secret-file", secret.string()});
  ASSERT_TRUE(server.start()) << server.error();
  ASSERT_EQ(server.stop(), 0);
  for (const auto& file : {secret, dir.path() / "data.pseudonym-key", dir.path() / "data.checkpoint-key"}) {
    for (mode_t mode : {0640, 0604}) {
      SCOPED_TRACE(file.string() + " " + std::to_string(mode));
      ASSERT_EQ(::chmod(file.c_str(), mode), 0);
      std::string output;
      EXPECT_EQ(server.run_to_exit({"--data", (dir.path() / "data").string(), "--listen", "127.0.0.1:0",
                                    "--admin-listen", "", "--token-secret-file", secret.string()},
                                   &output),
                1);
      EXPECT_NE(output.find(file.string() + ": is readable or writable by group or others; chmod 600 it"),
                std::string::npos)
          << output;
    }
    ASSERT_EQ(::chmod(file.c_str(), 0600), 0);
  }
  ASSERT_TRUE(server.start()) << server.error();
  EXPECT_EQ(server.stop(), 0);
}

}  // namespace
}  // namespace placement
