#pragma once
// A folder under the system temp dir that lives as long as the object. Its name is random
// letters, no digits: a path is sent in requests (backup destinations), and every request string
// is screened for CPR numbers, which a run of random digits can spell.

#include <filesystem>
#include <random>
#include <string>

namespace placement::testing {

class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    std::string name = "placement-test-";
    for (int i = 0; i < 16; ++i) name.push_back(static_cast<char>('a' + rd() % 26));
    path_ = std::filesystem::temp_directory_path() / name;
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string str() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace placement::testing
