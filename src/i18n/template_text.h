// Translatable text in CTemplate files: [[...]] marks a message. The
// message may hold HTML and {{TEMPLATE_MARKERS}}; its msgid is the text
// between the brackets with every run of white space (space, tab, newline)
// made one space and none at either end — po/extract_templates.py writes
// the same msgids into po/urna.pot.
//
//   <h1>[[Elections]]</h1>
//   [[Signed in as <strong>{{LOGIN}}</strong>]]
//
// translate_template() replaces each marker by its translation, or by the
// text as written (English) when the catalog has none. A translation must
// keep the template sound, so it is refused (the English is used, and a
// warning names the template, the line and the msgid) when:
//   - its {{ }} are unbalanced (a "{{" without "}}" or the reverse);
//   - it has a {{marker}} the msgid has not, written exactly so: this keeps
//     a translation from adding a variable, dropping an escaping modifier
//     ({{NAME:none}}) or an include;
//   - its section markers ({{#X}}, {{^X}}, {{/X}}) are not those of the
//     msgid in the same order.
// Markers cannot nest, and "[[" needs its "]]" in the same template
// (TemplateTextError otherwise: a developer's mistake, found at start-up).
// Thread safety: pure functions.
#ifndef URNA_I18N_TEMPLATE_TEXT_H_
#define URNA_I18N_TEMPLATE_TEXT_H_

#include <stdexcept>
#include <string>
#include <vector>

#include "i18n/catalog.h"

namespace urna::i18n {

class TemplateTextError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Marker {
  std::string msgid;  // whitespace normalised
  std::string text;   // as written between the brackets
  int line = 0;       // of the "[["
  size_t begin = 0;   // offset of "[["
  size_t end = 0;     // offset just past "]]"
};

// "  a\n  b " → "a b".
std::string normalize_space(const std::string& text);

// The markers of `text` in order. `name` is for messages. Throws
// TemplateTextError on an unclosed or nested marker, a stray "]]", or an
// empty one.
std::vector<Marker> find_markers(const std::string& text, const std::string& name);

// Why `translation` may not replace `msgid` in a template ("" when it may).
std::string check_translation(const std::string& msgid, const std::string& translation);

// `text` with every marker replaced (see above). Refused translations are
// appended to *warnings. Throws TemplateTextError like find_markers.
std::string translate_template(const std::string& text, const std::string& name,
                               const Translator& tr, std::vector<std::string>* warnings);

}  // namespace urna::i18n

#endif  // URNA_I18N_TEMPLATE_TEXT_H_
