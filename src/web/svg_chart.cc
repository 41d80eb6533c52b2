#include "web/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "i18n/text.h"

namespace urna::web {

namespace {

// Units of the viewBox. The chart is drawn at the width of its container,
// so these are proportions, not pixels: 400 wide with 14-unit text stays
// readable from a 390 px phone (about 12 px) to the 30rem cap of
// results.css (about 17 px).
constexpr int kWidth = 400;
constexpr int kFont = 14;
constexpr int kLabelLine = 18;  // a label's line above its bar
constexpr int kBarHeight = 18;
constexpr int kRow = kLabelLine + kBarHeight + 12;
constexpr int kBarArea = 260;  // longest bar; the rest holds "1234 · 100.0%"
constexpr int kStackArea = kWidth - 8;
constexpr int kStackHeight = 22;
constexpr int kStackRow = kLabelLine + kStackHeight + 10;
constexpr int kLegendLine = 20;
constexpr double kCharWidth = 8.0;  // a generous average at kFont

const char* const kPalette[] = {"#1f5f99", "#b23c17", "#2e7d32", "#6a3d9a",
                                "#8d5a00", "#00695c", "#ad1457", "#37474f"};

std::string num(int v) { return std::to_string(v); }

std::string svg_open(const std::string& cls, int height, const std::string& title) {
  const std::string t = xml_escape(title);
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart " + cls +
         "\" role=\"img\" viewBox=\"0 0 " + num(kWidth) + " " + num(height) +
         "\" width=\"100%\" preserveAspectRatio=\"xMinYMin meet\" aria-label=\"" + t +
         "\"><title>" + t + "</title>";
}

std::string text(int x, int y, const std::string& s, const std::string& extra = "") {
  return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" font-size=\"" + num(kFont) + "\"" +
         extra + ">" + s + "</text>";
}

std::string id_attr(const std::string& id) {
  return id.empty() ? std::string() : " data-id=\"" + xml_escape(id) + "\"";
}

size_t chars(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace

std::string shorten(const std::string& s, size_t max_chars) {
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && ++n > max_chars)
      return s.substr(0, i) + "…";
  }
  return s;
}

std::string xml_escape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string format_number(double v) {
  char buf[64];
  if (std::isfinite(v) && std::fabs(v - std::round(v)) < 1e-9 && std::fabs(v) < 1e15)
    std::snprintf(buf, sizeof buf, "%.0f", std::round(v));
  else
    std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

const char* series_colour(size_t i) { return kPalette[i % (sizeof kPalette / sizeof kPalette[0])]; }

std::string bar_chart_svg(const std::vector<Bar>& bars, const std::string& title,
                          const ChartText& words) {
  if (bars.empty()) return "";
  double max = 0;
  for (const auto& b : bars) max = std::max(max, b.value);
  const int height = kRow * static_cast<int>(bars.size()) + 4;
  std::string out = svg_open("bars", height, title);
  int y = 2;
  for (const auto& b : bars) {
    const double v = std::max(0.0, b.value);
    const int len = max > 0 ? static_cast<int>(std::lround(v / max * kBarArea)) : 0;
    std::string value = words.number(v);
    if (!b.detail.empty())
      value = i18n::format(words.value_detail, {{"value", value}, {"detail", b.detail}});
    const std::string label = xml_escape(b.label);
    const int bar_y = y + kLabelLine + 2;
    out +=
        "<g class=\"bar" + std::string(b.highlight ? " winner" : "") + "\"" + id_attr(b.id) + ">";
    out += "<title>" +
           xml_escape(i18n::format(words.bar_title, {{"label", b.label}, {"value", value}})) +
           "</title>";
    out += text(0, y + kLabelLine - 4, xml_escape(shorten(b.label, kMaxLabelChars)),
                " class=\"label\"" + std::string(b.highlight ? " font-weight=\"bold\"" : ""));
    out += "<rect x=\"0\" y=\"" + num(bar_y) + "\" width=\"" + num(len) + "\" height=\"" +
           num(kBarHeight) + "\" fill=\"" + (b.highlight ? "#2e7d32" : "#6b8fb5") + "\"/>";
    out += text(len + 6, bar_y + kBarHeight - 4, xml_escape(value), " class=\"value\"");
    out += "</g>";
    y += kRow;
  }
  out += "</svg>";
  return out;
}

std::string stacked_chart_svg(const std::vector<Series>& series, const std::vector<Stack>& stacks,
                              const std::string& title, double marker,
                              const std::string& marker_label, const ChartText& words) {
  if (series.empty() || stacks.empty()) return "";
  auto value = [&](const Stack& s, size_t k) {
    return k < s.values.size() ? std::max(0.0, s.values[k]) : 0.0;
  };
  double max = std::max(0.0, marker);
  for (const auto& s : stacks) {
    double total = 0;
    for (size_t k = 0; k < series.size(); ++k) total += value(s, k);
    max = std::max(max, total);
  }
  auto x_of = [&](double v) {
    return max > 0 ? static_cast<int>(std::lround(v / max * kStackArea)) : 0;
  };
  const int top = marker > 0 ? kLabelLine + 2 : 2;
  const int bars_end = top + kStackRow * static_cast<int>(stacks.size());
  const int height = bars_end + kLegendLine * static_cast<int>(series.size()) + 4;
  std::string out = svg_open("stacked", height, title);
  int y = top;
  for (const auto& s : stacks) {
    out +=
        "<g class=\"stack" + std::string(s.highlight ? " winner" : "") + "\"" + id_attr(s.id) + ">";
    out += text(0, y + kLabelLine - 4, xml_escape(shorten(s.label, kMaxLabelChars)),
                " class=\"label\"" + std::string(s.highlight ? " font-weight=\"bold\"" : ""));
    const int bar_y = y + kLabelLine + 2;
    double from = 0;
    for (size_t k = 0; k < series.size(); ++k) {
      const double v = value(s, k);
      if (v <= 0) continue;
      const int x0 = x_of(from), x1 = x_of(from + v);
      from += v;
      const std::string shown = words.number(v);
      out += "<g class=\"segment\" data-series=\"" + num(static_cast<int>(k)) + "\"><title>" +
             xml_escape(
                 i18n::format(words.segment_title,
                              {{"label", s.label}, {"series", series[k].name}, {"value", shown}})) +
             "</title>";
      out += "<rect x=\"" + num(x0) + "\" y=\"" + num(bar_y) + "\" width=\"" + num(x1 - x0) +
             "\" height=\"" + num(kStackHeight) + "\" fill=\"" + xml_escape(series[k].colour) +
             "\" stroke=\"#fff\" stroke-width=\"1\"/>";
      if (x1 - x0 >= static_cast<int>(kCharWidth * static_cast<double>(chars(shown))) + 8)
        out += text(x0 + 4, bar_y + kStackHeight - 6, xml_escape(shown),
                    " class=\"value\" fill=\"#fff\"");
      out += "</g>";
    }
    out += "</g>";
    y += kStackRow;
  }
  if (marker > 0) {
    const int x = std::min(x_of(marker), kStackArea - 1);
    out += "<g class=\"marker\"><line x1=\"" + num(x) + "\" y1=\"" + num(top - 2) + "\" x2=\"" +
           num(x) + "\" y2=\"" + num(bars_end) +
           "\" stroke=\"#000\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/>";
    const std::string l = xml_escape(marker_label);
    // The label sits left of the line when it would not fit to its right.
    const bool left = x + 4 + kCharWidth * static_cast<double>(chars(marker_label)) > kWidth;
    out += text(left ? x - 4 : x + 4, kLabelLine - 4, l,
                left ? " class=\"value\" text-anchor=\"end\"" : " class=\"value\"");
    out += "</g>";
  }
  y = bars_end;
  out += "<g class=\"legend\">";
  for (size_t k = 0; k < series.size(); ++k) {
    out += "<rect x=\"0\" y=\"" + num(y + 4) + "\" width=\"12\" height=\"12\" fill=\"" +
           xml_escape(series[k].colour) + "\"/>";
    out += text(18, y + 15, xml_escape(shorten(series[k].name, kMaxLabelChars)));
    y += kLegendLine;
  }
  out += "</g></svg>";
  return out;
}

}  // namespace urna::web
