// urna::i18n: .mo files (built by msgfmt, byte-swapped, and broken by
// hand), plural expressions, Accept-Language, template markers, numbers
// and dates, and the shipped catalogs with the real templates.
#define BOOST_TEST_MODULE i18n
#include <sys/stat.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "i18n/catalog.h"
#include "i18n/format.h"
#include "i18n/plural.h"
#include "i18n/template_text.h"
#include "web/render.h"

using namespace urna;
using namespace urna::i18n;

namespace {

std::string env(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}
std::string srcdir() { return env("URNA_SRCDIR", "."); }
std::string builddir() { return env("URNA_BUILDDIR", "."); }

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  BOOST_REQUIRE_MESSAGE(in, "cannot open " + path);
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

std::string fixture_path() { return builddir() + "/t/unit/i18n_fixture.mo"; }

// A .mo made by hand (the layout msgfmt writes, no hash table), in either
// byte order: for the byte-order and broken-file tests.
std::string make_mo(const std::vector<std::pair<std::string, std::string>>& entries,
                    bool big_endian) {
  std::string out;
  auto put = [&](std::uint32_t v) {
    for (int i = 0; i < 4; ++i) {
      const int shift = big_endian ? 24 - 8 * i : 8 * i;
      out += static_cast<char>((v >> shift) & 0xff);
    }
  };
  const std::uint32_t n = static_cast<std::uint32_t>(entries.size());
  const std::uint32_t originals = 28, translations = originals + 8 * n;
  std::uint32_t strings = translations + 8 * n;
  std::string data;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> o, t;
  for (const auto& e : entries) {
    o.emplace_back(static_cast<std::uint32_t>(e.first.size()), strings + data.size());
    data += e.first + '\0';
  }
  for (const auto& e : entries) {
    t.emplace_back(static_cast<std::uint32_t>(e.second.size()), strings + data.size());
    data += e.second + '\0';
  }
  put(0x950412de);
  put(0);
  put(n);
  put(originals);
  put(translations);
  put(0);
  put(0);
  for (const auto& p : o) put(p.first), put(p.second);
  for (const auto& p : t) put(p.first), put(p.second);
  return out + data;
}

const std::vector<std::pair<std::string, std::string>> kHandMade = {
    {"", "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=2; plural=n>1;\n"},
    {"Sign in", "Se connecter"},
    {std::string("month\x04May"), "mai"},
    {std::string("{n} vote\0{n} votes", 17), std::string("{n} vote\0{n} votes", 17)},
};

void put32(std::string& s, size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) s[at + i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

}  // namespace

// --- .mo files ---------------------------------------------------------------

BOOST_AUTO_TEST_CASE(mo_built_by_msgfmt) {
  std::vector<std::string> warnings;
  Catalog c = load_mo(fixture_path(), &warnings);
  c.lang = "pl";
  BOOST_TEST(c.header["Language"] == "pl");
  BOOST_TEST(c.plural.nplurals() == 3u);
  Translator tr(&c, "pl");
  BOOST_TEST(tr.lang() == "pl");
  BOOST_TEST(tr.tr("Sign in") == "Zaloguj się");
  BOOST_TEST(tr.tr("Not in the catalog") == "Not in the catalog");
  // A context keeps two translations of one msgid apart.
  BOOST_TEST(tr.trc("month", "May") == "maj");
  BOOST_TEST(tr.tr("May") == "Może");
  BOOST_TEST(tr.trc("weekday", "May") == "May");
  // Polish: 1 głos, 2-4 głosy (not 12-14), else głosów.
  const std::map<unsigned long, std::string> forms = {
      {1, "{n} głos"},    {2, "{n} głosy"},  {4, "{n} głosy"},  {5, "{n} głosów"},
      {12, "{n} głosów"}, {22, "{n} głosy"}, {0, "{n} głosów"}, {112, "{n} głosów"}};
  for (const auto& f : forms) BOOST_TEST(tr.trn("{n} ballot", "{n} ballots", f.first) == f.second);
  BOOST_TEST(tr.trnc("results", "{n} seat", "{n} seats", 3) == "{n} mandaty");
  BOOST_TEST(tr.trnc("other", "{n} seat", "{n} seats", 3) == "{n} seats");
  BOOST_TEST(format(tr.tr("Closes {when}"), {{"when", "jutro"}}) == "Zamknięcie jutro");
  // msgfmt leaves fuzzy entries out: English.
  BOOST_TEST(tr.tr("Sign out") == "Sign out");
  // {user} is not a placeholder of the msgid: dropped, with a warning.
  BOOST_TEST(tr.tr("Hello {name}") == "Hello {name}");
  bool warned = false;
  for (const auto& w : warnings)
    if (w.find("Hello {name}") != std::string::npos && w.find("{user}") != std::string::npos)
      warned = true;
  BOOST_TEST(warned);
  // English: the msgids, English plurals.
  Translator en;
  BOOST_TEST(en.lang() == "en");
  BOOST_TEST(en.tr("Sign in") == "Sign in");
  BOOST_TEST(en.trn("{n} ballot", "{n} ballots", 1) == "{n} ballot");
  BOOST_TEST(en.trn("{n} ballot", "{n} ballots", 0) == "{n} ballots");
}

BOOST_AUTO_TEST_CASE(mo_both_byte_orders) {
  for (bool big : {false, true}) {
    std::vector<std::string> warnings;
    Catalog c = parse_mo(make_mo(kHandMade, big), big ? "be.mo" : "le.mo", &warnings);
    Translator tr(&c, "fr");
    BOOST_TEST(tr.tr("Sign in") == "Se connecter");
    BOOST_TEST(tr.trc("month", "May") == "mai");
    BOOST_TEST(c.plural.index(0) == 0u);  // French: n > 1
    BOOST_TEST(c.plural.index(2) == 1u);
    BOOST_TEST(warnings.empty());
  }
  // msgfmt's own output, byte-swapped word by word in the header and the
  // tables, reads the same.
  std::string le = slurp(fixture_path());
  std::string be = le;
  auto word = [&](size_t at) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(le[at])) |
           static_cast<std::uint32_t>(static_cast<unsigned char>(le[at + 1])) << 8 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(le[at + 2])) << 16 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(le[at + 3])) << 24;
  };
  const std::uint32_t n = word(8), hash_size = word(20), hash_at = word(24);
  std::vector<size_t> words;
  for (size_t i = 0; i < 7; ++i) words.push_back(4 * i);
  for (size_t i = 0; i < 2 * n; ++i) {
    words.push_back(word(12) + 4 * i);
    words.push_back(word(16) + 4 * i);
  }
  for (size_t i = 0; i < hash_size; ++i) words.push_back(hash_at + 4 * i);
  for (size_t at : words)
    for (int b = 0; b < 4; ++b) be[at + b] = le[at + 3 - b];
  Catalog a = parse_mo(le, "le", nullptr), b = parse_mo(be, "be", nullptr);
  BOOST_TEST(a.entries.size() == b.entries.size());
  BOOST_TEST(a.entries == b.entries);
  BOOST_TEST(a.plural.nplurals() == b.plural.nplurals());
}

BOOST_AUTO_TEST_CASE(mo_broken_files_are_clear_errors) {
  const std::string good = make_mo(kHandMade, false);
  struct Case {
    const char* what;
    std::string bytes;
    const char* message;
  };
  std::vector<Case> cases;
  cases.push_back({"empty", "", "truncated header"});
  cases.push_back({"truncated header", good.substr(0, 20), "truncated header"});
  std::string magic = good;
  magic[0] = 'X';
  cases.push_back({"bad magic", magic, "bad magic number"});
  std::string revision = good;
  put32(revision, 4, 2u << 16);
  cases.push_back({"revision 2", revision, "unsupported .mo revision"});
  std::string count = good;
  put32(count, 8, 0x7fffffff);
  cases.push_back({"huge count", count, "implausible string count"});
  std::string tables = good;
  put32(tables, 12, 0xfffffff0);
  cases.push_back({"table offset out of range", tables, "string tables lie outside"});
  std::string str_off = good;
  put32(str_off, 28 + 8 + 4, 0xffffff00);  // entry 1's original: offset
  cases.push_back({"string offset out of range", str_off, "original string 1 lies outside"});
  std::string str_len = good;
  put32(str_len, 28 + 8 * 4 + 8, 0xffffffff);  // entry 1's translation: length
  cases.push_back({"string length out of range", str_len, "translated string 1 lies outside"});
  cases.push_back({"truncated strings", good.substr(0, good.size() - 3), "lies outside"});
  std::vector<std::pair<std::string, std::string>> latin1 = kHandMade;
  latin1[0].second = "Content-Type: text/plain; charset=ISO-8859-1\n";
  cases.push_back({"not UTF-8", make_mo(latin1, false), "charset iso-8859-1"});
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.what) {
      try {
        parse_mo(c.bytes, "broken.mo", nullptr);
        BOOST_ERROR("no error");
      } catch (const MoError& e) {
        const std::string m = e.what();
        BOOST_TEST(m.find("broken.mo: ") == 0u);
        BOOST_TEST(m.find(c.message) != std::string::npos, m);
      }
    }
  }
  // A file that is not there.
  BOOST_CHECK_THROW(load_mo("/nonexistent/urna.mo", nullptr), MoError);
  // Every prefix of a good file: an error or a catalog, never a crash.
  for (size_t len = 0; len < good.size(); ++len) {
    try {
      parse_mo(good.substr(0, len), "prefix.mo", nullptr);
    } catch (const MoError&) {
    }
  }
}

BOOST_AUTO_TEST_CASE(mo_malformed_plural_header_falls_back) {
  std::vector<std::pair<std::string, std::string>> e = kHandMade;
  e[0].second = "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=2; plural=n>;\n";
  std::vector<std::string> warnings;
  Catalog c = parse_mo(make_mo(e, false), "plural.mo", &warnings);
  BOOST_TEST(c.plural.nplurals() == 2u);
  BOOST_TEST(c.plural.index(1) == 0u);
  BOOST_TEST(c.plural.index(0) == 1u);  // n != 1, not French's n > 1
  BOOST_REQUIRE(warnings.size() == 1u);
  BOOST_TEST(warnings[0].find("plural.mo: ") == 0u);
  BOOST_TEST(warnings[0].find("n != 1") != std::string::npos);
}

// --- plural expressions ------------------------------------------------------

BOOST_AUTO_TEST_CASE(plural_forms_of_languages) {
  struct Case {
    const char* language;
    const char* header;
    std::vector<std::pair<unsigned long, unsigned>> expect;  // n → form
  };
  const std::vector<Case> cases = {
      {"English", "nplurals=2; plural=(n != 1);", {{0, 1}, {1, 0}, {2, 1}, {101, 1}}},
      {"French", "nplurals=2; plural=(n > 1);", {{0, 0}, {1, 0}, {2, 1}, {1000, 1}}},
      {"Japanese", "nplurals=1; plural=0;", {{0, 0}, {1, 0}, {7, 0}}},
      {"Polish",
       "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
       {{1, 0}, {2, 1}, {4, 1}, {5, 2}, {12, 2}, {14, 2}, {22, 1}, {25, 2}, {0, 2}, {101, 2}}},
      {"Russian",
       "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || "
       "n%100>=20) ? 1 : 2);",
       {{1, 0}, {21, 0}, {11, 2}, {2, 1}, {3, 1}, {12, 2}, {5, 2}, {111, 2}, {121, 0}}},
      {"Czech",
       "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;",
       {{1, 0}, {2, 1}, {4, 1}, {5, 2}, {0, 2}, {22, 2}}},
      {"Arabic",
       "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : "
       "n%100>=11 ? 4 : 5);",
       {{0, 0},
        {1, 1},
        {2, 2},
        {3, 3},
        {10, 3},
        {11, 4},
        {99, 4},
        {100, 5},
        {102, 5},
        {103, 3},
        {111, 4}}},
      // Spaces and the operators gettext's grammar has beyond these.
      {"arithmetic", "plural = (n*2+1-1)/2 - n + !(n<=3) ;nplurals = 2", {{0, 0}, {3, 0}, {4, 1}}},
      {"form out of range is 0", "nplurals=2; plural=n;", {{0, 0}, {1, 1}, {2, 0}, {5, 0}}},
      {"division by zero is 0", "nplurals=3; plural=2/(n-n) + 1;", {{0, 0}, {4, 0}}},
      {"nested ternaries", "nplurals=3; plural=n==0?0:(n==1?1:2);", {{0, 0}, {1, 1}, {2, 2}}},
      {"!= and ! together", "nplurals=2; plural=!(n!=1)==0;", {{1, 0}, {2, 1}}},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.language) {
      PluralForms p = PluralForms::parse(c.header);
      for (const auto& e : c.expect) BOOST_TEST(p.index(e.first) == e.second, "n=" << e.first);
    }
  }
}

BOOST_AUTO_TEST_CASE(plural_forms_malformed) {
  const std::vector<std::pair<const char*, const char*>> bad = {
      {"", "no nplurals="},
      {"nplurals=2;", "no plural="},
      {"plural=n!=1;", "no nplurals="},
      {"nplurals=x; plural=n;", "not a number"},
      {"nplurals=0; plural=0;", "must be 1 to 64"},
      {"nplurals=99; plural=0;", "must be 1 to 64"},
      {"nplurals=2; plural=;", "unexpected end"},
      {"nplurals=2; plural=n >;", "unexpected end"},
      {"nplurals=2; plural=(n != 1;", "expected ')'"},
      {"nplurals=2; plural=n ? 1;", "expected ':'"},
      {"nplurals=2; plural=n = 1;", "unexpected '='"},
      {"nplurals=2; plural=n | 1;", "unexpected '|'"},
      {"nplurals=2; plural=x;", "unexpected 'x'"},
      {"nplurals=2; plural=n 1;", "unexpected '1'"},
      {"nplurals=2; plural=12345678901;", "number too large"},
  };
  for (const auto& b : bad) {
    BOOST_TEST_CONTEXT(b.first) {
      try {
        PluralForms::parse(b.first);
        BOOST_ERROR("parsed");
      } catch (const PluralError& e) {
        BOOST_TEST(std::string(e.what()).find(b.second) != std::string::npos, e.what());
      }
    }
  }
  // Deep nesting and long expressions are refused, not a stack overflow.
  BOOST_CHECK_THROW(
      PluralForms::parse_expression(std::string(500, '(') + "n" + std::string(500, ')'), 2),
      PluralError);
  BOOST_CHECK_THROW(PluralForms::parse_expression(std::string(300, '!') + "n", 2), PluralError);
  BOOST_CHECK_THROW(PluralForms::parse_expression(std::string(2000, ' ') + "n", 2), PluralError);
  BOOST_TEST(PluralForms::parse_expression(std::string(30, '(') + "n" + std::string(30, ')'), 2)
                 .index(1) == 1u);
}

// --- Accept-Language ---------------------------------------------------------

BOOST_AUTO_TEST_CASE(negotiation_table) {
  const std::vector<std::string> available = {"de", "en", "es", "pt_BR"};
  struct Case {
    const char* header;
    const char* default_lang;
    const char* expect;
  };
  const std::vector<Case> cases = {
      {"", "en", "en"},
      {"", "es", "es"},
      {"es", "en", "es"},
      {"ES", "en", "es"},
      {"es-AR", "en", "es"},
      {"es-419,es;q=0.9", "en", "es"},
      {"fr", "en", "en"},
      {"fr", "es", "es"},
      {"fr, es;q=0.5", "en", "es"},
      {"fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5", "es", "en"},
      {"de;q=0.2, es;q=0.8", "en", "es"},
      {"es;q=0.8, de;q=0.8", "en", "es"},  // same q: the header's order
      {"en-US,en;q=0.9,es;q=0.8", "es", "en"},
      {"*", "es", "es"},
      {"*", "en", "en"},
      {"*;q=0.5, es;q=0", "es", "de"},  // the wildcard, but not the refused default
      {"es;q=0", "es", "es"},           // nothing acceptable: the default
      {"es;q=0, es-AR", "en", "en"},    // es refused; es-AR only through es
      {"pt", "en", "pt_BR"},
      {"pt-br", "en", "pt_BR"},
      {"PT_BR", "en", "pt_BR"},
      {"es;q=1.0", "en", "es"},
      {"es;q=1.5", "en", "en"},  // malformed q: the item is ignored
      {"es;q=abc, de", "en", "de"},
      {"es;q=0.001", "en", "es"},
      {";;;,,, ,es", "en", "es"},
      {"e$s, de", "en", "de"},
      {"toolongsubtag1-es", "en", "en"},
      {"es ; q=0.7 , de ; q=0.8", "en", "de"},
  };
  for (const auto& c : cases)
    BOOST_TEST(negotiate(c.header, available, c.default_lang) == c.expect,
               "\"" << c.header << "\" with default " << c.default_lang);
  // A huge header is not parsed at all.
  BOOST_TEST(negotiate(std::string(5000, ' ') + "es", available, "en") == "en");
  // At most 64 items are read.
  std::string many;
  for (int i = 0; i < 70; ++i) many += "xx,";
  BOOST_TEST(negotiate(many + "es", available, "en") == "en");
}

BOOST_AUTO_TEST_CASE(language_tags) {
  BOOST_TEST(normalize_tag("pt_BR") == "pt-br");
  BOOST_TEST(bcp47("pt_BR") == "pt-BR");
  BOOST_TEST(bcp47("es") == "es");
  BOOST_TEST(bcp47("sr@latin") == "sr");
  BOOST_TEST(bcp47("zh_Hant") == "zh-Hant");
}

// --- templates ---------------------------------------------------------------

BOOST_AUTO_TEST_CASE(template_markers) {
  const std::string text =
      "{{%AUTOESCAPE context=\"HTML\"}}<h1>[[Elections]]</h1>\n"
      "<p>[[Signed in as\n    <strong>{{LOGIN}}</strong>]]</p>\n"
      "<p>[[Not translated {{X}}]]</p>";
  auto m = find_markers(text, "t.tpl");
  BOOST_REQUIRE(m.size() == 3u);
  BOOST_TEST(m[0].msgid == "Elections");
  BOOST_TEST(m[0].line == 1);
  BOOST_TEST(m[1].msgid == "Signed in as <strong>{{LOGIN}}</strong>");
  BOOST_TEST(m[1].line == 2);
  BOOST_TEST(m[2].line == 4);
  BOOST_TEST(normalize_space("  a \t\n b\r\n") == "a b");

  Catalog c = load_mo(fixture_path(), nullptr);
  Translator pl(&c, "pl");
  std::vector<std::string> warnings;
  const std::string out = translate_template(text, "t.tpl", pl, &warnings);
  BOOST_TEST(out ==
             "{{%AUTOESCAPE context=\"HTML\"}}<h1>Wybory</h1>\n"
             "<p>Zalogowano jako <strong>{{LOGIN}}</strong></p>\n"
             "<p>Not translated {{X}}</p>");
  BOOST_TEST(warnings.empty());
  // English: the text as written, brackets removed.
  BOOST_TEST(translate_template(text, "t.tpl", Translator{}, nullptr) ==
             "{{%AUTOESCAPE context=\"HTML\"}}<h1>Elections</h1>\n"
             "<p>Signed in as\n    <strong>{{LOGIN}}</strong></p>\n"
             "<p>Not translated {{X}}</p>");

  const std::vector<std::string> broken = {"a [[b", "a ]] b", "[[a [[b]] c]]", "[[ ]]", "[[a]] ]]"};
  for (const auto& b : broken) BOOST_CHECK_THROW(find_markers(b, "broken.tpl"), TemplateTextError);
  try {
    find_markers("line 1\nline [[2", "where.tpl");
  } catch (const TemplateTextError& e) {
    BOOST_TEST(std::string(e.what()).find("where.tpl:2:") == 0u);
  }
}

BOOST_AUTO_TEST_CASE(template_translations_that_break_are_refused) {
  Catalog c = load_mo(fixture_path(), nullptr);
  Translator pl(&c, "pl");
  struct Case {
    const char* msgid;
    const char* result;   // what the variant holds
    const char* warning;  // "" none
  };
  const std::vector<Case> cases = {
      {"Hi {{NAME}}", "Hi {{NAME}}", "{{NAME:none}}, which the msgid has not"},
      {"{{#A}}one{{/A}} two", "dwa {{#A}}jeden{{/A}}", ""},
      {"{{#A}}x{{/A}}{{#B}}y{{/B}}", "{{#A}}x{{/A}}{{#B}}y{{/B}}", "section markers"},
      {"Broken {{X}}", "Broken {{X}}", "do not pair up"},
  };
  for (const auto& k : cases) {
    BOOST_TEST_CONTEXT(k.msgid) {
      std::vector<std::string> warnings;
      const std::string out =
          translate_template(std::string("<p>[[") + k.msgid + "]]</p>", "x.tpl", pl, &warnings);
      BOOST_TEST(out == std::string("<p>") + k.result + "</p>");
      if (*k.warning) {
        BOOST_REQUIRE(warnings.size() == 1u);
        BOOST_TEST(warnings[0].find(k.warning) != std::string::npos, warnings[0]);
        BOOST_TEST(warnings[0].find("pl: x.tpl:1:") == 0u, warnings[0]);
        BOOST_TEST(warnings[0].find(std::string("msgid \"") + k.msgid + "\"") != std::string::npos);
      } else {
        BOOST_TEST(warnings.empty());
      }
    }
  }
  BOOST_TEST(check_translation("a {{B}}", "{{B}} {{B}} a") == "");
  BOOST_TEST(check_translation("a {{B}}", "{{>INC}} a") != "");
  BOOST_TEST(check_translation("a", "a [[b]]") != "");
  BOOST_TEST(check_translation("a", "a }}") != "");
}

// A Renderer with a small template directory and the fixture catalog:
// variables are still escaped in the translated variant, and a page body
// include picks its own language.
BOOST_AUTO_TEST_CASE(renderer_languages_keep_escaping) {
  char dir[] = "/tmp/urna-i18n-test.XXXXXX";
  BOOST_REQUIRE(mkdtemp(dir));
  const std::string d = dir;
  std::ofstream(d + "/layout.tpl")
      << "{{%AUTOESCAPE context=\"HTML\"}}<html lang=\"{{LANG}}\">[[Elections]]:{{>BODY}}</html>\n";
  std::ofstream(d + "/body.tpl")
      << "{{%AUTOESCAPE context=\"HTML\"}}[[Signed in as <strong>{{LOGIN}}</strong>]]"
         " [[Hi {{NAME}}]]\n";
  auto catalogs = std::make_shared<Catalogs>();
  std::vector<std::string> mo_warnings;
  Catalog c = load_mo(fixture_path(), &mo_warnings);
  c.lang = "pl";
  catalogs->add(std::move(c));
  std::vector<std::string> warnings;
  web::Renderer r(d, catalogs, &warnings);
  BOOST_TEST(r.languages() == std::vector<std::string>({"en", "pl"}));
  // "Hi {{NAME}}" → "{{NAME:none}}" is refused at start-up, with a warning.
  BOOST_REQUIRE(warnings.size() == 1u);
  BOOST_TEST(warnings[0].find("pl: body.tpl:1:") == 0u, warnings[0]);
  for (const std::string lang : {"en", "pl"}) {
    ctemplate::TemplateDictionary dict("layout");
    dict.SetValue("LANG", lang);
    auto* body = dict.AddIncludeDictionary("BODY");
    body->SetFilename(r.name_for(lang, "body.tpl"));
    body->SetValue("LOGIN", "<b>eve</b>");
    body->SetValue("NAME", "<i>x</i>");
    const std::string out = r.expand(lang, "layout.tpl", dict);
    BOOST_TEST(out.find("&lt;b&gt;eve&lt;/b&gt;") != std::string::npos, out);
    BOOST_TEST(out.find("&lt;i&gt;x&lt;/i&gt;") != std::string::npos, out);
    BOOST_TEST(out.find("<b>") == std::string::npos, out);
    if (lang == "pl") {
      BOOST_TEST(out.find("<html lang=\"pl\">Wybory:Zalogowano jako <strong>") == 0u, out);
    } else {
      BOOST_TEST(out.find("<html lang=\"en\">Elections:Signed in as <strong>") == 0u, out);
    }
  }
  // An unknown language is English.
  BOOST_TEST(r.name_for("fr", "body.tpl") == "en/body.tpl");
  // A broken marker stops the Renderer, naming the template.
  std::ofstream(d + "/bad.tpl") << "{{%AUTOESCAPE context=\"HTML\"}}[[open\n";
  try {
    web::Renderer bad(d, catalogs, nullptr);
    BOOST_ERROR("no error");
  } catch (const std::runtime_error& e) {
    BOOST_TEST(std::string(e.what()).find("bad.tpl:1:") != std::string::npos, e.what());
  }
  for (const char* f : {"layout.tpl", "body.tpl", "bad.tpl"}) unlink((d + "/" + f).c_str());
  rmdir(d.c_str());
}

// --- the shipped catalogs ----------------------------------------------------

namespace {
std::shared_ptr<const Catalogs> shipped(std::vector<std::string>* warnings) {
  return std::make_shared<const Catalogs>(Catalogs::load(builddir() + "/po/locale", warnings));
}
}  // namespace

BOOST_AUTO_TEST_CASE(shipped_catalogs_and_templates) {
  std::vector<std::string> warnings;
  auto catalogs = shipped(&warnings);
  BOOST_TEST(catalogs->has("es"));
  BOOST_TEST(catalogs->has("en"));
  BOOST_TEST(!catalogs->has("fr"));
  // Every template in every language, and no translation refused.
  web::Renderer r(srcdir() + "/templates", catalogs, &warnings);
  BOOST_TEST(warnings.empty(), "warnings: " << (warnings.empty() ? "" : warnings[0]));
  // Every marker of every template has its Spanish translation: the
  // msgids urna computes are those po/extract_templates.py wrote.
  const Translator es = catalogs->translator("es");
  BOOST_TEST(es.lang() == "es");
  for (const auto& name : r.templates()) {
    for (const auto& m : find_markers(slurp(srcdir() + "/templates/" + name), name))
      BOOST_TEST(es.tr(m.msgid) != m.msgid, name << ":" << m.line << ": " << m.msgid);
  }
}

BOOST_AUTO_TEST_CASE(numbers_and_dates_en_es) {
  auto catalogs = shipped(nullptr);
  const Translator en = catalogs->translator("en"), es = catalogs->translator("es");
  struct Num {
    double v;
    int decimals;
    const char* en;
    const char* es;
  };
  const std::vector<Num> nums = {
      {0, 0, "0", "0"},
      {7, 0, "7", "7"},
      {999, 0, "999", "999"},
      {1234, 0, "1,234", "1234"},  // Spanish groups from five digits
      {12345, 0, "12,345", "12.345"},
      {1234567.891, 2, "1,234,567.89", "1.234.567,89"},
      {0.5, 1, "0.5", "0,5"},
      {2.5, 0, "3", "3"},
      {-1234.5, 1, "-1,234.5", "-1234,5"},
      {-0.001, 1, "0.0", "0,0"},
      {0.125, 2, "0.13", "0,13"},
  };
  for (const auto& n : nums) {
    BOOST_TEST(format_number(n.v, n.decimals, en) == n.en, n.v);
    BOOST_TEST(format_number(n.v, n.decimals, es) == n.es, n.v);
  }
  BOOST_TEST(format_integer(1000000, en) == "1,000,000");
  BOOST_TEST(format_integer(-1000000, es) == "-1.000.000");
  BOOST_TEST(format_integer(1000, es) == "1000");
  BOOST_TEST(format_percent(0.473, 1, en) == "47.3%");
  BOOST_TEST(format_percent(0.473, 1, es) == "47,3\u00a0%");
  BOOST_TEST(format_percent(1, 0, en) == "100%");

  const Time t = 1795615380;  // 2026-11-25 14:03:00 UTC, a Wednesday
  BOOST_TEST(format_date(t, en) == "November 25, 2026");
  BOOST_TEST(format_date(t, es) == "25 de noviembre de 2026");
  BOOST_TEST(format_date_long(t, en) == "Wednesday, November 25, 2026");
  BOOST_TEST(format_date_long(t, es) == "miércoles, 25 de noviembre de 2026");
  BOOST_TEST(format_time(t, en) == "2:03 PM");
  BOOST_TEST(format_time(t, es) == "14:03");
  BOOST_TEST(format_time(t - 14 * 3600, en) == "12:03 AM");
  BOOST_TEST(format_time(t - 14 * 3600, es) == "00:03");
  BOOST_TEST(format_datetime(t, en) == "November 25, 2026 at 2:03 PM");
  BOOST_TEST(format_datetime(t, es) == "25 de noviembre de 2026, 14:03");
  BOOST_TEST(format_date(0, en) == "January 1, 1970");
  BOOST_TEST(format_date(951782400, es) == "29 de febrero de 2000");
  BOOST_TEST(format_date(-86400, en) == "December 31, 1969");
  for (int m = 1; m <= 12; ++m) BOOST_TEST(month_name(m, es) != month_name(m, en));
  BOOST_TEST(month_name(5, es) == "mayo");
  BOOST_TEST(weekday_name(7, es) == "domingo");
  // The relative phrases' mechanism: a plural with {n}.
  BOOST_TEST(format(en.trn("{n} child election", "{n} child elections", 3),
                    {{"n", format_integer(3, en)}}) == "3 child elections");
  BOOST_TEST(format(es.trn("{n} child election", "{n} child elections", 1),
                    {{"n", format_integer(1, es)}}) == "1 elección incluida");
}

BOOST_AUTO_TEST_CASE(placeholder_format) {
  BOOST_TEST(format("Closes {when}", {{"when", "soon"}}) == "Closes soon");
  BOOST_TEST(format("{b} {a} {b}", {{"a", "1"}, {"b", "2"}}) == "2 1 2");
  BOOST_TEST(format("{missing} {{X}} {a b} {}", {{"a", "1"}}) == "{missing} {{X}} {a b} {}");
  BOOST_TEST(format("{a}", {{"a", "{b}"}, {"b", "no"}}) == "{b}");  // values are not re-read
  BOOST_TEST(placeholders("{a} {B_1} {{C}} {1x}") == std::set<std::string>({"a", "B_1", "C"}));
}
