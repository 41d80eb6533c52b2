#include "web/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace urna::web {

namespace {

constexpr int kLabelWidth = 200;  // left column for the answer's name
constexpr int kBarArea = 340;     // longest bar
constexpr int kValueWidth = 80;   // room for the value after a bar
constexpr int kRow = 28;
constexpr int kBarHeight = 18;

// Long labels are cut (the full text stays in the table next to the chart
// and in the bar's <title>).
std::string shorten(const std::string& s, size_t max_chars) {
  size_t chars = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && ++chars > max_chars)
      return s.substr(0, i) + "…";
  }
  return s;
}

}  // namespace

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

std::string bar_chart_svg(const std::vector<Bar>& bars, const std::string& title) {
  if (bars.empty()) return "";
  double max = 0;
  for (const auto& b : bars) max = std::max(max, b.value);
  const int width = kLabelWidth + kBarArea + kValueWidth;
  const int height = kRow * static_cast<int>(bars.size()) + 4;
  const std::string t = xml_escape(title);
  std::string out;
  out += "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart bars\" role=\"img\" width=\"" +
         std::to_string(width) + "\" height=\"" + std::to_string(height) + "\" viewBox=\"0 0 " +
         std::to_string(width) + " " + std::to_string(height) + "\" aria-label=\"" + t + "\">";
  out += "<title>" + t + "</title>";
  int y = 2;
  for (const auto& b : bars) {
    const double v = std::max(0.0, b.value);
    const int len = max > 0 ? static_cast<int>(std::lround(v / max * kBarArea)) : 0;
    const std::string label = xml_escape(b.label);
    const std::string value = format_number(v);
    const int text_y = y + kBarHeight - 4;
    out += "<g class=\"bar" + std::string(b.highlight ? " winner" : "") + "\">";
    out += "<title>" + label + ": " + value + "</title>";
    out += "<text x=\"" + std::to_string(kLabelWidth - 8) + "\" y=\"" + std::to_string(text_y) +
           "\" text-anchor=\"end\" font-size=\"13\">" + xml_escape(shorten(b.label, 28)) +
           "</text>";
    out += "<rect x=\"" + std::to_string(kLabelWidth) + "\" y=\"" + std::to_string(y) +
           "\" width=\"" + std::to_string(len) + "\" height=\"" + std::to_string(kBarHeight) +
           "\" fill=\"" + (b.highlight ? "#2e7d32" : "#6b8fb5") + "\"/>";
    out += "<text x=\"" + std::to_string(kLabelWidth + len + 6) + "\" y=\"" +
           std::to_string(text_y) + "\" font-size=\"13\">" + value + "</text>";
    out += "</g>";
    y += kRow;
  }
  out += "</svg>";
  return out;
}

}  // namespace urna::web
