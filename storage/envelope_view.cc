#include "storage/envelope_view.h"

#include <string>

#include "placement/v1/envelope.pb.h"

namespace placement::storage {
namespace {

// The protobuf wire format, as far as an envelope needs it. Hand-written rather than through
// protobuf's CodedInputStream, whose per-message set-up and out-of-line field skipping cost more
// than the rest of the scan.
enum WireType : std::uint32_t {
  varint = 0,
  fixed64 = 1,
  length_delimited = 2,
  start_group = 3,
  end_group = 4,
  fixed32 = 5
};

// Nesting of unknown groups the reader follows, as protobuf's default recursion limit.
constexpr int kMaxGroupDepth = 100;

class WireReader {
 public:
  explicit WireReader(std::string_view bytes) : next_(bytes.data()), end_(bytes.data() + bytes.size()) {}

  bool at_end() const { return next_ == end_; }

  // At most 10 bytes; bits beyond 64 are dropped, as protobuf does.
  bool read_varint(std::uint64_t& value) {
    value = 0;
    for (int shift = 0; shift < 70 && next_ != end_; shift += 7) {
      const auto byte = static_cast<std::uint8_t>(*next_++);
      value |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return true;
    }
    return false;
  }

  // A tag: a varint that fits 32 bits, with a field number above 0.
  bool read_tag(std::uint32_t& tag) {
    std::uint64_t value = 0;
    if (!read_varint(value) || value > 0xffffffffu || (value >> 3) == 0) return false;
    tag = static_cast<std::uint32_t>(value);
    return true;
  }

  bool read_delimited(std::string_view& contents) {
    std::uint64_t length = 0;
    if (!read_varint(length) || length > static_cast<std::uint64_t>(end_ - next_)) return false;
    contents = std::string_view(next_, static_cast<std::size_t>(length));
    next_ += length;
    return true;
  }

  // Moves past the field whose tag was just read.
  bool skip_field(std::uint32_t tag, int depth = 0) {
    std::uint64_t ignored = 0;
    std::string_view contents;
    switch (tag & 7) {
      case varint: return read_varint(ignored);
      case fixed64: return skip_bytes(8);
      case length_delimited: return read_delimited(contents);
      case fixed32: return skip_bytes(4);
      case start_group: return skip_group(tag >> 3, depth + 1);
      default: return false;  // an end-group without its start, or an undefined wire type
    }
  }

 private:
  bool skip_bytes(std::size_t count) {
    if (count > static_cast<std::size_t>(end_ - next_)) return false;
    next_ += count;
    return true;
  }

  bool skip_group(std::uint32_t field, int depth) {
    if (depth > kMaxGroupDepth) return false;
    for (;;) {
      std::uint32_t tag = 0;
      if (!read_tag(tag)) return false;
      if ((tag & 7) == end_group) return (tag >> 3) == field;
      if (!skip_field(tag, depth)) return false;
    }
  }

  const char* next_;
  const char* end_;
};

constexpr std::uint32_t tag_of(int field, WireType type) { return static_cast<std::uint32_t>(field) << 3 | type; }

constexpr std::uint32_t kPositionTag = tag_of(v1::EventEnvelope::kPositionFieldNumber, varint);
constexpr std::uint32_t kEventTypeTag = tag_of(v1::EventEnvelope::kEventTypeFieldNumber, length_delimited);
constexpr std::uint32_t kPayloadTag = tag_of(v1::EventEnvelope::kPayloadFieldNumber, length_delimited);

}  // namespace

Result<EnvelopeView> view_envelope(std::string_view bytes) {
  WireReader reader(bytes);
  EnvelopeView view;
  while (!reader.at_end()) {
    std::uint32_t tag = 0;
    if (!reader.read_tag(tag)) return fail(Errc::data_loss, "envelope does not parse: invalid tag");
    bool read = false;
    switch (tag) {
      case kPositionTag: read = reader.read_varint(view.position); break;
      case kEventTypeTag: read = reader.read_delimited(view.event_type); break;
      case kPayloadTag: read = reader.read_delimited(view.payload); break;
      // Every other field, and a known field with another wire type, as the generated parser does.
      default: read = reader.skip_field(tag); break;
    }
    if (!read)
      return fail(Errc::data_loss,
                  "envelope does not parse: field " + std::to_string(tag >> 3) + " is truncated or invalid");
  }
  return view;
}

}  // namespace placement::storage
