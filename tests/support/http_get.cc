#include "tests/support/http_get.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace placement::testing {

HttpResponse http_get(const std::string& host_port, const std::string& target, const std::string& authorization) {
  namespace http = boost::beast::http;
  const auto colon = host_port.rfind(':');
  boost::asio::io_context context;
  boost::asio::ip::tcp::resolver resolver(context);
  boost::beast::tcp_stream stream(context);
  boost::beast::error_code error;
  auto endpoints = resolver.resolve(host_port.substr(0, colon), host_port.substr(colon + 1), error);
  if (error) return {};
  stream.expires_after(std::chrono::seconds(10));
  stream.connect(endpoints, error);
  if (error) return {};
  http::request<http::empty_body> request(http::verb::get, target, 11);
  request.set(http::field::host, host_port);
  if (!authorization.empty()) request.set(http::field::authorization, authorization);
  http::write(stream, request, error);
  if (error) return {};
  boost::beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(stream, buffer, response, error);
  if (error && error != http::error::end_of_stream) return {};
  return HttpResponse{static_cast<int>(response.result_int()), response.body(),
                      std::string(response[http::field::content_type])};
}

}  // namespace placement::testing
