// view_envelope must read the same position, type and payload as the generated parser, for every
// envelope the generated parser accepts, and refuse bytes that are not a message.

#include "storage/envelope_view.h"

#include <cstdint>
#include <random>
#include <string>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/stubs/logging.h>
#include <gtest/gtest.h>

#include "placement/v1/envelope.pb.h"

namespace placement::storage {
namespace {

v1::EventEnvelope full_envelope() {
  v1::EventEnvelope envelope;
  envelope.set_position(4'294'967'301);  // beyond 32 bits
  envelope.set_stream_id("placement-p-7");
  envelope.set_stream_version(3);
  envelope.set_event_id("0123456789abcdef0123456789abcdef");
  envelope.set_command_id("command-1");
  envelope.mutable_actor()->set_subject("caseworker@101");
  envelope.mutable_actor()->set_role(v1::ROLE_CASEWORKER);
  envelope.mutable_actor()->set_municipality_code(101);
  envelope.mutable_recorded_at()->set_seconds(1'700'000'000);
  envelope.set_event_type("PlacementAdmitted");
  envelope.set_payload(std::string("\x0a\x03p-7\x00\xff binary", 16));
  envelope.set_prev_hash(std::string(32, '\x5a'));
  return envelope;
}

// Appends one field by hand, to build encodings the generated serialiser never writes.
std::string varint_field(int field, std::uint64_t value) {
  std::string out;
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.WriteTag(static_cast<std::uint32_t>(field << 3));
    coded.WriteVarint64(value);
  }
  return out;
}

std::string delimited_field(int field, std::string_view value) {
  std::string out;
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.WriteTag(static_cast<std::uint32_t>(field << 3 | 2));
    coded.WriteVarint32(static_cast<std::uint32_t>(value.size()));
    coded.WriteRaw(value.data(), static_cast<int>(value.size()));
  }
  return out;
}

void expect_same_as_generated_parser(const std::string& bytes) {
  v1::EventEnvelope parsed;
  ASSERT_TRUE(parsed.ParseFromString(bytes));
  auto view = view_envelope(bytes);
  ASSERT_TRUE(view) << view.error().message;
  EXPECT_EQ(view.value().position, parsed.position());
  EXPECT_EQ(view.value().event_type, parsed.event_type());
  EXPECT_EQ(view.value().payload, parsed.payload());
}

TEST(EnvelopeView, ReadsTheFieldsOfAFullEnvelopeInPlace) {
  const std::string bytes = full_envelope().SerializeAsString();
  expect_same_as_generated_parser(bytes);
  auto view = view_envelope(bytes).value();
  // Views into the bytes, not copies.
  EXPECT_GE(view.payload.data(), bytes.data());
  EXPECT_LE(view.payload.data() + view.payload.size(), bytes.data() + bytes.size());
}

TEST(EnvelopeView, AnEmptyMessageHasTheDefaults) {
  auto view = view_envelope("");
  ASSERT_TRUE(view);
  EXPECT_EQ(view.value().position, 0u);
  EXPECT_TRUE(view.value().event_type.empty());
  EXPECT_TRUE(view.value().payload.empty());
}

TEST(EnvelopeView, AFieldSeenTwiceKeepsItsLastValue) {
  const std::string bytes = varint_field(1, 7) + delimited_field(8, "First") + full_envelope().SerializeAsString() +
                            varint_field(1, 9) + delimited_field(9, "last payload");
  expect_same_as_generated_parser(bytes);
  EXPECT_EQ(view_envelope(bytes).value().position, 9u);
}

TEST(EnvelopeView, UnknownFieldsAndKnownFieldsOfAnotherWireTypeAreSkipped) {
  const std::string bytes = delimited_field(99, "from a newer writer") + varint_field(1234, 5) +
                            full_envelope().SerializeAsString() + delimited_field(1, "position as bytes") +
                            varint_field(8, 3) + varint_field(9, 4);
  expect_same_as_generated_parser(bytes);
  EXPECT_EQ(view_envelope(bytes).value().event_type, "PlacementAdmitted");
}

TEST(EnvelopeView, UnknownGroupsAreSkippedWhole) {
  // Field 50 as a group holding a position-numbered varint, which must not be taken for the position.
  const std::string group = std::string("\x93\x03", 2) + varint_field(1, 77) + std::string("\x94\x03", 2);
  const std::string bytes = full_envelope().SerializeAsString() + group;
  expect_same_as_generated_parser(bytes);
  EXPECT_EQ(view_envelope(bytes).value().position, full_envelope().position());

  const std::string unclosed = full_envelope().SerializeAsString() + std::string("\x93\x03", 2) + varint_field(1, 77);
  const std::string wrongly_closed = unclosed + std::string("\x9c\x03", 2);  // closes field 51
  for (const std::string& broken : {unclosed, wrongly_closed}) {
    v1::EventEnvelope parsed;
    EXPECT_FALSE(parsed.ParseFromString(broken));
    EXPECT_FALSE(view_envelope(broken));
  }
}

TEST(EnvelopeView, BytesThatAreNotAMessageAreDataLoss) {
  const std::string bytes = full_envelope().SerializeAsString();
  for (const std::string& broken : {bytes.substr(0, bytes.size() - 1), std::string("\x00", 1),
                                    std::string("\x4a\x7f", 2), std::string("\x08\xff\xff", 3)}) {
    v1::EventEnvelope parsed;
    EXPECT_FALSE(parsed.ParseFromString(broken));
    auto view = view_envelope(broken);
    ASSERT_FALSE(view);
    EXPECT_EQ(view.error().code, Errc::data_loss);
  }
}

// Random damage to real envelopes: whenever the generated parser accepts the bytes, the view reads
// the same fields. (The other way round is not required: the generated parser also refuses a
// type that is not UTF-8, which the view leaves to the codec.)
TEST(EnvelopeView, AgreesWithTheGeneratedParserOnDamagedEnvelopes) {
  const google::protobuf::LogSilencer quiet;  // the generated parser logs every string that is not UTF-8
  std::mt19937 random(20261130);
  const std::string original = full_envelope().SerializeAsString();
  int accepted = 0;
  for (int round = 0; round < 20'000; ++round) {
    std::string bytes = original;
    const int changes = 1 + static_cast<int>(random() % 3);
    for (int i = 0; i < changes; ++i) {
      const std::size_t at = random() % bytes.size();
      switch (random() % 3) {
        case 0: bytes[at] = static_cast<char>(random()); break;
        case 1: bytes.resize(at); break;
        default: bytes.insert(at, 1, static_cast<char>(random())); break;
      }
      if (bytes.empty()) break;
    }
    v1::EventEnvelope parsed;
    if (!parsed.ParseFromString(bytes)) continue;
    ++accepted;
    auto view = view_envelope(bytes);
    ASSERT_TRUE(view) << "round " << round << ": " << view.error().message;
    ASSERT_EQ(view.value().position, parsed.position()) << "round " << round;
    ASSERT_EQ(view.value().event_type, parsed.event_type()) << "round " << round;
    ASSERT_EQ(view.value().payload, parsed.payload()) << "round " << round;
  }
  EXPECT_GT(accepted, 1000);  // the comparison ran on many envelopes, not a handful
}

}  // namespace
}  // namespace placement::storage
