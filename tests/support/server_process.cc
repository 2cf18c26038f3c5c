#include "tests/support/server_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include "tests/support/test_tokens.h"

extern char** environ;

namespace placement::testing {

std::string placementd_path() { return PLACEMENTD_PATH; }

ServerProcess::ServerProcess(std::filesystem::path data_dir, std::vector<std::string> extra_args)
    : data_dir_(std::move(data_dir)),
      log_file_(data_dir_.string() + ".server.log"),
      ready_file_(data_dir_.string() + ".ready"),
      token_secret_file_(data_dir_.string() + ".token-secret"),
      extra_args_(std::move(extra_args)) {}

ServerProcess::~ServerProcess() {
  if (running()) kill();
}

pid_t ServerProcess::spawn(const std::vector<std::string>& args, const std::filesystem::path& output_file) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, output_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  std::vector<char*> argv;
  std::string binary = binary_;
  argv.push_back(binary.data());
  std::vector<std::string> owned = args;
  for (auto& a : owned) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return rc == 0 ? pid : -1;
}

bool ServerProcess::start() {
  std::filesystem::remove(ready_file_);
  std::vector<std::string> args = {"--data",         data_dir_.string(), "--listen",     "127.0.0.1:0",
                                   "--admin-listen", "127.0.0.1:0",      "--ready-file", ready_file_.string()};
  if (std::find(extra_args_.begin(), extra_args_.end(), "--token-secret-file") == extra_args_.end()) {
    write_token_secret_file(token_secret_file_);
    args.insert(args.end(), {"--token-secret-file", token_secret_file_.string()});
  }
  args.insert(args.end(), extra_args_.begin(), extra_args_.end());
  pid_ = spawn(args, log_file_);
  if (pid_ <= 0) {
    error_ = "cannot spawn " + binary_;
    return false;
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream ready(ready_file_);
    if (ready && std::getline(ready, address_) && !address_.empty()) {
      std::getline(ready, admin_address_);
      std::getline(ready, web_url_);
      return true;
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      error_ = "placementd exited before it was ready:\n" + output();
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill();
  error_ = "placementd was not ready within 60 s:\n" + output();
  return false;
}

int ServerProcess::stop() {
  if (!running()) return -1;
  ::kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

bool ServerProcess::send_signal(int signal) const { return running() && ::kill(pid_, signal) == 0; }

int ServerProcess::signal_and_wait(int signal) {
  if (!running()) return -1;
  ::kill(pid_, signal);
  return wait_for_exit();
}

int ServerProcess::wait_for_exit() {
  if (!running()) return -1;
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::optional<int> ServerProcess::poll_exit() {
  if (!running()) return std::nullopt;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) != pid_) return std::nullopt;
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void ServerProcess::kill() {
  if (!running()) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

int ServerProcess::run_to_exit(const std::vector<std::string>& args, std::string* output) {
  const auto file = std::filesystem::path(data_dir_.string() + ".run.log");
  std::filesystem::remove(file);
  const pid_t pid = spawn(args, file);
  if (pid <= 0) return -1;
  int status = 0;
  waitpid(pid, &status, 0);
  if (output) {
    std::ifstream in(file);
    std::ostringstream text;
    text << in.rdbuf();
    *output = text.str();
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::shared_ptr<grpc::Channel> ServerProcess::channel() const {
  return grpc::CreateChannel(address_, grpc::InsecureChannelCredentials());
}

std::string ServerProcess::output() const {
  std::ifstream in(log_file_);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace placement::testing
