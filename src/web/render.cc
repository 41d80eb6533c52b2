#include "web/render.h"

#include <dirent.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "i18n/template_text.h"

namespace urna::web {

namespace {
constexpr const char* kPragma = "{{%AUTOESCAPE context=\"HTML\"}}";

bool starts_with_pragma(const std::string& text) {
  return text.substr(0, text.find('\n')).find(kPragma) != std::string::npos;
}
}  // namespace

Renderer::Renderer(const std::string& dir, std::shared_ptr<const i18n::Catalogs> catalogs,
                   std::vector<std::string>* warnings)
    : dir_(dir),
      catalogs_(catalogs ? std::move(catalogs) : std::make_shared<const i18n::Catalogs>()),
      cache_(std::make_unique<ctemplate::TemplateCache>()) {
  DIR* d = opendir(dir.c_str());
  if (!d) throw std::runtime_error("templates_dir " + dir + ": cannot open");
  while (dirent* e = readdir(d)) {
    std::string n = e->d_name;
    if (n.size() > 4 && n.compare(n.size() - 4, 4, ".tpl") == 0) names_.push_back(n);
  }
  closedir(d);
  std::sort(names_.begin(), names_.end());
  if (std::find(names_.begin(), names_.end(), "layout.tpl") == names_.end())
    throw std::runtime_error("templates_dir " + dir + ": layout.tpl is missing");
  for (const auto& l : catalogs_->languages()) langs_.push_back(i18n::bcp47(l));
  for (const auto& n : names_) {
    std::ifstream in(dir + "/" + n, std::ios::binary);
    std::ostringstream buf;
    buf << in.rdbuf();
    if (!in) throw std::runtime_error("template " + n + ": cannot read");
    const std::string source = buf.str();
    if (!starts_with_pragma(source))
      throw std::runtime_error("template " + n + ": first line must be " + kPragma);
    for (const auto& lang : langs_) {
      const i18n::Translator tr = catalogs_->translator(lang);
      std::string text;
      try {
        text = i18n::translate_template(source, n, tr, warnings);
      } catch (const i18n::TemplateTextError& e) {
        throw std::runtime_error("template " + std::string(e.what()));
      }
      // (A marker cannot reach the pragma's line unchanged, but a
      // translation must not move it either.)
      if (!starts_with_pragma(text))
        throw std::runtime_error("template " + n + " (" + lang + "): first line must be " +
                                 kPragma);
      if (!cache_->StringToTemplateCache(name_for(lang, n), text, ctemplate::STRIP_BLANK_LINES))
        throw std::runtime_error("template " + n + " (" + lang + "): does not parse");
    }
  }
  cache_->Freeze();
}

Renderer::~Renderer() = default;

std::string Renderer::name_for(const std::string& lang, const std::string& name) const {
  const bool known = std::find(langs_.begin(), langs_.end(), lang) != langs_.end();
  return (known ? lang : std::string("en")) + "/" + name;
}

std::string Renderer::expand(const std::string& lang, const std::string& name,
                             const ctemplate::TemplateDictionary& dict) const {
  std::string out;
  if (!cache_->ExpandNoLoad(name_for(lang, name), ctemplate::STRIP_BLANK_LINES, &dict, nullptr,
                            &out))
    throw std::runtime_error("template " + name + ": expansion failed");
  return out;
}

}  // namespace urna::web
