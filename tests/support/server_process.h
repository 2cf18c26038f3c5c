#pragma once
// Runs the real placementd binary as a child process on 127.0.0.1 with a port the system picks,
// for integration tests. The data folder outlives restarts; the process does not. Unless the
// extra args name one, the server gets a token secret file beside the data folder holding the
// test process's secret (test_tokens.h), so grpc_client.h's helpers authenticate.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <grpcpp/channel.h>
#include <sys/types.h>

namespace placement::testing {

// Path of the placementd binary under test (set by the build).
std::string placementd_path();

class ServerProcess {
 public:
  // data_dir persists across start()/kill()/stop(); server output goes to data_dir/../<name>.log.
  explicit ServerProcess(std::filesystem::path data_dir, std::vector<std::string> extra_args = {});
  ~ServerProcess();  // SIGKILLs a server still running

  // Starts placementd and waits until it serves (its ready file appears). Returns false with the
  // server's output in error() when it exits or is not ready in time.
  bool start();
  // SIGTERM, then waits; returns the exit status (0 for a clean shutdown).
  int stop();
  // SIGKILL, then reaps: a crash with no chance to clean up.
  void kill();
  // Runs placementd to completion with the given args (for start-up failures); returns exit code.
  int run_to_exit(const std::vector<std::string>& args, std::string* output);

  // The binary the next start() runs (default placementd_path()), e.g. a test build of it.
  void set_binary(std::string binary) { binary_ = std::move(binary); }
  // Sends `signal` and waits for the process to end; returns its exit code (128 + signal when
  // killed by one).
  int signal_and_wait(int signal);
  // Sends `signal` (e.g. SIGHUP) and returns at once; false when the server is not running.
  bool send_signal(int signal) const;
  // Waits for the process to end by itself; returns its exit code as signal_and_wait does.
  int wait_for_exit();
  // The exit code when the process has ended (reaping it), nullopt while it runs.
  std::optional<int> poll_exit();

  // Arguments for the next start(), replacing those given to the constructor.
  void set_extra_args(std::vector<std::string> args) { extra_args_ = std::move(args); }

  bool running() const { return pid_ > 0; }
  const std::string& address() const { return address_; }
  const std::string& admin_address() const { return admin_address_; }
  // The dashboard's URL (http://host:port/) when started with --web-listen; empty otherwise.
  const std::string& web_url() const { return web_url_; }
  // The token secret file the server is given (data_dir.token-secret).
  const std::filesystem::path& token_secret_file() const { return token_secret_file_; }
  std::shared_ptr<grpc::Channel> channel() const;
  std::string output() const;  // everything the server wrote to stdout/stderr so far
  const std::string& error() const { return error_; }

 private:
  pid_t spawn(const std::vector<std::string>& args, const std::filesystem::path& output_file);

  std::string binary_ = placementd_path();
  std::filesystem::path data_dir_;
  std::filesystem::path log_file_;
  std::filesystem::path ready_file_;
  std::filesystem::path token_secret_file_;
  std::vector<std::string> extra_args_;
  pid_t pid_ = -1;
  std::string address_;
  std::string admin_address_;
  std::string web_url_;
  std::string error_;
};

}  // namespace placement::testing
