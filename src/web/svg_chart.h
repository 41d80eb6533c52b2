// Charts as inline SVG, rendered on the server (the results page needs no
// JavaScript): horizontal bars (one value per answer) and stacked bars
// (several values per row: an IRV/STV round's votes per candidate, or a
// candidate's pairwise wins, ties and losses). Every label, title and
// colour is XML-escaped here, so the returned markup may be emitted
// unescaped ({{CHART:none}}).
//
// The charts scale: a viewBox, width="100%" and no height, so the browser
// draws them at the width of their container (results.css caps it) and
// keeps the proportions; nothing is laid out for a fixed pixel width. Each
// label has a line of its own above its bar, so a long name has the whole
// width (it is cut with "…" beyond kMaxLabelChars; the full text is in the
// bar's <title> and in the table next to the chart). Accessible: role="img"
// with the title as aria-label and <title>; the page shows the same
// numbers in a table.
// Languages: nothing here is English of its own. The titles, labels,
// series names and marker labels are the caller's (results_page.cc passes
// them translated), and so are the number format and the patterns of the
// hover titles (ChartText; its defaults are the English ones).
// Pure: no I/O. Thread-safe.
#ifndef URNA_WEB_SVG_CHART_H_
#define URNA_WEB_SVG_CHART_H_

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace urna::web {

// Longest label drawn whole (in characters, not bytes).
constexpr size_t kMaxLabelChars = 44;

std::string format_number(double v);

// How a chart writes its numbers and composes its hover titles. Patterns
// are whole, with {placeholders} (i18n::format), so that a translation may
// reorder them; values are XML-escaped after composition.
struct ChartText {
  // A value: the page language's format (default: format_number below).
  std::function<std::string(double)> number = format_number;
  // A bar's value with its detail: {value}, {detail}.
  std::string value_detail = "{value} · {detail}";
  // A bar's <title>: {label}, {value} (with its detail).
  std::string bar_title = "{label}: {value}";
  // A segment's <title>: {label} (the stack's), {series}, {value}.
  std::string segment_title = "{label} — {series}: {value}";
};

struct Bar {
  std::string label;
  double value = 0;        // >= 0; negative is drawn as 0
  bool highlight = false;  // a winner: drawn in the accent colour
  std::string id;          // data-id of the bar's group (an answer id); may be empty
  std::string detail;      // written after the value, e.g. "63.6%"; may be empty
};

// `title` is the chart's accessible name (<title> and aria-label). Bars
// are drawn in the given order, lengths proportional to the largest value
// (all zero: no bar drawn, values still written). Values are written with
// text.number (by default whole numbers when they are whole, else with two
// decimals), then with their detail (text.value_detail) when there is one.
// An empty `bars` gives an empty string.
std::string bar_chart_svg(const std::vector<Bar>& bars, const std::string& title,
                          const ChartText& text = {});

// One part of every stacked bar: its name (in the legend and the segments'
// titles) and its colour ("#rrggbb"; series_colour() gives a palette on
// which white numbers are readable).
struct Series {
  std::string name;
  std::string colour;
};

// One stacked bar: `values[k]` is the length of series k's segment.
struct Stack {
  std::string label;
  std::vector<double> values;  // one per series (missing ones are 0; negative as 0)
  bool highlight = false;      // label in bold (a winner)
  std::string id;              // data-id of the stack's group; may be empty
};

// Stacked horizontal bars, one per `stacks` in the given order, segments in
// the order of `series`, all on one scale (the largest total, or `marker`
// if larger). A segment wide enough shows its value inside; each has a
// <title> (text.segment_title: "label — series: value"). With `marker` > 0 a dashed vertical line
// marks that value across the bars, labelled `marker_label` (e.g. a quota). A legend names every
// series below the bars. Empty `stacks` or `series` give an empty string.
std::string stacked_chart_svg(const std::vector<Series>& series, const std::vector<Stack>& stacks,
                              const std::string& title, double marker = 0,
                              const std::string& marker_label = "", const ChartText& text = {});

// The i-th colour of a palette of distinct dark colours (white text on
// each has a contrast of at least 4.5:1); it repeats after eight.
const char* series_colour(size_t i);

// &, <, >, " and ' as entities (for SVG text and attributes).
std::string xml_escape(const std::string& s);

// "12" for 12.0, "2.50" for 2.5 (declared above): the language-neutral
// default of ChartText::number.

// `s` cut to `max_chars` characters (UTF-8 aware) followed by "…", or `s`.
std::string shorten(const std::string& s, size_t max_chars);

}  // namespace urna::web

#endif  // URNA_WEB_SVG_CHART_H_
