#pragma once
// The command line: global options, the command table and its help, parsing of one command's
// options. Bad usage is reported as UsageError, which main turns into exit code 2; it never
// leaves placectl.

#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "clients/placectl/output.h"

namespace placement::placectl {

// Exit codes a script can rely on (README.md).
enum ExitCode : int {
  kExitOk = 0,
  kExitRefused = 1,       // the server answered with an error status
  kExitUsage = 2,         // the command line is wrong; nothing was sent
  kExitVerifyFailed = 3,  // the hash chain does not verify
  kExitUnreachable = 4,   // no answer from the server
};

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Options that every command accepts, before or after the command name.
struct Globals {
  std::string server = "127.0.0.1:50051";
  // Who you are: a bearer token, or (on the server's machine) a role to mint one for with the
  // server's token secret file.
  std::optional<std::string> token;
  std::string role;  // operator | caseworker | finance | planner | auditor | admin
  std::string subject;
  std::optional<std::string> municipality;        // the caller's municipality (caseworkers, finance)
  std::optional<std::string> operator_code;       // the caller's operator code (operators)
  std::string secret_file = "data.token-secret";  // the quick start's, beside ./data
  // TLS: the CA that signed the server's certificate; a client certificate and key for mutual TLS.
  std::optional<std::string> tls_ca;
  std::optional<std::string> tls_cert;
  std::optional<std::string> tls_key;
  Format format = Format::table;
  std::optional<std::string> command_id;
  int timeout_seconds = 30;
};

struct OptionSpec {
  std::string name;        // without the leading dashes
  std::string value_name;  // empty for a flag
  std::string help;
  bool required = false;
  bool repeatable = false;
};

class Args;
class Session;

struct CommandSpec {
  std::string path;  // "vacancies", "offers register", "audit verify"
  std::string who;   // the role that calls it, for the overview
  std::string summary;
  std::vector<std::string> positionals;  // required positional arguments, e.g. {"ID"}
  std::vector<OptionSpec> options;
  std::vector<std::string> examples;
  bool writes = false;  // accepts --command-id
  std::function<int(Session&, const Args&)> run;
};

// One command's parsed arguments.
class Args {
 public:
  const std::string& positional(std::size_t index) const { return positionals_.at(index); }
  bool has(const std::string& name) const { return values_.contains(name); }
  // The option's value; UsageError when it is missing (required options are checked at parse time).
  const std::string& get(const std::string& name) const;
  std::optional<std::string> find(const std::string& name) const;
  const std::vector<std::string>& all(const std::string& name) const;

  std::vector<std::string> positionals_;
  std::map<std::string, std::vector<std::string>> values_;
};

// Every command, in the order of the overview.
const std::vector<CommandSpec>& commands();

// What main needs to run: the command and its arguments, or a help text to print.
struct Invocation {
  Globals globals;
  const CommandSpec* command = nullptr;
  Args args;
  std::optional<std::string> help;  // print this and exit 0
};

// Parses argv with environment defaults (PLACEMENT_SERVER, PLACEMENT_TOKEN, PLACEMENT_ROLE,
// PLACEMENT_SUBJECT, PLACEMENT_MUNICIPALITY, PLACEMENT_TOKEN_SECRET_FILE, PLACEMENT_TLS_CA,
// PLACEMENT_TLS_CERT, PLACEMENT_TLS_KEY). Throws UsageError.
Invocation parse_command_line(int argc, const char* const* argv);

std::string overview_help();
std::string command_help(const CommandSpec& command);

}  // namespace placement::placectl
