#include "clients/placectl/cli.h"

#include <cstdlib>
#include <sstream>

#include "clients/placectl/commands.h"

namespace placement::placectl {
namespace {

const std::vector<OptionSpec>& global_options() {
  static const std::vector<OptionSpec> options = {
      {"server", "HOST:PORT", "placementd address (env PLACEMENT_SERVER; default 127.0.0.1:50051)"},
      {"token", "TOKEN", "your bearer token, which says who you are (env PLACEMENT_TOKEN)"},
      {"as", "ROLE",
       "on the server's machine instead of --token: act as operator, caseworker, finance, planner, auditor or admin "
       "with a token "
       "minted from --secret-file (env PLACEMENT_ROLE)"},
      {"subject", "NAME",
       "with --as: your user id, recorded on every event you cause (env PLACEMENT_SUBJECT; default $USER)"},
      {"municipality", "CODE",
       "with --as: your municipality code, for caseworkers and finance (env PLACEMENT_MUNICIPALITY)"},
      {"operator", "CODE",
       "with --as operator: your operator code, a region 1081..1085 or a municipality (env PLACEMENT_OPERATOR); "
       "before the command, since `offers register` has an --operator of its own"},
      {"secret-file", "FILE",
       "with --as: the server's token secret file (env PLACEMENT_TOKEN_SECRET_FILE; default ./data.token-secret)"},
      {"tls-ca", "FILE", "TLS: the CA certificate (PEM) that signed the server's certificate (env PLACEMENT_TLS_CA)"},
      {"tls-cert", "FILE", "mutual TLS: your client certificate (PEM) (env PLACEMENT_TLS_CERT)"},
      {"tls-key", "FILE", "mutual TLS: the key of --tls-cert (PEM) (env PLACEMENT_TLS_KEY)"},
      {"json", "", "JSON Lines on stdout: one object per line (a list: one line per row)"},
      {"csv", "", "CSV on stdout: a header line, then one line per row"},
      {"timeout", "SECONDS", "deadline of each call that is not a stream (default 30)"},
      {"help", "", "this help; `placectl COMMAND --help` for one command"},
  };
  return options;
}

const OptionSpec kCommandIdOption{
    "command-id", "ID", "the command's id; a retry with the same id changes nothing (default: a new random id)"};

std::optional<std::string> env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

bool is_global(const std::string& name) {
  for (const auto& option : global_options())
    if (option.name == name) return true;
  return false;
}

// Applies one global option; `value` is ignored for flags.
void apply_global(Globals& globals, const std::string& name, const std::string& value) {
  if (name == "server") globals.server = value;
  else if (name == "token") globals.token = value;
  else if (name == "as") globals.role = value;
  else if (name == "secret-file") globals.secret_file = value;
  else if (name == "tls-ca") globals.tls_ca = value;
  else if (name == "tls-cert") globals.tls_cert = value;
  else if (name == "tls-key") globals.tls_key = value;
  else if (name == "subject") globals.subject = value;
  else if (name == "municipality") globals.municipality = value;
  else if (name == "operator") globals.operator_code = value;
  else if (name == "json") globals.format = Format::json;
  else if (name == "csv") globals.format = Format::csv;
  else if (name == "command-id") globals.command_id = value;
  else if (name == "timeout") {
    char* end = nullptr;
    const long seconds = std::strtol(value.c_str(), &end, 10);
    if (value.empty() || *end != '\0' || seconds <= 0 || seconds > 86400)
      throw UsageError("--timeout takes a number of seconds, 1..86400");
    globals.timeout_seconds = static_cast<int>(seconds);
  }
}

bool takes_value(const std::string& name) {
  for (const auto& option : global_options())
    if (option.name == name) return !option.value_name.empty();
  return false;
}

// "--name=value" or "--name": the name, and the inline value if any.
std::pair<std::string, std::optional<std::string>> split_option(const std::string& token) {
  const std::string body = token.substr(2);
  const auto eq = body.find('=');
  if (eq == std::string::npos) return {body, std::nullopt};
  return {body.substr(0, eq), body.substr(eq + 1)};
}

const OptionSpec* find_option(const CommandSpec& command, const std::string& name) {
  for (const auto& option : command.options)
    if (option.name == name) return &option;
  if (command.writes && name == kCommandIdOption.name) return &kCommandIdOption;
  return nullptr;
}

std::string group_help(const std::string& group) {
  std::ostringstream out;
  out << "usage: placectl " << group << " SUBCOMMAND [options]\n\nsubcommands:\n";
  for (const auto& command : commands())
    if (command.path.rfind(group + " ", 0) == 0) out << "  " << command.path << "  —  " << command.summary << '\n';
  out << "\n`placectl " << group << " SUBCOMMAND --help` shows its options and an example.\n";
  return out.str();
}

std::string usage_line(const CommandSpec& command) {
  std::string line = "placectl " + command.path;
  for (const auto& positional : command.positionals) line += " " + positional;
  for (const auto& option : command.options) {
    std::string text = "--" + option.name + (option.value_name.empty() ? "" : " " + option.value_name);
    line += option.required ? " " + text : " [" + text + "]";
  }
  return line;
}

void write_options(std::ostream& out, const std::vector<OptionSpec>& options) {
  std::size_t width = 0;
  for (const auto& option : options) width = std::max(width, option.name.size() + option.value_name.size() + 3);
  for (const auto& option : options) {
    std::string left = "--" + option.name + (option.value_name.empty() ? "" : " " + option.value_name);
    left.resize(width, ' ');
    out << "  " << left << "  " << option.help << (option.required ? " (required)" : "")
        << (option.repeatable ? " (may repeat)" : "") << '\n';
  }
}

}  // namespace

const std::string& Args::get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end() || it->second.empty()) throw UsageError("--" + name + " is required");
  return it->second.back();
}

std::optional<std::string> Args::find(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

const std::vector<std::string>& Args::all(const std::string& name) const {
  static const std::vector<std::string> none;
  auto it = values_.find(name);
  return it == values_.end() ? none : it->second;
}

const std::vector<CommandSpec>& commands() {
  static const std::vector<CommandSpec> all = [] {
    std::vector<CommandSpec> out;
    for (auto&& group : {placement_commands(), offer_commands(), planning_view_commands(), financing_commands(),
                         planning_admin_commands(), organisation_commands(), audit_commands(), proof_commands(),
                         replay_commands(), demo_commands(), token_commands()})
      out.insert(out.end(), group.begin(), group.end());
    return out;
  }();
  return all;
}

std::string overview_help() {
  std::ostringstream out;
  out << "placectl — one command line for every role of the placement ledger (placementd)\n\n"
         "usage: placectl [global options] COMMAND [arguments] [options]\n";
  std::string who;
  for (const auto& command : commands()) {
    if (command.who != who) {
      who = command.who;
      out << "\n" << who << ":\n";
    }
    std::string left = command.path;
    left.resize(18, ' ');
    out << "  " << left << "  " << command.summary << '\n';
  }
  out << "\nglobal options (before or after the command):\n";
  write_options(out, global_options());
  out << "\nexit codes: 0 ok, 1 the server refused, 2 bad usage, 3 the chain does not verify, 4 cannot reach\n"
         "the server. Example:\n  placectl --token \"$TOKEN\" vacancies --group 1 --level MODERAT --age 30 --date 2031-02-01\n"
         "On the server's machine: placectl --as caseworker --municipality 101 vacancies --group 1 --level MODERAT "
         "--age 30 --date 2031-02-01\n";
  return out.str();
}

std::string command_help(const CommandSpec& command) {
  std::ostringstream out;
  out << "usage: " << usage_line(command) << "\n\n" << command.summary << " (" << command.who << ")\n";
  if (!command.options.empty() || command.writes) {
    out << "\noptions:\n";
    auto options = command.options;
    if (command.writes) options.push_back(kCommandIdOption);
    write_options(out, options);
  }
  out << "\nexample" << (command.examples.size() > 1 ? "s" : "") << ":\n";
  for (const auto& example : command.examples) out << "  " << example << '\n';
  out << "\nGlobal options (--server, --token, --as, --subject, --municipality, --secret-file, --tls-ca, --tls-cert,\n"
         "--tls-key, --json, --csv, --timeout) work here too; `placectl --help` lists them.\n";
  return out.str();
}

Invocation parse_command_line(int argc, const char* const* argv) {
  Invocation invocation;
  Globals& globals = invocation.globals;
  if (auto value = env("PLACEMENT_SERVER")) globals.server = *value;
  if (auto value = env("PLACEMENT_TOKEN")) globals.token = *value;
  if (auto value = env("PLACEMENT_ROLE")) globals.role = *value;
  if (auto value = env("PLACEMENT_TOKEN_SECRET_FILE")) globals.secret_file = *value;
  if (auto value = env("PLACEMENT_TLS_CA")) globals.tls_ca = *value;
  if (auto value = env("PLACEMENT_TLS_CERT")) globals.tls_cert = *value;
  if (auto value = env("PLACEMENT_TLS_KEY")) globals.tls_key = *value;
  if (auto value = env("PLACEMENT_SUBJECT")) globals.subject = *value;
  else if (auto user = env("USER")) globals.subject = *user;
  else globals.subject = "placectl";
  if (auto value = env("PLACEMENT_MUNICIPALITY")) globals.municipality = *value;
  if (auto value = env("PLACEMENT_OPERATOR")) globals.operator_code = *value;

  std::vector<std::string> tokens(argv + 1, argv + argc);
  std::size_t i = 0;
  auto value_after = [&](const std::string& name, const std::optional<std::string>& inline_value) {
    if (inline_value) return *inline_value;
    if (i + 1 >= tokens.size()) throw UsageError("--" + name + " needs a value");
    return tokens[++i];
  };

  // Global options before the command.
  for (; i < tokens.size() && tokens[i].rfind("--", 0) == 0; ++i) {
    auto [name, inline_value] = split_option(tokens[i]);
    if (name == "help") {
      invocation.help = overview_help();
      return invocation;
    }
    if (!is_global(name)) throw UsageError("unknown global option --" + name + " (placectl --help lists them)");
    apply_global(globals, name, takes_value(name) ? value_after(name, inline_value) : "");
  }
  if (i == tokens.size()) throw UsageError("no command given; placectl --help lists them");

  // The command: the longest path of words that names one.
  const CommandSpec* command = nullptr;
  for (const auto& candidate : commands()) {
    const bool two_words = candidate.path.find(' ') != std::string::npos;
    if (two_words) {
      if (i + 1 < tokens.size() && candidate.path == tokens[i] + " " + tokens[i + 1]) command = &candidate;
    } else if (candidate.path == tokens[i] && command == nullptr) {
      command = &candidate;
    }
  }
  if (command == nullptr) {
    bool group = false;
    for (const auto& candidate : commands()) group = group || candidate.path.rfind(tokens[i] + " ", 0) == 0;
    if (group) {
      const bool asked = i + 1 == tokens.size() || tokens[i + 1] == "--help" || tokens[i + 1] == "-h";
      if (asked) {
        invocation.help = group_help(tokens[i]);
        return invocation;
      }
      throw UsageError("unknown command: " + tokens[i] + " " + tokens[i + 1] + "\n" + group_help(tokens[i]));
    }
    throw UsageError("unknown command: " + tokens[i] + " (placectl --help lists the commands)");
  }
  i += command->path.find(' ') == std::string::npos ? 1 : 2;
  invocation.command = command;

  // The command's arguments; its own options win over global ones of the same name.
  for (; i < tokens.size(); ++i) {
    const std::string& token = tokens[i];
    if (token == "--help" || token == "-h") {
      invocation.help = command_help(*command);
      return invocation;
    }
    if (token.rfind("--", 0) != 0 || token.size() == 2) {
      invocation.args.positionals_.push_back(token);
      continue;
    }
    auto [name, inline_value] = split_option(token);
    if (const OptionSpec* option = find_option(*command, name)) {
      const std::string value = option->value_name.empty() ? "" : value_after(name, inline_value);
      auto& values = invocation.args.values_[name];
      if (!values.empty() && !option->repeatable) throw UsageError("--" + name + " is given twice");
      values.push_back(value);
      if (name == kCommandIdOption.name) globals.command_id = value;
    } else if (is_global(name)) {
      apply_global(globals, name, takes_value(name) ? value_after(name, inline_value) : "");
    } else {
      throw UsageError(command->path + " has no option --" + name + "\n\n" + command_help(*command));
    }
  }
  const auto& positionals = invocation.args.positionals_;
  if (positionals.size() < command->positionals.size())
    throw UsageError(command->path + " needs " + command->positionals[positionals.size()] + "\n\n" +
                     "usage: " + usage_line(*command));
  if (positionals.size() > command->positionals.size())
    // The value is not echoed: it could be a CPR number typed in the wrong place.
    throw UsageError(command->path + ": unexpected argument number " + std::to_string(command->positionals.size() + 1) +
                     "\n\nusage: " + usage_line(*command));
  for (const auto& option : command->options)
    if (option.required && !invocation.args.has(option.name))
      throw UsageError(command->path + " needs --" + option.name + "\n\nusage: " + usage_line(*command));
  return invocation;
}

}  // namespace placement::placectl
