// Markdown to HTML with cmark (CommonMark). Safe by construction: raw HTML
// becomes "<!-- raw HTML omitted -->" and links/images with dangerous
// schemes (javascript:, vbscript:, file:, most data:) lose their URL.
// Thread-safe; no I/O.
#ifndef URNA_META_MARKDOWN_H_
#define URNA_META_MARKDOWN_H_

#include <string>

namespace urna::meta {

// Invalid UTF-8 in `markdown` is replaced by U+FFFD.
std::string render_markdown(const std::string &markdown);

} // namespace urna::meta

#endif // URNA_META_MARKDOWN_H_
