// GNU gettext's Plural-Forms: the header line
//   Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : ...);
// parsed once into an expression tree, then evaluated for each count.
// The expression is C-like: n, non-negative integers, parentheses, ?:,
// ||, &&, ==, !=, <, >, <=, >=, +, -, *, /, %, and unary !, with C's
// precedence and unsigned long arithmetic (as gettext's own evaluator);
// a division by zero yields form 0.
// Thread safety: a PluralForms is immutable after parsing; index() may be
// called from any number of threads.
#ifndef URNA_I18N_PLURAL_H_
#define URNA_I18N_PLURAL_H_

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace urna::i18n {

class PluralError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class PluralForms {
 public:
  // English (and the fallback): nplurals=2; plural=(n != 1).
  PluralForms();

  // Parses the value of a Plural-Forms header ("nplurals=2; plural=n>1;").
  // Throws PluralError saying what is wrong (nplurals missing or not 1..64,
  // plural missing, a syntax error with its position, nesting deeper than
  // about 60 parentheses, an expression longer than 1000 characters).
  static PluralForms parse(const std::string& header_value);

  // Parses a bare expression ("n != 1") with `nplurals` forms.
  static PluralForms parse_expression(const std::string& expression, unsigned nplurals);

  // The form for count n, always < nplurals() (an expression that yields
  // more gives 0, as GNU gettext does).
  unsigned index(unsigned long n) const;
  unsigned nplurals() const { return nplurals_; }
  const std::string& expression() const { return expression_; }

 private:
  struct Node;
  unsigned nplurals_ = 2;
  std::string expression_;
  std::vector<Node> nodes_;  // nodes_[root_] is the expression
  int root_ = -1;
  friend class PluralParser;
};

struct PluralForms::Node {
  enum Kind { kN, kNumber, kNot, kBinary, kTernary } kind;
  char op[3] = {0, 0, 0};  // for kBinary: "+", "==", "&&", ...
  unsigned long value = 0;
  int a = -1, b = -1, c = -1;
};

}  // namespace urna::i18n

#endif  // URNA_I18N_PLURAL_H_
