#include "services/base/result.h"

namespace placement {

std::string_view to_string(Errc code) {
  switch (code) {
    case Errc::invalid_argument: return "invalid argument";
    case Errc::failed_precondition: return "failed precondition";
    case Errc::conflict: return "conflict";
    case Errc::already_exists: return "already exists";
    case Errc::not_found: return "not found";
    case Errc::permission_denied: return "permission denied";
    case Errc::unauthenticated: return "unauthenticated";
    case Errc::unavailable: return "unavailable";
    case Errc::internal: return "internal";
    case Errc::data_loss: return "data loss";
    case Errc::deadline_exceeded: return "deadline exceeded";
    case Errc::out_of_range: return "out of range";
  }
  return "unknown";
}

}  // namespace placement
