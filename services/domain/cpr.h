#pragma once
// CPR numbers (Danish personal identification numbers), validated at the edge only.
// The domain never stores a CPR number: callers pseudonymise the normalised digits and keep the
// age at the requested start. Error messages never contain the digits.

#include <string>
#include <string_view>

#include "services/base/result.h"
#include "services/domain/dates.h"

namespace placement::domain {

struct CprNumber {
  std::string digits;  // exactly 10 digits, no separator: the input to the keyed pseudonym
  Date birth_date;
};

// Accepts "DDMMYYSSSS" or "DDMMYY-SSSS", nothing else (no spaces). The century comes from the
// 7th digit and YY: 0–3 → 1900s; 4 and 9 → 2000s if YY ≤ 36, else 1900s; 5–8 → 2000s if YY ≤ 57,
// else 1800s. An impossible date is refused; the modulus-11 check is deliberately not applied
// (numbers issued since 2007 can fail it).
Result<CprNumber> parse_cpr(std::string_view text);

// The century rule alone: the full year for a two-digit year and the 7th digit (0..9).
int cpr_birth_year(int two_digit_year, int seventh_digit);

// Whether `text` holds a CPR number in any spelling, so that free text and ids can be refused
// before they are stored or logged. The text is read as UTF-8 (a byte that is not valid UTF-8
// breaks a run of digits). Every decimal digit counts, whatever its script (ASCII, full-width,
// Arabic-Indic, Devanagari, mathematical, …: Unicode category Nd, plus super- and subscript
// digits); separators are skipped wherever they stand: white space of every kind, invisible format
// characters, dots, slashes, underscores and every kind of dash (hyphen, en and em dash, minus
// sign, non-breaking hyphen, …). Any other character ends a run of digits. A run holds a CPR
// number when any 10 consecutive digits of it start with a valid birth date under the century rule
// of parse_cpr ("case 2023-0101901234" is caught; so is "01.01.90 – 1234").
// Deliberately broad: a date and a time written as digits only can match, and is refused too.
bool holds_cpr_number(std::string_view text);

// Age in whole years on a date; a birthday on 29 February counts on 1 March in common years.
// Precondition: on >= birth (otherwise negative values are returned).
int age_on(Date birth, Date on);

}  // namespace placement::domain
