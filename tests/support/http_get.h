#pragma once
// A blocking HTTP/1.1 GET for tests of the admin endpoint.

#include <string>

namespace placement::testing {

struct HttpResponse {
  int status = 0;  // 0 when the request could not be made
  std::string body;
};

HttpResponse http_get(const std::string& host_port, const std::string& target);

}  // namespace placement::testing
