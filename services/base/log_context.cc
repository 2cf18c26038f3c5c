#include "services/base/log_context.h"

namespace placement {
namespace {

thread_local std::string_view current;

}  // namespace

CommandLogScope::CommandLogScope(std::string_view command_id) : previous_(current) { current = command_id; }

CommandLogScope::~CommandLogScope() { current = previous_; }

std::string_view current_command_id() { return current; }

}  // namespace placement
