// CTemplate rendering: every page is its body template included into one
// layout (templates/layout.tpl). Every template starts with the
// {{%AUTOESCAPE context="HTML"}} pragma, so values are HTML-escaped unless a
// template says otherwise (only pre-sanitized Markdown uses :none).
// Thread safety: a Renderer is shared read-only by all worker threads
// (CTemplate's default cache is thread-safe).
#ifndef URNA_WEB_RENDER_H_
#define URNA_WEB_RENDER_H_

#include <ctemplate/template.h>

#include <string>
#include <vector>

namespace urna::web {

class Renderer {
 public:
  // Loads and checks every *.tpl in `dir`. Throws std::runtime_error naming
  // the template that failed to parse or lacks the AUTOESCAPE pragma.
  explicit Renderer(const std::string& dir);

  // Expands `name` ("layout.tpl") with `dict`. Throws std::runtime_error.
  std::string expand(const std::string& name,
                     const ctemplate::TemplateDictionary& dict) const;

  const std::vector<std::string>& templates() const { return names_; }

 private:
  std::string dir_;
  std::vector<std::string> names_;
};

}  // namespace urna::web

#endif  // URNA_WEB_RENDER_H_
