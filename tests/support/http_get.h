#pragma once
// A blocking HTTP/1.1 GET for tests of the admin endpoint.

#include <string>

namespace placement::testing {

struct HttpResponse {
  int status = 0;  // 0 when the request could not be made
  std::string body;
  std::string content_type;
};

// `authorization`, when not empty, is sent as the Authorization header.
HttpResponse http_get(const std::string& host_port, const std::string& target, const std::string& authorization = "");

}  // namespace placement::testing
