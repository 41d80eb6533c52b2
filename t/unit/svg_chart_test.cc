// web::bar_chart_svg: escaped labels, proportional bars, number format.
#define BOOST_TEST_MODULE svg_chart
#include "web/svg_chart.h"

#include <boost/test/unit_test.hpp>
#include <regex>

using namespace urna::web;

namespace {

std::vector<int> widths(const std::string& svg) {
  std::vector<int> out;
  std::regex re("<rect x=\"\\d+\" y=\"\\d+\" width=\"(\\d+)\"");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), re); it != std::sregex_iterator();
       ++it)
    out.push_back(std::stoi((*it)[1]));
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(escapes_labels_and_title) {
  std::string svg = bar_chart_svg(
      {{"<script>alert(1)</script>", 3, false}, {"Tom & \"Jerry\" 'x'", 1, true}}, "Q <1> & more");
  BOOST_TEST(svg.find("<script>") == std::string::npos);
  BOOST_TEST(svg.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  BOOST_TEST(svg.find("Tom &amp; &quot;Jerry&quot; &#39;x&#39;") != std::string::npos);
  BOOST_TEST(svg.find("aria-label=\"Q &lt;1&gt; &amp; more\"") != std::string::npos);
  BOOST_TEST(svg.find("<title>Q &lt;1&gt; &amp; more</title>") != std::string::npos);
  BOOST_TEST(svg.rfind("<svg ", 0) == 0u);
  BOOST_TEST(svg.substr(svg.size() - 6) == "</svg>");
}

BOOST_AUTO_TEST_CASE(bars_are_proportional) {
  std::string svg = bar_chart_svg({{"a", 10, true}, {"b", 5, false}, {"c", 0, false}}, "t");
  BOOST_TEST((widths(svg) == std::vector<int>{340, 170, 0}));
  BOOST_TEST(svg.find("class=\"bar winner\"") != std::string::npos);
  BOOST_TEST(svg.find(">10</text>") != std::string::npos);
  BOOST_TEST(svg.find(">5</text>") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(edge_cases) {
  BOOST_TEST(bar_chart_svg({}, "t") == "");
  std::string zero = bar_chart_svg({{"a", 0, false}, {"b", 0, false}}, "t");
  BOOST_TEST((widths(zero) == std::vector<int>{0, 0}));
  std::string neg = bar_chart_svg({{"a", -3, false}, {"b", 2, false}}, "t");
  BOOST_TEST((widths(neg) == std::vector<int>{0, 340}));
  // A long label is cut in the text but kept whole in the bar's title.
  std::string long_label(60, 'x');
  std::string svg = bar_chart_svg({{long_label, 1, false}}, "t");
  BOOST_TEST(svg.find("<title>" + long_label + ": 1</title>") != std::string::npos);
  BOOST_TEST(svg.find(std::string(28, 'x') + "…</text>") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(numbers) {
  BOOST_TEST(format_number(12) == "12");
  BOOST_TEST(format_number(0) == "0");
  BOOST_TEST(format_number(2.5) == "2.50");
  BOOST_TEST(format_number(1.0 / 3) == "0.33");
  BOOST_TEST(xml_escape("a&b") == "a&amp;b");
}
