#include "services/domain/commands.h"

#include <type_traits>

namespace placement::domain {

std::string_view command_type_name(const CommandBody& body) {
  return std::visit([](const auto& command) { return std::remove_cvref_t<decltype(command)>::kTypeName; }, body);
}

}  // namespace placement::domain
