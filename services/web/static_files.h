#pragma once
// The dashboard's static files (HTML, JavaScript, CSS and Debian's Chart.js), embedded in the
// binary at build time (embed_files.cmake): the server reads nothing from disk to serve them.

#include <span>
#include <string_view>

namespace placement::web {

struct StaticFile {
  std::string_view path;  // the URL path, e.g. "/app.js"
  std::string_view content_type;
  std::string_view bytes;
};

// Every embedded file (generated).
std::span<const StaticFile> embedded_files();

// The file served at `path` ("/" is "/index.html"), or null.
const StaticFile* find_static_file(std::string_view path);

}  // namespace placement::web
