// web::bar_chart_svg and web::stacked_chart_svg: escaped labels, bars and
// segments proportional, the order kept, a scalable viewBox with no fixed
// pixel width, long labels cut with the full text kept in <title>, the
// number format.
#define BOOST_TEST_MODULE svg_chart
#include "web/svg_chart.h"

#include <boost/test/unit_test.hpp>
#include <regex>

using namespace urna::web;

namespace {

std::vector<int> widths(const std::string& svg, const std::string& fill = "") {
  std::vector<int> out;
  std::regex re("<rect x=\"\\d+\" y=\"\\d+\" width=\"(\\d+)\" height=\"\\d+\" fill=\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), re); it != std::sregex_iterator();
       ++it)
    if (fill.empty() || (*it)[2] == fill) out.push_back(std::stoi((*it)[1]));
  return out;
}

std::vector<std::string> ids(const std::string& svg) {
  std::vector<std::string> out;
  std::regex re("data-id=\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), re); it != std::sregex_iterator();
       ++it)
    out.push_back((*it)[1]);
  return out;
}

Bar bar(const std::string& label, double value, bool highlight = false, const std::string& id = "",
        const std::string& detail = "") {
  return Bar{label, value, highlight, id, detail};
}

Stack stack(const std::string& label, const std::vector<double>& values, bool highlight = false,
            const std::string& id = "") {
  return Stack{label, values, highlight, id};
}

// The opening <svg ...> tag.
std::string svg_tag(const std::string& svg) { return svg.substr(0, svg.find('>') + 1); }

void check_scalable(const std::string& svg) {
  const std::string tag = svg_tag(svg);
  BOOST_TEST_INFO(tag);
  BOOST_TEST(std::regex_search(tag, std::regex("viewBox=\"0 0 \\d+ \\d+\"")));
  BOOST_TEST(tag.find("width=\"100%\"") != std::string::npos);
  // No width or height in pixels (the chart was 620 px wide and cut its
  // numbers off on a phone).
  BOOST_TEST(!std::regex_search(tag, std::regex(" (width|height)=\"\\d+(px)?\"")));
  BOOST_TEST(tag.find("role=\"img\"") != std::string::npos);
}

}  // namespace

BOOST_AUTO_TEST_CASE(escapes_labels_and_title) {
  std::string svg = bar_chart_svg({bar("<script>alert(1)</script>", 3, false, "a\"b", "<i>"),
                                   bar("Tom & \"Jerry\" 'x'", 1, true)},
                                  "Q <1> & more");
  BOOST_TEST(svg.find("<script>") == std::string::npos);
  BOOST_TEST(svg.find("<i>") == std::string::npos);
  BOOST_TEST(svg.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  BOOST_TEST(svg.find("Tom &amp; &quot;Jerry&quot; &#39;x&#39;") != std::string::npos);
  BOOST_TEST(svg.find("data-id=\"a&quot;b\"") != std::string::npos);
  BOOST_TEST(svg.find("aria-label=\"Q &lt;1&gt; &amp; more\"") != std::string::npos);
  BOOST_TEST(svg.find("<title>Q &lt;1&gt; &amp; more</title>") != std::string::npos);
  BOOST_TEST(svg.rfind("<svg ", 0) == 0u);
  BOOST_TEST(svg.substr(svg.size() - 6) == "</svg>");
}

BOOST_AUTO_TEST_CASE(bars_are_proportional_in_the_given_order) {
  std::string svg = bar_chart_svg(
      {bar("a", 10, true, "a", "62.5%"), bar("b", 5, false, "b"), bar("c", 0, false, "c")}, "t");
  BOOST_TEST((widths(svg) == std::vector<int>{260, 130, 0}));
  BOOST_TEST((ids(svg) == std::vector<std::string>{"a", "b", "c"}));
  BOOST_TEST(svg.find("class=\"bar winner\" data-id=\"a\"") != std::string::npos);
  BOOST_TEST(svg.find(">10 · 62.5%</text>") != std::string::npos);
  BOOST_TEST(svg.find(">5</text>") != std::string::npos);
  BOOST_TEST(svg.find("<title>a: 10 · 62.5%</title>") != std::string::npos);
  check_scalable(svg);
}

BOOST_AUTO_TEST_CASE(every_number_stays_inside_the_view_box) {
  // The longest bar with the longest value text ends within the width.
  std::string svg = bar_chart_svg({bar("a", 123456, true, "", "100.0%")}, "t");
  std::smatch m;
  const std::string s = svg;
  BOOST_REQUIRE(std::regex_search(s, m, std::regex("viewBox=\"0 0 (\\d+) ")));
  const int width = std::stoi(m[1]);
  BOOST_REQUIRE(
      std::regex_search(s, m, std::regex("<text x=\"(\\d+)\"[^>]*class=\"value\">([^<]*)<")));
  const int x = std::stoi(m[1]);
  const int text_chars = static_cast<int>(std::string(m[2]).size());  // ASCII but "·" (2 bytes)
  BOOST_TEST(x + 8 * text_chars <= width + 8);
}

BOOST_AUTO_TEST_CASE(edge_cases) {
  BOOST_TEST(bar_chart_svg({}, "t") == "");
  std::string zero = bar_chart_svg({bar("a", 0), bar("b", 0)}, "t");
  BOOST_TEST((widths(zero) == std::vector<int>{0, 0}));
  std::string neg = bar_chart_svg({bar("a", -3), bar("b", 2)}, "t");
  BOOST_TEST((widths(neg) == std::vector<int>{0, 260}));
  // A long label is cut in the text but kept whole in the bar's title; a
  // label on its own line above the bar has the whole width.
  std::string long_label(60, 'x');
  std::string svg = bar_chart_svg({bar(long_label, 1)}, "t");
  BOOST_TEST(svg.find("<title>" + long_label + ": 1</title>") != std::string::npos);
  BOOST_TEST(svg.find(">" + std::string(kMaxLabelChars, 'x') + "…</text>") != std::string::npos);
  BOOST_TEST(svg.find("<text x=\"0\"") != std::string::npos);
  // Cut by characters, not bytes: a multi-byte letter is never split.
  std::string accents;
  for (int i = 0; i < 50; ++i) accents += "é";
  BOOST_TEST(shorten(accents, 3) == "ééé…");
  BOOST_TEST(shorten("abc", 3) == "abc");
}

BOOST_AUTO_TEST_CASE(stacked_segments_are_proportional_on_one_scale) {
  const std::vector<Series> series{
      {"Ann", "#111111"}, {"Ben", "#222222"}, {"Exhausted", "#333333"}};
  const std::vector<Stack> rounds{stack("Round 1", {4, 3, 1}, false, "1"),
                                  stack("Round 2", {0, 6, 2}, true, "2")};
  std::string svg = stacked_chart_svg(series, rounds, "Rounds", 5, "Quota: 5");
  check_scalable(svg);
  BOOST_TEST((ids(svg) == std::vector<std::string>{"1", "2"}));
  // One scale: the largest total (8) spans 392 units, so 4 -> 196, 3 -> 147.
  BOOST_TEST((widths(svg, "#111111") == std::vector<int>{196, 12}));  // + the legend swatch
  BOOST_TEST((widths(svg, "#222222") == std::vector<int>{147, 294, 12}));
  BOOST_TEST((widths(svg, "#333333") == std::vector<int>{49, 98, 12}));
  // A zero segment is not drawn; a wide one shows its number in white.
  BOOST_TEST(svg.find("<title>Round 2 — Ann: 0</title>") == std::string::npos);
  BOOST_TEST(svg.find("<title>Round 2 — Ben: 6</title>") != std::string::npos);
  BOOST_TEST(svg.find("fill=\"#fff\">6</text>") != std::string::npos);
  // The quota line at 5 of 8: x = 245, and its label.
  BOOST_TEST(svg.find("<line x1=\"245\"") != std::string::npos);
  BOOST_TEST(svg.find(">Quota: 5</text>") != std::string::npos);
  // The legend names every series.
  for (const char* n : {">Ann</text>", ">Ben</text>", ">Exhausted</text>"})
    BOOST_TEST(svg.find(n) != std::string::npos, n);
  BOOST_TEST(svg.find("class=\"stack winner\" data-id=\"2\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(stacked_escapes_and_edge_cases) {
  BOOST_TEST(stacked_chart_svg({}, {stack("a", {1})}, "t") == "");
  BOOST_TEST(stacked_chart_svg({{"s", "#000000"}}, {}, "t") == "");
  std::string svg = stacked_chart_svg({{"<b>", "\"><script>"}}, {stack("<i>x</i>", {1, 7})}, "<t>");
  BOOST_TEST(svg.find("<b>") == std::string::npos);
  BOOST_TEST(svg.find("<i>") == std::string::npos);
  BOOST_TEST(svg.find("<script>") == std::string::npos);
  BOOST_TEST(svg.find("aria-label=\"&lt;t&gt;\"") != std::string::npos);
  // Values beyond the series are ignored; a narrow segment has no number.
  std::string narrow =
      stacked_chart_svg({{"a", "#000001"}, {"b", "#000002"}}, {stack("r", {1000, 1})}, "t");
  BOOST_TEST(narrow.find(">1</text>") == std::string::npos);
  BOOST_TEST(narrow.find(">1000</text>") != std::string::npos);
  BOOST_TEST(narrow.find("<title>r — b: 1</title>") != std::string::npos);
  BOOST_TEST(std::string(series_colour(0)) != std::string(series_colour(1)));
  BOOST_TEST(std::string(series_colour(0)) == std::string(series_colour(8)));
}

BOOST_AUTO_TEST_CASE(numbers) {
  BOOST_TEST(format_number(12) == "12");
  BOOST_TEST(format_number(0) == "0");
  BOOST_TEST(format_number(2.5) == "2.50");
  BOOST_TEST(format_number(1.0 / 3) == "0.33");
  BOOST_TEST(xml_escape("a&b") == "a&amp;b");
}

// The page's language: the number format and the hover titles are the
// caller's (ChartText), composed as whole patterns and escaped after; no
// English of the chart's own is left ("·", ": ", " — " come from the
// patterns).
BOOST_AUTO_TEST_CASE(words_and_numbers_from_the_caller) {
  ChartText es;
  es.number = [](double v) {
    std::string s = format_number(v);
    for (auto& c : s)
      if (c == '.') c = ',';
    return s;
  };
  es.value_detail = "{value} ({detail})";
  es.bar_title = "{value} para {label}";
  es.segment_title = "{series} en «{label}»: {value}";
  std::string bars =
      bar_chart_svg({bar("Sí", 7, true, "yes", "63,6 %"), bar("No <b>", 2.5)}, "Votos", es);
  BOOST_TEST(bars.find(">7 (63,6 %)</text>") != std::string::npos, bars);
  BOOST_TEST(bars.find(">2,50</text>") != std::string::npos, bars);
  BOOST_TEST(bars.find("<title>7 (63,6 %) para Sí</title>") != std::string::npos, bars);
  BOOST_TEST(bars.find("<title>2,50 para No &lt;b&gt;</title>") != std::string::npos, bars);
  BOOST_TEST(bars.find(" · ") == std::string::npos);
  std::string stacked =
      stacked_chart_svg({{"Ana & Ben", "#111111"}, {"Agotadas", "#222222"}},
                        {stack("Vuelta 1", {40.5, 3}, false, "1")}, "Vueltas", 30, "Cuota: 30", es);
  BOOST_TEST(stacked.find("<title>Ana &amp; Ben en «Vuelta 1»: 40,50</title>") != std::string::npos,
             stacked);
  BOOST_TEST(stacked.find(">40,50</text>") != std::string::npos, stacked);
  BOOST_TEST(stacked.find(">Cuota: 30</text>") != std::string::npos, stacked);
  BOOST_TEST(stacked.find(" — ") == std::string::npos);
  // The defaults are the English ones.
  std::string en = bar_chart_svg({bar("Yes", 7, true, "", "63.6%")}, "t");
  BOOST_TEST(en.find("<title>Yes: 7 · 63.6%</title>") != std::string::npos, en);
}
