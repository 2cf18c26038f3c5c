#include "services/placementd/logging.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "services/base/log_context.h"

namespace placement::placementd {
namespace {

void append_json_escaped(std::string_view text, spdlog::memory_buf_t& dest) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      dest.push_back('\\');
      dest.push_back(c);
    } else if (u < 0x20) {
      const char escaped[] = {'\\', 'u', '0', '0', kHex[u >> 4], kHex[u & 0xf]};
      dest.append(escaped, escaped + sizeof escaped);
    } else {
      dest.push_back(c);
    }
  }
}

void append(std::string_view text, spdlog::memory_buf_t& dest) { dest.append(text.data(), text.data() + text.size()); }

// %j: the message, escaped for a JSON string.
class JsonEscapedMessage final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
    append_json_escaped(std::string_view(msg.payload.data(), msg.payload.size()), dest);
  }
  std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<JsonEscapedMessage>(); }
};

// %c: `,"command_id":"<id>"` inside a command's scope (log_context.h), nothing outside one.
class JsonCommandId final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg&, const std::tm&, spdlog::memory_buf_t& dest) override {
    const std::string_view id = current_command_id();
    if (id.empty()) return;
    append(",\"command_id\":\"", dest);
    append_json_escaped(id, dest);
    dest.push_back('"');
  }
  std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<JsonCommandId>(); }
};

// %C: ` [command <id>]` inside a command's scope, nothing outside one.
class TextCommandId final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg&, const std::tm&, spdlog::memory_buf_t& dest) override {
    const std::string_view id = current_command_id();
    if (id.empty()) return;
    append(" [command ", dest);
    append(id, dest);
    dest.push_back(']');
  }
  std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<TextCommandId>(); }
};

}  // namespace

Status setup_logging(LogFormat format, const std::string& level) {
  const auto parsed = spdlog::level::from_str(level);
  if (parsed == spdlog::level::off && level != "off")
    return fail(Errc::invalid_argument, "--log-level must be one of trace, debug, info, warn, error, off");
  auto logger = spdlog::stderr_logger_mt("placementd");
  auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
  if (format == LogFormat::json) {
    formatter->add_flag<JsonEscapedMessage>('j').add_flag<JsonCommandId>('c').set_pattern(
        R"({"time":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l","thread":%t%c,"msg":"%j"})");
  } else {
    formatter->add_flag<TextCommandId>('C').set_pattern("%Y-%m-%dT%H:%M:%S.%fZ %l%C %v");
  }
  logger->set_formatter(std::move(formatter));
  logger->set_level(parsed);
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(std::move(logger));
  return ok();
}

}  // namespace placement::placementd
