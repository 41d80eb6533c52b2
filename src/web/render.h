// CTemplate rendering: every page is its body template included into one
// layout (templates/layout.tpl). Every template starts with the
// {{%AUTOESCAPE context="HTML"}} pragma, so values are HTML-escaped unless a
// template says otherwise (only pre-sanitized Markdown uses :none).
//
// Languages (docs/i18n.md): templates mark translatable text [[...]]. At
// start-up the Renderer makes one variant of each template per language
// (English and every catalog), with each marker replaced by its translation
// or the English (i18n/template_text.h), and registers it in its own
// template cache as "<lang>/<name>" ("es/home.tpl"); a page's body include
// names the variant of the same language (name_for()). Refused
// translations are warnings (English shown), never a failure.
//
// Thread safety: built once before the workers start, then immutable (its
// template cache is frozen): shared read-only by all worker threads.
#ifndef URNA_WEB_RENDER_H_
#define URNA_WEB_RENDER_H_

#include <ctemplate/template.h>
#include <ctemplate/template_cache.h>

#include <memory>
#include <string>
#include <vector>

#include "i18n/catalog.h"

namespace urna::web {

class Renderer {
 public:
  // Loads and checks every *.tpl in `dir`, for English and every language
  // of `catalogs` (none: English only). Throws std::runtime_error naming
  // the template (and language) that failed to parse, lacks the AUTOESCAPE
  // pragma or has a broken [[...]] marker. Appends refused translations to
  // *warnings.
  explicit Renderer(const std::string& dir,
                    std::shared_ptr<const i18n::Catalogs> catalogs = nullptr,
                    std::vector<std::string>* warnings = nullptr);
  ~Renderer();
  Renderer(const Renderer&) = delete;
  Renderer& operator=(const Renderer&) = delete;

  // Expands `name` ("layout.tpl") in the language `lang` (a Translator's
  // lang(); an unknown one is English) with `dict`, whose includes must
  // name variants of the same language (name_for). Throws
  // std::runtime_error.
  std::string expand(const std::string& lang, const std::string& name,
                     const ctemplate::TemplateDictionary& dict) const;
  // English.
  std::string expand(const std::string& name, const ctemplate::TemplateDictionary& dict) const {
    return expand("en", name, dict);
  }
  // The cache name of `name` in `lang`: "es/home.tpl".
  std::string name_for(const std::string& lang, const std::string& name) const;

  const std::vector<std::string>& templates() const { return names_; }
  // "en" and the catalogs' languages in BCP 47 form ("es", "pt-BR").
  const std::vector<std::string>& languages() const { return langs_; }
  const i18n::Catalogs& catalogs() const { return *catalogs_; }

 private:
  std::string dir_;
  std::vector<std::string> names_;
  std::vector<std::string> langs_;
  std::shared_ptr<const i18n::Catalogs> catalogs_;
  std::unique_ptr<ctemplate::TemplateCache> cache_;
};

}  // namespace urna::web

#endif  // URNA_WEB_RENDER_H_
