# Every target links placement_warnings: warnings are errors, everywhere, from day one.
add_library(placement_warnings INTERFACE)
target_compile_options(placement_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Werror -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Woverloaded-virtual -Wimplicit-fallthrough)
# GCC 12 reports -Wrestrict inside libstdc++'s own std::string concatenation once inlined at -O3
# (GCC bug 105329, fixed in 13): a false positive in the library, not in our code, which would
# otherwise fail every Release build (bench/run_all builds Release).
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(placement_warnings INTERFACE -Wno-restrict)
endif()

# Include paths are rooted at the repository root: #include "storage/event_log.h".
add_library(placement_root_include INTERFACE)
target_include_directories(placement_root_include INTERFACE ${PROJECT_SOURCE_DIR})

if(PLACEMENT_SANITIZE)
  string(REPLACE "," ";" _sanitizers "${PLACEMENT_SANITIZE}")
  foreach(_s IN LISTS _sanitizers)
    add_compile_options(-fsanitize=${_s})
    add_link_options(-fsanitize=${_s})
  endforeach()
  add_compile_options(-fno-omit-frame-pointer)
endif()
