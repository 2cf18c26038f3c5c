// placectl: one command line for every role of the placement ledger. See README.md.

#include <iostream>

#include "clients/placectl/cli.h"
#include "clients/placectl/session.h"

int main(int argc, char** argv) {
  using namespace placement::placectl;
  std::ios::sync_with_stdio(false);
  try {
    Invocation invocation = parse_command_line(argc, argv);
    if (invocation.help) {
      std::cout << *invocation.help;
      return kExitOk;
    }
    Session session(invocation.globals);
    const int code = invocation.command->run(session, invocation.args);
    std::cout.flush();
    return code;
  } catch (const UsageError& error) {
    std::cerr << "placectl: " << error.what() << '\n';
    return kExitUsage;
  }
}
