#include "web/render.h"

#include <dirent.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace urna::web {

Renderer::Renderer(const std::string& dir) : dir_(dir) {
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
  ctemplate::mutable_default_template_cache()->SetTemplateRootDirectory(dir);
  for (const auto& n : names_) {
    std::ifstream in(dir + "/" + n);
    std::string first;
    std::getline(in, first);
    if (first.find("{{%AUTOESCAPE context=\"HTML\"}}") == std::string::npos)
      throw std::runtime_error("template " + n +
                               ": first line must be {{%AUTOESCAPE context=\"HTML\"}}");
    if (!ctemplate::LoadTemplate(n, ctemplate::STRIP_BLANK_LINES))
      throw std::runtime_error("template " + n + ": does not parse");
  }
}

std::string Renderer::expand(const std::string& name,
                             const ctemplate::TemplateDictionary& dict) const {
  std::string out;
  if (!ctemplate::ExpandTemplate(name, ctemplate::STRIP_BLANK_LINES, &dict, &out))
    throw std::runtime_error("template " + name + ": expansion failed");
  return out;
}

}  // namespace urna::web
