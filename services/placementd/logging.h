#pragma once
// Process-wide logging setup: one line per record on stderr, as text or as JSON objects.
// Log lines never carry CPR numbers, tokens or secrets: callers log ids and pseudonyms only.

#include "services/base/result.h"
#include "services/placementd/config.h"

namespace placement::placementd {

Status setup_logging(LogFormat format, const std::string& level);

}  // namespace placement::placementd
