#include "services/web/static_files.h"

namespace placement::web {

const StaticFile* find_static_file(std::string_view path) {
  if (path == "/") path = "/index.html";
  for (const auto& file : embedded_files())
    if (file.path == path) return &file;
  return nullptr;
}

}  // namespace placement::web
