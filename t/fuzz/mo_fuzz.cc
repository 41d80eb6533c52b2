// libFuzzer harness: the .mo reader and the Plural-Forms parser
// (src/i18n/catalog.h, src/i18n/plural.h), which read files a translator
// or a package provides.
//
// Input: any bytes, read twice: as a .mo file (parse_mo), and as a
// Plural-Forms header value (PluralForms::parse). Checks besides "no
// crash": only MoError / PluralError escape; a parsed catalog's plural
// index is always < nplurals; lookups in a parsed catalog return either a
// translation or the msgid.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "i18n/catalog.h"
#include "i18n/plural.h"

namespace {

void require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "mo_fuzz: property failed: %s\n", what);
    std::abort();
  }
}

const unsigned long kCounts[] = {0, 1, 2, 3, 5, 11, 21, 101, 111, 1000000, ~0ul};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  using namespace urna::i18n;
  try {
    std::vector<std::string> warnings;
    Catalog c = parse_mo(input, "fuzz.mo", &warnings);
    for (unsigned long n : kCounts) require(c.plural.index(n) < c.plural.nplurals(), "mo index");
    Translator tr(&c, "xx");
    for (const auto& e : c.entries) {
      const size_t eot = e.first.find('\x04');
      const std::string msgid = eot == std::string::npos ? e.first : e.first.substr(eot + 1);
      const std::string got =
          eot == std::string::npos ? tr.tr(msgid) : tr.trc(e.first.substr(0, eot), msgid);
      require(e.second.empty() || e.second[0].empty() ? got == msgid : got == e.second[0],
              "lookup returns the translation or the msgid");
      tr.trn(msgid, msgid + "s", 7);
    }
  } catch (const MoError&) {
  }
  try {
    PluralForms p = PluralForms::parse(input);
    for (unsigned long n : kCounts) require(p.index(n) < p.nplurals(), "plural index");
  } catch (const PluralError&) {
  }
  return 0;
}
