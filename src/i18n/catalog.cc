#include "i18n/catalog.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <fstream>
#include <set>
#include <sstream>

namespace urna::i18n {

namespace {

constexpr std::uint32_t kMagic = 0x950412de;
constexpr std::uint32_t kMagicSwapped = 0xde120495;
constexpr std::uint64_t kMaxStrings = 1u << 20;

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

std::vector<std::string> split_nul(const std::string& s) {
  std::vector<std::string> out;
  size_t pos = 0;
  for (;;) {
    size_t z = s.find('\0', pos);
    out.push_back(s.substr(pos, z == std::string::npos ? std::string::npos : z - pos));
    if (z == std::string::npos) break;
    pos = z + 1;
  }
  return out;
}

// "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: ...\n" → fields.
std::map<std::string, std::string> parse_header(const std::string& text) {
  std::map<std::string, std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    out[trim(line.substr(0, colon))] = trim(line.substr(colon + 1));
  }
  return out;
}

}  // namespace

Catalog parse_mo(const std::string& bytes, const std::string& source,
                 std::vector<std::string>* warnings) {
  auto fail = [&](const std::string& what) -> MoError { return MoError(source + ": " + what); };
  if (bytes.size() < 28)
    throw fail("not a .mo file: truncated header (" + std::to_string(bytes.size()) + " bytes)");
  auto raw = [&](size_t at) {
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data() + at);
    return static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 |
           static_cast<std::uint32_t>(p[2]) << 16 | static_cast<std::uint32_t>(p[3]) << 24;
  };
  const std::uint32_t magic = raw(0);
  bool swap;
  if (magic == kMagic)
    swap = false;
  else if (magic == kMagicSwapped)
    swap = true;
  else
    throw fail("not a .mo file: bad magic number");
  auto word = [&](std::uint64_t at) -> std::uint32_t {
    if (at + 4 > bytes.size()) throw fail("truncated: a table lies outside the file");
    std::uint32_t v = raw(static_cast<size_t>(at));
    if (swap) v = (v >> 24) | ((v >> 8) & 0xff00) | ((v << 8) & 0xff0000) | (v << 24);
    return v;
  };
  const std::uint32_t revision = word(4);
  if ((revision >> 16) > 1)
    throw fail("unsupported .mo revision " + std::to_string(revision >> 16));
  const std::uint64_t count = word(8), originals = word(12), translations = word(16);
  if (count > kMaxStrings) throw fail("implausible string count " + std::to_string(count));
  if (originals + 8 * count > bytes.size() || translations + 8 * count > bytes.size())
    throw fail("truncated: the string tables lie outside the file");
  auto string_at = [&](std::uint64_t table, std::uint64_t i, const char* which) {
    const std::uint64_t len = word(table + 8 * i), off = word(table + 8 * i + 4);
    // msgfmt writes a NUL after every string.
    if (off + len + 1 > bytes.size() || bytes[static_cast<size_t>(off + len)] != '\0')
      throw fail(std::string(which) + " string " + std::to_string(i) + " lies outside the file");
    return bytes.substr(static_cast<size_t>(off), static_cast<size_t>(len));
  };

  Catalog c;
  c.source = source;
  for (std::uint64_t i = 0; i < count; ++i) {
    const std::string original = string_at(originals, i, "original");
    const std::string translation = string_at(translations, i, "translated");
    // "ctx\x04msgid\0plural": the key is up to the first NUL.
    const std::string key = original.substr(0, original.find('\0'));
    if (key.empty()) {
      c.header = parse_header(translation);
      continue;
    }
    // A translation may only use the msgid's (or msgid_plural's)
    // {placeholders}, and {n} in plural entries. Patterns (a msgctxt
    // ending in "format": "date format") may use every placeholder their
    // code fills, which their TRANSLATORS comment lists.
    std::vector<std::string> forms = split_nul(translation);
    const std::set<std::string> allowed = placeholders(original);
    const bool plural = original.find('\0') != std::string::npos;
    const size_t eot_at = key.find('\x04');
    const bool pattern =
        eot_at != std::string::npos && eot_at >= 6 && key.compare(eot_at - 6, 6, "format") == 0;
    std::string stray;
    for (const auto& form : pattern ? std::vector<std::string>{} : forms)
      for (const auto& p : placeholders(form))
        if (!allowed.count(p) && !(plural && p == "n")) stray = p;
    if (!stray.empty()) {
      const size_t eot = key.find('\x04');
      if (warnings)
        warnings->push_back(source + ": the translation of \"" +
                            (eot == std::string::npos ? key : key.substr(eot + 1)) + "\" uses {" +
                            stray + "}, which its msgid has not: ignored (the English is shown)");
      continue;
    }
    c.entries[key] = std::move(forms);
  }

  // UTF-8 only: pages are served as UTF-8.
  auto ct = c.header.find("Content-Type");
  if (ct != c.header.end()) {
    const std::string v = lower(ct->second);
    size_t cs = v.find("charset=");
    if (cs != std::string::npos) {
      std::string charset = trim(v.substr(cs + 8));
      charset = charset.substr(0, charset.find(';'));
      if (charset != "utf-8" && charset != "utf8")
        throw fail("charset " + charset +
                   ": urna needs UTF-8 catalogs (convert with msgconv --to-code=UTF-8)");
    }
  }
  auto pf = c.header.find("Plural-Forms");
  if (pf != c.header.end()) {
    try {
      c.plural = PluralForms::parse(pf->second);
    } catch (const PluralError& e) {
      if (warnings)
        warnings->push_back(source + ": " + e.what() +
                            "; using nplurals=2; plural=(n != 1) instead");
    }
  }

  return c;
}

Catalog load_mo(const std::string& path, std::vector<std::string>* warnings) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw MoError(path + ": cannot open");
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) throw MoError(path + ": cannot read");
  return parse_mo(buf.str(), path, warnings);
}

std::string normalize_tag(const std::string& tag) {
  std::string out = lower(tag);
  std::replace(out.begin(), out.end(), '_', '-');
  return out;
}

std::string bcp47(const std::string& tag) {
  std::string out;
  bool first = true;
  std::string part;
  auto flush = [&]() {
    if (first) {
      out = lower(part);
    } else {
      // Region subtags (2 letters) upper case, others as written.
      std::string p = part;
      if (p.size() == 2)
        for (char& ch : p) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      out += "-" + p;
    }
    first = false;
    part.clear();
  };
  for (char ch : tag) {
    if (ch == '_' || ch == '-')
      flush();
    else if (ch == '@' || ch == '.')
      break;  // "sr@latin", "es.UTF-8": not in lang=
    else
      part += ch;
  }
  flush();
  return out;
}

// --- Translator --------------------------------------------------------------

const std::vector<std::string>* Translator::find(const std::string& key) const {
  if (!catalog_) return nullptr;
  auto it = catalog_->entries.find(key);
  if (it == catalog_->entries.end() || it->second.empty() || it->second[0].empty()) return nullptr;
  return &it->second;
}

std::string Translator::tr(const std::string& msgid) const {
  const auto* f = find(msgid);
  return f ? (*f)[0] : msgid;
}

std::string Translator::trc(const std::string& context, const std::string& msgid) const {
  const auto* f = find(context + '\x04' + msgid);
  return f ? (*f)[0] : msgid;
}

std::string Translator::trn(const std::string& singular, const std::string& plural,
                            unsigned long n) const {
  const auto* f = find(singular);
  if (f) {
    const unsigned i = catalog_->plural.index(n);
    if (i < f->size() && !(*f)[i].empty()) return (*f)[i];
  }
  return n == 1 ? singular : plural;
}

std::string Translator::trnc(const std::string& context, const std::string& singular,
                             const std::string& plural, unsigned long n) const {
  const auto* f = find(context + '\x04' + singular);
  if (f) {
    const unsigned i = catalog_->plural.index(n);
    if (i < f->size() && !(*f)[i].empty()) return (*f)[i];
  }
  return n == 1 ? singular : plural;
}

// --- Catalogs ----------------------------------------------------------------

Catalogs Catalogs::load(const std::string& locale_dir, std::vector<std::string>* warnings) {
  Catalogs out;
  DIR* d = opendir(locale_dir.c_str());
  if (!d) {
    if (warnings)
      warnings->push_back("locale_dir " + locale_dir + ": cannot open, so only English is served");
    return out;
  }
  std::vector<std::string> langs;
  while (dirent* e = readdir(d)) {
    const std::string n = e->d_name;
    if (n.empty() || n[0] == '.') continue;
    langs.push_back(n);
  }
  closedir(d);
  std::sort(langs.begin(), langs.end());
  for (const auto& l : langs) {
    const std::string path = locale_dir + "/" + l + "/LC_MESSAGES/urna.mo";
    struct stat st;
    if (stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    if (normalize_tag(l) == "en") {
      if (warnings)
        warnings->push_back(path + ": English is the source language; this catalog is not used");
      continue;
    }
    Catalog c = load_mo(path, warnings);
    c.lang = l;
    out.add(std::move(c));
  }
  return out;
}

void Catalogs::add(Catalog c) {
  for (auto& have : catalogs_)
    if (normalize_tag(have->lang) == normalize_tag(c.lang)) {
      *have = std::move(c);
      return;
    }
  catalogs_.push_back(std::make_unique<Catalog>(std::move(c)));
}

const Catalog* Catalogs::find(const std::string& lang) const {
  const std::string want = normalize_tag(lang);
  for (const auto& c : catalogs_)
    if (normalize_tag(c->lang) == want) return c.get();
  return nullptr;
}

std::vector<std::string> Catalogs::languages() const {
  std::vector<std::string> out{"en"};
  for (const auto& c : catalogs_) out.push_back(c->lang);
  std::sort(out.begin(), out.end());
  return out;
}

bool Catalogs::has(const std::string& lang) const {
  return normalize_tag(lang) == "en" || find(lang) != nullptr;
}

Translator Catalogs::translator(const std::string& lang) const {
  const Catalog* c = find(lang);
  if (!c) return Translator{};
  return Translator(c, bcp47(c->lang));
}

Translator Catalogs::for_request(const std::string& accept_language,
                                 const std::string& default_lang) const {
  return translator(negotiate(accept_language, languages(), default_lang));
}

// --- negotiation -------------------------------------------------------------

namespace {

struct Range {
  std::string tag;  // normalized, or "*"
  int q;            // 0..1000
  size_t order;
};

bool valid_range(const std::string& t) {
  if (t == "*") return true;
  if (t.empty() || t.size() > 64) return false;
  size_t part = 0;
  bool first = true;
  for (char ch : t) {
    if (ch == '-') {
      if (part == 0) return false;
      part = 0;
      first = false;
      continue;
    }
    const bool ok = first ? std::isalpha(static_cast<unsigned char>(ch))
                          : std::isalnum(static_cast<unsigned char>(ch));
    if (!ok || ++part > 8) return false;
  }
  return part > 0;
}

// "q=0.8" → 800; -1 when malformed.
int parse_q(const std::string& v) {
  if (v.empty() || v.size() > 5) return -1;
  if (v[0] == '1') {
    for (size_t i = 1; i < v.size(); ++i)
      if ((i == 1 && v[i] != '.') || (i > 1 && v[i] != '0')) return -1;
    return 1000;
  }
  if (v[0] != '0') return -1;
  if (v.size() == 1) return 0;
  if (v[1] != '.') return -1;
  int q = 0, scale = 100;
  for (size_t i = 2; i < v.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(v[i]))) return -1;
    q += (v[i] - '0') * scale;
    scale /= 10;
  }
  return q;
}

}  // namespace

std::string negotiate(const std::string& accept_language, const std::vector<std::string>& available,
                      const std::string& default_lang) {
  if (accept_language.size() > 4096) return default_lang;
  std::vector<Range> ranges;
  size_t pos = 0;
  while (pos <= accept_language.size() && ranges.size() < 64) {
    size_t comma = accept_language.find(',', pos);
    std::string item =
        accept_language.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    pos = comma == std::string::npos ? accept_language.size() + 1 : comma + 1;
    std::string tag = normalize_tag(trim(item.substr(0, item.find(';'))));
    int q = 1000;
    bool ok = valid_range(tag);
    size_t semi = item.find(';');
    while (ok && semi != std::string::npos) {
      size_t next = item.find(';', semi + 1);
      std::string param = trim(
          item.substr(semi + 1, next == std::string::npos ? std::string::npos : next - semi - 1));
      if (param.size() > 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
        q = parse_q(trim(param.substr(2)));
        if (q < 0) ok = false;
      }
      semi = next;
    }
    if (ok) ranges.push_back({tag, q, ranges.size()});
  }
  std::stable_sort(ranges.begin(), ranges.end(),
                   [](const Range& a, const Range& b) { return a.q > b.q; });

  auto refused = [&](const std::string& lang) {
    // Refused by a q=0 range that matches it exactly or as a prefix.
    const std::string l = normalize_tag(lang);
    for (const auto& r : ranges)
      if (r.q == 0 && r.tag != "*" &&
          (l == r.tag || (l.size() > r.tag.size() && l.compare(0, r.tag.size(), r.tag) == 0 &&
                          l[r.tag.size()] == '-')))
        return true;
    return false;
  };
  auto lookup = [&](const std::string& range) -> const std::string* {
    // Exact, then ever shorter prefixes ("zh-hant-tw" → "zh-hant" → "zh").
    std::string t = range;
    for (;;) {
      for (const auto& a : available)
        if (normalize_tag(a) == t && !refused(a)) return &a;
      size_t dash = t.rfind('-');
      if (dash == std::string::npos) break;
      t.resize(dash);
    }
    // "pt" → "pt_BR" when there is no plain "pt".
    for (const auto& a : available) {
      const std::string n = normalize_tag(a);
      if (n.size() > t.size() && n.compare(0, t.size(), t) == 0 && n[t.size()] == '-' &&
          !refused(a))
        return &a;
    }
    return nullptr;
  };
  for (const auto& r : ranges) {
    if (r.q == 0) continue;
    if (r.tag == "*") {
      if (!refused(default_lang)) return default_lang;
      for (const auto& a : available)
        if (!refused(a)) return a;
      continue;
    }
    if (const std::string* a = lookup(r.tag)) return *a;
  }
  return default_lang;
}

}  // namespace urna::i18n
