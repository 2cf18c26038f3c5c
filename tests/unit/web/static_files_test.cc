// services/web/static_files: the page and Debian's Chart.js are in the binary, byte for byte.

#include "services/web/static_files.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace placement::web {
namespace {

TEST(StaticFiles, RootIsTheDanishIndexPage) {
  const StaticFile* index = find_static_file("/");
  ASSERT_NE(index, nullptr);
  EXPECT_EQ(index->content_type, "text/html; charset=utf-8");
  EXPECT_NE(index->bytes.find("<html lang=\"da\">"), std::string_view::npos);
  EXPECT_EQ(find_static_file("/index.html"), index);
}

TEST(StaticFiles, ChartJsIsDebiansFileAsBuilt) {
  const StaticFile* chart = find_static_file("/chart.js");
  ASSERT_NE(chart, nullptr);
  std::ifstream in(PLACEMENT_CHART_JS, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  ASSERT_FALSE(bytes.str().empty());
  EXPECT_EQ(chart->bytes, bytes.str());
}

TEST(StaticFiles, UnknownPathsAndTraversalFindNothing) {
  EXPECT_EQ(find_static_file("/nope.js"), nullptr);
  EXPECT_EQ(find_static_file("/../CMakeLists.txt"), nullptr);
  EXPECT_EQ(find_static_file(""), nullptr);
}

}  // namespace
}  // namespace placement::web
