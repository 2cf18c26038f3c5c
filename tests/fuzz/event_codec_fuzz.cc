// libFuzzer target: bytes → the event codec's decoders, as replay and the audit tools meet stored
// payloads. Byte 0 picks the event type name, the rest is the payload.
//
// What it holds the code to: no crash, leak or undefined behaviour on any payload; a refusal is
// data_loss with a message; whatever decodes encodes back to bytes that decode to the same event,
// and applying it to the fixed State never fails (apply is total).

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "services/codec/event_codec.h"
#include "tests/fuzz/fuzz_selectors.h"
#include "tests/fuzz/fuzz_state.h"

namespace placement::fuzz {
namespace {

void check(bool holds) {
  if (!holds) std::abort();
}

void fuzz_one(std::string_view type, std::string_view payload) {
  auto event = codec::decode_event(type, payload);
  if (!event) return check(event.error().code == Errc::data_loss && !event.error().message.empty());
  const storage::NewEvent again = codec::encode_event(event.value());
  auto redecoded = codec::decode_event(again.type, again.payload);
  check(redecoded && redecoded.value() == event.value());
  domain::State state = fixed_state();
  domain::apply(state, event.value());
}

}  // namespace
}  // namespace placement::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto& types = placement::fuzz::kEventTypes;
  placement::fuzz::fuzz_one(types[data[0] % types.size()],
                            std::string_view(reinterpret_cast<const char*>(data + 1), size - 1));
  return 0;
}
