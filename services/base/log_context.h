#pragma once
// The command a thread is working on, for the logs. While a CommandLogScope lives, every line this
// thread logs names the command id (JSON logs: a "command_id" field; text logs: "[command <id>]"),
// so an operator can follow one command from its arrival to its answer by grepping one id.
// Scopes nest (the inner one wins until it ends). Lines logged outside any scope carry no id.

#include <string_view>

namespace placement {

class CommandLogScope {
 public:
  // command_id must outlive the scope.
  explicit CommandLogScope(std::string_view command_id);
  ~CommandLogScope();
  CommandLogScope(const CommandLogScope&) = delete;
  CommandLogScope& operator=(const CommandLogScope&) = delete;

 private:
  std::string_view previous_;
};

// The id of the innermost live scope on this thread; empty when none.
std::string_view current_command_id();

}  // namespace placement
