#pragma once
// One placementd for a test suite, and placectl run against it as the named role.

#include <map>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/program_runner.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace placement::testing {

// The value of a top-level string or number field in one line of placectl --json output.
inline std::string json_field(const std::string& line, const std::string& key) {
  const std::regex pattern("\"" + key + "\":(\"((?:[^\"\\\\]|\\\\.)*)\"|[-0-9a-z]+)");
  std::smatch match;
  if (!std::regex_search(line, match, pattern)) return "";
  return match[2].matched ? match[2].str() : match[1].str();
}

inline bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto end = text.find('\n', start);
    lines.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return lines;
}

// What a failed expectation on a run prints: everything placectl said.
inline std::string described(const ProgramResult& result) {
  return "exit " + std::to_string(result.exit_code) + "\n--- stdout\n" + result.out + "--- stderr\n" + result.err;
}

class PlacectlServer {
 public:
  PlacectlServer() : process_(dir_.path() / "data") {}
  bool start() { return process_.start(); }
  ServerProcess& process() { return process_; }
  const ServerProcess& process() const { return process_; }
  const TempDir& dir() const { return dir_; }

  // placectl --server <this server> --secret-file <its token secret> --as <role> [--municipality M |
  // --operator M] args...: `scope` is the operator code for the role "operator", else the municipality.
  ProgramResult run(const std::string& role, std::vector<std::string> args, std::uint32_t scope = 0) const {
    std::vector<std::string> full = {
        "--server", process_.address(), "--secret-file", process_.token_secret_file().string(), "--as",
        role,       "--subject",        role + "-1"};
    if (scope != 0) {
      full.push_back(role == "operator" ? "--operator" : "--municipality");
      full.push_back(std::to_string(scope));
    }
    full.insert(full.end(), args.begin(), args.end());
    return run_placectl(full);
  }
  ProgramResult admin(std::vector<std::string> args) const { return run("admin", std::move(args)); }
  // The operator of the tests' offers (region 1084 unless told).
  ProgramResult offer_operator(std::vector<std::string> args, std::uint32_t operator_code = 1084) const {
    return run("operator", std::move(args), operator_code);
  }
  ProgramResult auditor(std::vector<std::string> args) const { return run("auditor", std::move(args)); }
  ProgramResult caseworker(std::vector<std::string> args, std::uint32_t municipality = 101) const {
    return run("caseworker", std::move(args), municipality);
  }

 private:
  TempDir dir_;
  ServerProcess process_;
};

}  // namespace placement::testing
