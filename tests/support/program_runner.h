#pragma once
// Runs a program (placectl, python3) to completion as a child process for integration tests and
// captures what it wrote and how it exited. The child's environment is the test's, without any
// PLACEMENT_* variable, plus the ones given, so a developer's shell cannot change a test's result.

#include <map>
#include <string>
#include <vector>

namespace placement::testing {

struct ProgramResult {
  int exit_code = -1;  // 128 + signal when killed by one
  std::string out;
  std::string err;
};

ProgramResult run_program(const std::string& binary, const std::vector<std::string>& args,
                          const std::map<std::string, std::string>& environment = {});

// Path of the placectl binary under test (set by the build: PLACECTL_PATH).
std::string placectl_path();

inline ProgramResult run_placectl(const std::vector<std::string>& args,
                                  const std::map<std::string, std::string>& environment = {}) {
  return run_program(placectl_path(), args, environment);
}

}  // namespace placement::testing
