# PLACEMENT_FUZZ=ON builds the libFuzzer targets under tests/fuzz (clang only, see scripts/fuzz).
# Every library is then compiled with coverage feedback and ASan + UBSan, so the fuzzer sees into
# the code it drives and any undefined behaviour stops the run instead of scrolling past.
option(PLACEMENT_FUZZ "Build the libFuzzer targets under tests/fuzz (needs clang)" OFF)
if(PLACEMENT_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "PLACEMENT_FUZZ needs clang: configure with -DCMAKE_CXX_COMPILER=clang++-14")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
