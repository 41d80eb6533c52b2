// Message catalogs: GNU .mo files (msgfmt's output) read once at start-up,
// and the per-request Translator that looks messages up in one of them.
//
// A .mo file (gettext manual, "The Format of GNU MO Files") is read in
// either byte order; a msgctxt is the original's prefix up to "\x04", a
// plural entry's forms are separated by "\0"; the header entry (msgid "")
// gives the charset (must be UTF-8) and Plural-Forms (a malformed one falls
// back to nplurals=2; plural=(n != 1), with a warning). A translation that
// uses a {placeholder} its msgid does not have is dropped with a warning
// (format() would leave it unreplaced): the English is shown instead —
// except patterns, whose msgctxt ends in "format" ("date format"), which
// may use any placeholder their TRANSLATORS comment lists.
//
// English is the source language: it has no catalog, and a Translator for
// it (or for a message a catalog lacks) returns the msgid itself.
//
// Thread safety: Catalog and Catalogs are immutable once loaded and are
// shared read-only by all worker threads; a Translator is a small value
// (a pointer into its Catalogs, which must outlive it). Nothing here calls
// setlocale, uselocale or textdomain.
#ifndef URNA_I18N_CATALOG_H_
#define URNA_I18N_CATALOG_H_

#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "i18n/plural.h"
#include "i18n/text.h"

namespace urna::i18n {

class MoError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Catalog {
  std::string lang;    // as in the directory name: "es", "pt_BR"
  std::string source;  // file name, for messages
  // "context\x04msgid" (or "msgid") → the forms (one unless plural).
  std::unordered_map<std::string, std::vector<std::string>> entries;
  std::map<std::string, std::string> header;  // "Plural-Forms" → "nplurals=..."
  PluralForms plural;
};

// Parses the bytes of a .mo file. `source` names it in messages. Throws
// MoError ("FILE: truncated header", "bad magic number", "string 3 lies
// outside the file", "charset ISO-8859-1: ...") for anything that is not a
// sound UTF-8 catalog; appends non-fatal problems to *warnings.
Catalog parse_mo(const std::string& bytes, const std::string& source,
                 std::vector<std::string>* warnings);

// Reads and parses `path` (the only I/O of this library). Throws MoError.
Catalog load_mo(const std::string& path, std::vector<std::string>* warnings);

// A language tag for comparing: lower case, '_' → '-' ("pt_BR" → "pt-br").
std::string normalize_tag(const std::string& tag);
// The BCP 47 form for <html lang>: "pt_BR" → "pt-BR", "es" → "es".
std::string bcp47(const std::string& tag);

class Translator {
 public:
  Translator() = default;  // English
  Translator(const Catalog* catalog, std::string lang)
      : catalog_(catalog), lang_(std::move(lang)) {}

  // The page language in BCP 47 form ("en", "es").
  const std::string& lang() const { return lang_; }
  bool is_source() const { return catalog_ == nullptr; }

  std::string tr(const std::string& msgid) const;
  std::string trc(const std::string& context, const std::string& msgid) const;
  // The form for n of the language (English: singular when n == 1). The
  // result usually has a {n} placeholder for format().
  std::string trn(const std::string& singular, const std::string& plural, unsigned long n) const;
  std::string trnc(const std::string& context, const std::string& singular,
                   const std::string& plural, unsigned long n) const;

 private:
  const std::vector<std::string>* find(const std::string& key) const;
  const Catalog* catalog_ = nullptr;
  std::string lang_ = "en";
};

// The catalogs found at start-up, by language.
class Catalogs {
 public:
  // Every <locale_dir>/<lang>/LC_MESSAGES/urna.mo. A missing locale_dir is
  // no error (English only; a warning). Throws MoError for a catalog that
  // cannot be read or parsed.
  static Catalogs load(const std::string& locale_dir, std::vector<std::string>* warnings);

  void add(Catalog c);
  // The catalog for `lang` (normalize_tag comparison), or nullptr.
  const Catalog* find(const std::string& lang) const;
  // "en" and every catalog's language, sorted, as in the directories.
  std::vector<std::string> languages() const;
  // True for "en" and every loaded language.
  bool has(const std::string& lang) const;

  // A Translator for `lang` (English when there is no such catalog).
  Translator translator(const std::string& lang) const;
  // The language for a request: negotiate() over languages().
  Translator for_request(const std::string& accept_language, const std::string& default_lang) const;

 private:
  std::vector<std::unique_ptr<Catalog>> catalogs_;  // stable addresses
};

// HTTP Accept-Language negotiation (RFC 9110 §12.5.4, RFC 4647 lookup):
// the available language with the highest q that the header accepts.
// Case-insensitive; "es-AR" also matches "es"; "pt" matches "pt_BR" when
// there is no "pt"; "*" stands for `default_lang`, unless the header
// refuses it with q=0 (then for the first other available language it
// does not refuse); q=0 refuses a language. Malformed items are ignored;
// at most the first 64 items of a header of at most 4096 bytes are read.
// Falls back to `default_lang`. Returns an element of `available`, or
// default_lang.
std::string negotiate(const std::string& accept_language, const std::vector<std::string>& available,
                      const std::string& default_lang);

}  // namespace urna::i18n

#endif  // URNA_I18N_CATALOG_H_
