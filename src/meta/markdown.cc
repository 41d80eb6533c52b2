#include "meta/markdown.h"

#include <cmark.h>

#include <cstdlib>
#include <memory>

namespace urna::meta {

std::string render_markdown(const std::string &markdown) {
  // No CMARK_OPT_UNSAFE: since cmark 0.29 that means raw HTML is omitted and
  // dangerous URLs are dropped (CMARK_OPT_SAFE is the default, kept explicit).
  const int options =
      CMARK_OPT_DEFAULT | CMARK_OPT_SAFE | CMARK_OPT_VALIDATE_UTF8;
  std::unique_ptr<char, decltype(&std::free)> html(
      cmark_markdown_to_html(markdown.data(), markdown.size(), options),
      &std::free);
  return html ? std::string(html.get()) : std::string();
}

} // namespace urna::meta
