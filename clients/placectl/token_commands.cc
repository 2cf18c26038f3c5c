// `placectl token issue`: mints a bearer token with the server's token secret file, for operators
// handing a token to a person or an integration. Talks to no server. `placectl revoke-token`
// (admins): one token refused from now on, by its jti.

#include <cstdlib>
#include <iostream>

#include "clients/placectl/cli.h"
#include "clients/placectl/commands.h"
#include "clients/placectl/credentials.h"
#include "clients/placectl/session.h"
#include "clients/placectl/values.h"
#include "placement/v1/admin_service.grpc.pb.h"

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

// A code option's value, or 0 when it is not given.
std::uint32_t code_option(const Args& args, const std::string& name, unsigned long max) {
  auto code = args.find(name);
  if (!code) return 0;
  char* end = nullptr;
  const unsigned long value = std::strtoul(code->c_str(), &end, 10);
  if (code->empty() || *end != '\0' || value == 0 || value > max)
    throw UsageError("--" + name + " takes a code, 1.." + std::to_string(max));
  return static_cast<std::uint32_t>(value);
}

int issue(Session& session, const Args& args) {
  const std::string role = args.get("role");
  const std::uint32_t municipality = code_option(args, "municipality", 999);
  const std::uint32_t operator_code = code_option(args, "operator", 1085);
  const bool municipal = role == "caseworker" || role == "finance";
  if (municipal && municipality == 0) throw UsageError("a " + role + "'s token needs --municipality CODE");
  if (!municipal && municipality != 0) throw UsageError("only a caseworker's or finance token names a municipality");
  if (role == "operator" && operator_code == 0) throw UsageError("an operator's token needs --operator CODE");
  if (role != "operator" && operator_code != 0) throw UsageError("only an operator's token names an operator");
  const auto ttl = parse_ttl(args.find("ttl").value_or("8h"));
  const std::string secret_file = args.find("secret-file").value_or(session.globals().secret_file);
  // Only the token goes to stdout, so TOKEN=$(placectl token issue …) works.
  session.stdout_stream() << mint_token(secret_file, role, args.get("subject"), municipality, ttl, operator_code)
                          << '\n';
  return kExitOk;
}

int revoke(Session& session, const Args& args) {
  v1::RevokeTokenRequest request;
  request.set_token_id(args.positional(0));
  v1::RevokeTokenResponse response;
  auto status = v1::AdminService::NewStub(session.channel())->RevokeToken(session.context().get(), request, &response);
  if (!status.ok()) return session.failed("revoke-token", status);
  session.out().single(Record().add("token_id", request.token_id()).add("already_revoked", response.already_revoked()));
  return kExitOk;
}

}  // namespace

std::vector<CommandSpec> token_commands() {
  return {
      {.path = "token issue",
       .who = "operators (on the server's machine)",
       .summary = "print a bearer token signed with the server's token secret",
       .positionals = {},
       .options = {{"role", "ROLE", "operator, caseworker, finance, planner, auditor or admin", true},
                   {"subject", "NAME", "the holder's user id, recorded on every event they cause", true},
                   {"municipality", "CODE", "the municipality code (caseworkers and finance only)"},
                   {"operator", "CODE", "the operator code, a region 1081..1085 or a municipality (operators only)"},
                   {"ttl", "DURATION", "how long it is valid: 90s, 15m, 8h, 7d (default 8h, at most 31d)"},
                   {"secret-file", "FILE", "the server's token secret file (default ./data.token-secret)"}},
       .examples = {"placectl token issue --role caseworker --subject anna --municipality 101 --ttl 8h "
                    "--secret-file /var/lib/placementd/data.token-secret",
                    "placectl token issue --role operator --subject region-h-tilbud --operator 1084 --ttl 8h"},
       .writes = false,
       .run = issue},
      {.path = "revoke-token",
       .who = "admin",
       .summary = "refuse one bearer token from now on, by its id (jti), across restarts",
       .positionals = {"TOKEN_ID"},
       .options = {},
       .examples = {"placectl --as admin revoke-token 3f9c0e7d1a2b4c5d6e7f8091a2b3c4d5"},
       .writes = false,
       .run = revoke},
  };
}

}  // namespace placement::placectl
