#include "tests/support/program_runner.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

extern char** environ;

namespace placement::testing {
namespace {

std::string read_and_remove(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  in.close();
  std::error_code ec;
  std::filesystem::remove(file, ec);
  return text.str();
}

}  // namespace

std::string placectl_path() { return PLACECTL_PATH; }

ProgramResult run_program(const std::string& binary, const std::vector<std::string>& args,
                          const std::map<std::string, std::string>& environment) {
  std::random_device random;
  const auto stem = std::filesystem::temp_directory_path() /
                    ("placement-run-" + std::to_string(getpid()) + "-" + std::to_string(random()));
  const std::string out_file = stem.string() + ".out";
  const std::string err_file = stem.string() + ".err";

  std::vector<std::string> env_strings;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string text = *entry;
    const std::string name = text.substr(0, text.find('='));
    if (name.rfind("PLACEMENT_", 0) == 0 || environment.contains(name)) continue;
    env_strings.push_back(text);
  }
  for (const auto& [name, value] : environment) env_strings.push_back(name + "=" + value);
  std::vector<char*> envp;
  for (auto& entry : env_strings) envp.push_back(entry.data());
  envp.push_back(nullptr);

  std::vector<std::string> owned = args;
  std::string program = binary;
  std::vector<char*> argv = {program.data()};
  for (auto& arg : owned) argv.push_back(arg.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  ProgramResult result;
  if (rc != 0) {
    result.err = "cannot spawn " + binary + ": " + std::strerror(rc);
    return result;
  }
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = read_and_remove(out_file);
  result.err = read_and_remove(err_file);
  return result;
}

}  // namespace placement::testing
