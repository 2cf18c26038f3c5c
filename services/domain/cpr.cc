#include "services/domain/cpr.h"

#include <array>
#include <cstdint>
#include <optional>

namespace placement::domain {
namespace {

constexpr std::string_view kFormatMessage = "CPR number must be 10 digits (DDMMYY-SSSS)";

bool is_digit(char c) { return c >= '0' && c <= '9'; }
int digit(char c) { return c - '0'; }

// The birth date of ten ASCII digits, when they start with a valid one.
std::optional<Date> birth_date_of(std::string_view digits) {
  const int day = digit(digits[0]) * 10 + digit(digits[1]);
  const int month = digit(digits[2]) * 10 + digit(digits[3]);
  const int two_digit_year = digit(digits[4]) * 10 + digit(digits[5]);
  const int year = cpr_birth_year(two_digit_year, digit(digits[6]));
  auto birth = make_date(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  if (!birth) return std::nullopt;
  return birth.value();
}

// The digit zero of every run of ten decimal digits in Unicode 14 (category Nd): each run is
// contiguous, zero to nine.
constexpr std::array<char32_t, 66> kDigitZeros = {
    0x30,    0x660,   0x6F0,   0x7C0,   0x966,   0x9E6,   0xA66,   0xAE6,   0xB66,   0xBE6,   0xC66,
    0xCE6,   0xD66,   0xDE6,   0xE50,   0xED0,   0xF20,   0x1040,  0x1090,  0x17E0,  0x1810,  0x1946,
    0x19D0,  0x1A80,  0x1A90,  0x1B50,  0x1BB0,  0x1C40,  0x1C50,  0xA620,  0xA8D0,  0xA900,  0xA9D0,
    0xA9F0,  0xAA50,  0xABF0,  0xFF10,  0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0,
    0x11450, 0x114D0, 0x11650, 0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x16A60,
    0x16AC0, 0x16B50, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0};

// The value of a digit in any script, or -1.
int digit_value(char32_t c) {
  for (char32_t zero : kDigitZeros)
    if (c >= zero && c < zero + 10) return static_cast<int>(c - zero);
  if (c == 0xB9) return 1;  // superscripts ¹ ² ³ stand apart from ⁰ ⁴…⁹
  if (c == 0xB2) return 2;
  if (c == 0xB3) return 3;
  if (c == 0x2070 || (c >= 0x2074 && c <= 0x2079)) return static_cast<int>(c - 0x2070);
  if (c >= 0x2080 && c <= 0x2089) return static_cast<int>(c - 0x2080);  // subscripts
  return -1;
}

// Characters skipped between the digits of a number: how people and keyboards separate groups.
constexpr char32_t kSeparators[] = {
    // white space (and the ranges in is_separator)
    0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000,
    // invisible: soft hyphen, Mongolian vowel separator, zero-width space and joiners, word joiner,
    // byte order mark, combining keycap
    0xAD, 0x180E, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x20E3,
    // dots
    0x2E, 0xB7, 0x2024, 0x2027, 0x2219, 0x22C5, 0x3002, 0x30FB, 0xFE52, 0xFF0E, 0xFF61,
    // slashes and underscores
    0x2F, 0x5C, 0x2044, 0x2215, 0xFF0F, 0x5F, 0xFF3F,
    // dashes: hyphen-minus, Armenian hyphen, maqaf, Canadian syllabics hyphen, Mongolian hyphen,
    // modifier minus, hyphen bullet, super- and subscript minus, minus sign, heavy minus, double
    // oblique hyphen, hyphen with diaeresis, two- and three-em dash, double hyphen, wave dash, wavy
    // dash, double hyphen (katakana), presentation em and en dash, small em dash, small and
    // full-width hyphen-minus, Yezidi hyphen
    0x2D, 0x58A, 0x5BE, 0x1400, 0x1806, 0x2D7, 0x2043, 0x207B, 0x208B, 0x2212, 0x2796, 0x2E17, 0x2E1A, 0x2E3A, 0x2E3B,
    0x2E40, 0x301C, 0x3030, 0x30A0, 0xFE31, 0xFE32, 0xFE58, 0xFE63, 0xFF0D, 0x10EAD};

bool is_separator(char32_t c) {
  for (char32_t separator : kSeparators)
    if (c == separator) return true;
  if (c >= 0x2000 && c <= 0x200A) return true;  // en quad … hair space
  if (c >= 0x2010 && c <= 0x2015) return true;  // hyphen, non-breaking hyphen, figure, en, em dash, bar
  if (c >= 0xFE00 && c <= 0xFE0F) return true;  // variation selectors
  return false;
}

// Decodes one UTF-8 code point at `at`, advancing it; a malformed sequence yields U+FFFD and one byte.
char32_t next_code_point(std::string_view text, std::size_t& at) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(at);
  std::size_t length = 0;
  char32_t c = 0;
  if (lead < 0x80) {
    ++at;
    return lead;
  }
  if (lead >= 0xC2 && lead <= 0xDF) length = 2, c = lead & 0x1F;
  else if (lead >= 0xE0 && lead <= 0xEF) length = 3, c = lead & 0x0F;
  else if (lead >= 0xF0 && lead <= 0xF4) length = 4, c = lead & 0x07;
  if (length == 0 || at + length > text.size()) {
    ++at;
    return 0xFFFD;
  }
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(at + i) & 0xC0) != 0x80) {
      ++at;
      return 0xFFFD;
    }
    c = (c << 6) | (byte(at + i) & 0x3F);
  }
  at += length;
  return c;
}

bool run_holds_cpr_number(std::string_view digits) {
  for (std::size_t start = 0; start + 10 <= digits.size(); ++start)
    if (birth_date_of(digits.substr(start, 10))) return true;
  return false;
}

}  // namespace

int cpr_birth_year(int two_digit_year, int seventh_digit) {
  if (seventh_digit <= 3) return 1900 + two_digit_year;
  if (seventh_digit == 4 || seventh_digit == 9) return (two_digit_year <= 36 ? 2000 : 1900) + two_digit_year;
  return (two_digit_year <= 57 ? 2000 : 1800) + two_digit_year;
}

Result<CprNumber> parse_cpr(std::string_view text) {
  std::string digits;
  if (text.size() == 11) {
    if (text[6] != '-') return fail(Errc::invalid_argument, std::string(kFormatMessage));
    digits.append(text.substr(0, 6)).append(text.substr(7));
  } else if (text.size() == 10) {
    digits.assign(text);
  } else {
    return fail(Errc::invalid_argument, std::string(kFormatMessage));
  }
  for (char c : digits) {
    if (!is_digit(c)) return fail(Errc::invalid_argument, std::string(kFormatMessage));
  }
  const auto birth = birth_date_of(digits);
  if (!birth) return fail(Errc::invalid_argument, "CPR number does not start with a valid birth date (DDMMYY)");
  return CprNumber{std::move(digits), *birth};
}

bool holds_cpr_number(std::string_view text) {
  std::string run;  // the digits of the current run, as ASCII
  for (std::size_t at = 0; at < text.size();) {
    const char32_t c = next_code_point(text, at);
    if (const int value = digit_value(c); value >= 0) {
      run.push_back(static_cast<char>('0' + value));
    } else if (!is_separator(c)) {
      if (run_holds_cpr_number(run)) return true;
      run.clear();
    }
  }
  return run_holds_cpr_number(run);
}

int age_on(Date birth, Date on) {
  int age = on.year() - birth.year();
  const unsigned birth_month = birth.month();
  const unsigned birth_day = birth.day();
  const unsigned month = on.month();
  const unsigned day = on.day();
  if (month < birth_month || (month == birth_month && day < birth_day)) --age;
  return age;
}

}  // namespace placement::domain
