#pragma once
// One CPR number (1 January 1990, sequence 1234) in every spelling a person or a keyboard
// produces, for the tests that check none of them is ever accepted into a stored field, and the
// forms its digits could take in a file or a log line (to search for them).

#include <string>
#include <vector>

namespace placement::testing {

inline const std::vector<std::string>& cpr_spellings() {
  static const std::vector<std::string> spellings = {
      "0101901234",
      "010190-1234",
      "010190 1234",
      "01.01.90-1234",
      "01.01.90 - 1234",
      "01 01 90 12 34",
      "01/01/90-1234",
      "010190\u20131234",                                                    // en dash
      "010190\u20141234",                                                    // em dash
      "010190\u22121234",                                                    // minus sign
      "010190\u20111234",                                                    // non-breaking hyphen
      "010190\u20101234",                                                    // hyphen
      "010190\u00a01234",                                                    // no-break space
      "0101\u200b901234",                                                    // a zero-width space inside
      "\uff10\uff11\uff10\uff11\uff19\uff10\uff0d\uff11\uff12\uff13\uff14",  // full-width digits and dash
      "\u0660\u0661\u0660\u0661\u0669\u0660-\u0661\u0662\u0663\u0664",       // Arabic-Indic digits
      "\u0966\u0967\u0966\u0967\u096f\u0966\u0967\u0968\u0969\u096a",        // Devanagari digits
      "case 010190-1234 closed",
      "ref:0101901234x",
      "2023-0101901234",  // inside a longer run of digits
  };
  return spellings;
}

// What a search of files and logs looks for: the digits, with and without the dash, and the
// full-width and Arabic-Indic forms as UTF-8 (any other spelling holds one of these or was
// normalised away before it could be stored).
inline const std::vector<std::string>& cpr_traces() {
  static const std::vector<std::string> traces = {
      "0101901234",
      "010190-1234",
      "010190 1234",
      "01.01.90",
      "\uff10\uff11\uff10\uff11\uff19\uff10",
      "\u0660\u0661\u0660\u0661\u0669\u0660",
      "\u0966\u0967\u0966\u0967\u096f\u0966",
      "010190\u2013",
      "010190\u2014",
      "010190\u2212",
      "010190\u2011",
      "010190\u2010",
      "010190\u00a0",
      "0101\u200b90",
      "01/01/90",
  };
  return traces;
}

}  // namespace placement::testing
