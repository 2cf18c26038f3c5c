// `placectl token issue`: mints a bearer token with the server's token secret file, for operators
// handing a token to a person or an integration. Talks to no server.

#include <cstdlib>
#include <iostream>

#include "clients/placectl/cli.h"
#include "clients/placectl/commands.h"
#include "clients/placectl/credentials.h"
#include "clients/placectl/session.h"

namespace placement::placectl {
namespace {

// "90s", "15m", "8h", "7d", or plain seconds.
std::chrono::seconds parse_ttl(const std::string& text) {
  char* end = nullptr;
  const long long count = std::strtoll(text.c_str(), &end, 10);
  const std::string unit(end);
  long long seconds = -1;
  if (unit.empty() || unit == "s") seconds = count;
  else if (unit == "m") seconds = count * 60;
  else if (unit == "h") seconds = count * 3600;
  else if (unit == "d") seconds = count * 86400;
  if (text.empty() || end == text.c_str() || count <= 0 || seconds <= 0 || seconds > 31LL * 86400)
    throw UsageError("--ttl takes a duration such as 90s, 15m, 8h or 7d, at most 31d");
  return std::chrono::seconds(seconds);
}

int issue(Session& session, const Args& args) {
  const std::string role = args.get("role");
  std::uint32_t municipality = 0;
  if (auto code = args.find("municipality")) {
    char* end = nullptr;
    const unsigned long value = std::strtoul(code->c_str(), &end, 10);
    if (code->empty() || *end != '\0' || value == 0 || value > 999)
      throw UsageError("--municipality takes a municipality code, 1..999");
    municipality = static_cast<std::uint32_t>(value);
  }
  if (role == "caseworker" && municipality == 0) throw UsageError("a caseworker's token needs --municipality CODE");
  if (role != "caseworker" && municipality != 0) throw UsageError("only a caseworker's token names a municipality");
  const auto ttl = parse_ttl(args.find("ttl").value_or("8h"));
  const std::string secret_file = args.find("secret-file").value_or(session.globals().secret_file);
  // Only the token goes to stdout, so TOKEN=$(placectl token issue …) works.
  session.stdout_stream() << mint_token(secret_file, role, args.get("subject"), municipality, ttl) << '\n';
  return kExitOk;
}

}  // namespace

std::vector<CommandSpec> token_commands() {
  return {
      {.path = "token issue",
       .who = "operators (on the server's machine)",
       .summary = "print a bearer token signed with the server's token secret",
       .positionals = {},
       .options = {{"role", "ROLE", "caseworker, planner, auditor or admin", true},
                   {"subject", "NAME", "the holder's user id, recorded on every event they cause", true},
                   {"municipality", "CODE", "the caseworker's municipality code (caseworkers only)"},
                   {"ttl", "DURATION", "how long it is valid: 90s, 15m, 8h, 7d (default 8h, at most 31d)"},
                   {"secret-file", "FILE", "the server's token secret file (default ./data.token-secret)"}},
       .examples = {"placectl token issue --role caseworker --subject anna --municipality 101 --ttl 8h "
                    "--secret-file /var/lib/placementd/data.token-secret"},
       .writes = false,
       .run = issue},
  };
}

}  // namespace placement::placectl
