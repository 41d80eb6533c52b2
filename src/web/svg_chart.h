// A horizontal bar chart as inline SVG, rendered on the server (the results
// page needs no JavaScript). Every label and the title are XML-escaped here,
// so the returned markup may be emitted unescaped ({{CHART:none}}).
// Pure: no I/O. Thread-safe.
#ifndef URNA_WEB_SVG_CHART_H_
#define URNA_WEB_SVG_CHART_H_

#include <string>
#include <vector>

namespace urna::web {

struct Bar {
  std::string label;
  double value = 0;        // >= 0; negative is drawn as 0
  bool highlight = false;  // a winner: drawn in the accent colour
};

// `title` is the chart's accessible name (<title> and aria-label). Bars
// are drawn in the given order, lengths proportional to the largest value
// (all zero: no bar drawn, values still written). Values are written as
// whole numbers when they are whole, else with two decimals. An empty
// `bars` gives an empty string.
std::string bar_chart_svg(const std::vector<Bar>& bars, const std::string& title);

// &, <, >, " and ' as entities (for SVG text and attributes).
std::string xml_escape(const std::string& s);

// "12" for 12.0, "2.50" for 2.5.
std::string format_number(double v);

}  // namespace urna::web

#endif  // URNA_WEB_SVG_CHART_H_
