#pragma once
// Encoding and decoding for a std::variant of event structs, each alternative stored as its own
// protobuf message named by a stable type name. The decoder table is generated from the variant
// itself, so an alternative without a to_message / from_message pair does not compile.
//
// Traits supplies, for the variant V:
//   static std::string_view name(const V&);                    stable type name
//   template <class E> static auto to(const E&);               E → its protobuf message
//   template <class M> static auto from(const M&);             message → Result<E>

#include <array>
#include <climits>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "services/base/result.h"
#include "storage/event_log.h"

namespace placement::codec::detail {

template <class V, class Traits> class VariantCodec {
 public:
  static storage::NewEvent encode(const V& event) {
    return std::visit(
        [&event](const auto& e) {
          return storage::NewEvent{std::string(Traits::name(event)), Traits::to(e).SerializeAsString()};
        },
        event);
  }

  static bool knows(std::string_view type) {
    for (const auto& decoder : decoders())
      if (decoder.type == type) return true;
    return false;
  }

  // An unknown type is refused with the message unknown_type(type) returns, which each caller
  // words. It is called only then: building it for every event would cost a replay an
  // allocation per event.
  template <class DescribeUnknown>
  static Result<V> decode(std::string_view type, std::string_view payload, DescribeUnknown&& unknown_type) {
    V event;
    PLACEMENT_TRY(decode_into(type, payload, event, unknown_type));
    return event;
  }

  // The same, into `out` (whatever it held is replaced; on failure it is unspecified). For a
  // caller that keeps events where they will be used: every move of an event copies the bytes of
  // its short strings, and a replay decodes millions.
  template <class DescribeUnknown>
  static Status decode_into(std::string_view type, std::string_view payload, V& out, DescribeUnknown&& unknown_type) {
    for (const auto& decoder : decoders())
      if (decoder.type == type) return decoder.decode_into(type, payload, out);
    return fail(Errc::data_loss, unknown_type(type));
  }

 private:
  template <class E> using MessageOf = decltype(Traits::to(std::declval<const E&>()));

  template <class E> static Status decode_as(std::string_view type, std::string_view payload, V& out) {
    // One message per type and thread, parsed into again and again: its strings keep their
    // buffers, so parsing allocates less than into a fresh message, which allocates every string
    // and frees it again (a replay decodes millions of events). Parsing clears the message
    // first, so nothing of the previous event is left.
    thread_local MessageOf<E> message;
    if (payload.size() > static_cast<std::size_t>(INT_MAX) ||
        !message.ParseFromArray(payload.data(), static_cast<int>(payload.size()))) {
      return fail(Errc::data_loss,
                  "stored event " + std::string(type) + " does not parse as " + message.GetDescriptor()->full_name());
    }
    auto event = Traits::from(message);
    if (!event) {
      return fail(Errc::data_loss, "stored event " + std::string(type) +
                                       " holds a value this build cannot read: " + event.error().message);
    }
    out.template emplace<E>(std::move(event).value());
    return ok();
  }

  struct Decoder {
    std::string_view type;
    Status (*decode_into)(std::string_view type, std::string_view payload, V& out);
  };

  template <std::size_t... I> static std::array<Decoder, sizeof...(I)> make_decoders(std::index_sequence<I...>) {
    return {Decoder{Traits::name(V(std::in_place_index<I>)), &decode_as<std::variant_alternative_t<I, V>>}...};
  }

  static const std::array<Decoder, std::variant_size_v<V>>& decoders() {
    static const auto table = make_decoders(std::make_index_sequence<std::variant_size_v<V>>{});
    return table;
  }
};

}  // namespace placement::codec::detail
