#include "i18n/plural.h"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace urna::i18n {

namespace {
constexpr size_t kMaxExpression = 1000;
// Call frames of the parser; each parenthesis takes three.
constexpr int kMaxDepth = 200;
constexpr unsigned kMaxPlurals = 64;
}  // namespace

// Recursive descent over the C grammar, lowest precedence first.
class PluralParser {
 public:
  PluralParser(const std::string& text, PluralForms& out) : s_(text), out_(out) {}

  int parse() {
    int root = ternary(0);
    skip();
    if (pos_ != s_.size()) fail("unexpected '" + std::string(1, s_[pos_]) + "'");
    return root;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw PluralError("plural expression \"" + s_ + "\": " + what + " at character " +
                      std::to_string(pos_ + 1));
  }
  void skip() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  bool eat(const char* tok) {
    skip();
    const size_t len = std::strlen(tok);
    if (s_.compare(pos_, len, tok) != 0) return false;
    // "<" must not take the first half of "<=", "=" is no operator, "!"
    // must not take "!=", "|" and "&" alone are not operators.
    if (len == 1 && pos_ + 1 < s_.size() && s_[pos_ + 1] == '=' && std::strchr("<>!", tok[0]))
      return false;
    pos_ += len;
    return true;
  }
  int add(PluralForms::Node n) {
    out_.nodes_.push_back(n);
    return static_cast<int>(out_.nodes_.size() - 1);
  }
  int binary(const char* op, int a, int b) {
    PluralForms::Node n{PluralForms::Node::kBinary};
    std::memcpy(n.op, op, std::min<size_t>(std::strlen(op), 2));
    n.a = a;
    n.b = b;
    return add(n);
  }
  void deeper(int depth) const {
    if (depth > kMaxDepth) fail("nested too deeply");
  }

  int ternary(int depth) {
    deeper(depth);
    int cond = logical_or(depth + 1);
    if (!eat("?")) return cond;
    int yes = ternary(depth + 1);
    if (!eat(":")) fail("expected ':'");
    int no = ternary(depth + 1);
    PluralForms::Node n{PluralForms::Node::kTernary};
    n.a = cond;
    n.b = yes;
    n.c = no;
    return add(n);
  }
  int logical_or(int depth) {
    int l = logical_and(depth);
    while (eat("||")) l = binary("||", l, logical_and(depth));
    return l;
  }
  int logical_and(int depth) {
    int l = equality(depth);
    while (eat("&&")) l = binary("&&", l, equality(depth));
    return l;
  }
  int equality(int depth) {
    int l = relational(depth);
    for (;;) {
      if (eat("=="))
        l = binary("==", l, relational(depth));
      else if (eat("!="))
        l = binary("!=", l, relational(depth));
      else
        return l;
    }
  }
  int relational(int depth) {
    int l = additive(depth);
    for (;;) {
      if (eat("<="))
        l = binary("<=", l, additive(depth));
      else if (eat(">="))
        l = binary(">=", l, additive(depth));
      else if (eat("<"))
        l = binary("<", l, additive(depth));
      else if (eat(">"))
        l = binary(">", l, additive(depth));
      else
        return l;
    }
  }
  int additive(int depth) {
    int l = multiplicative(depth);
    for (;;) {
      if (eat("+"))
        l = binary("+", l, multiplicative(depth));
      else if (eat("-"))
        l = binary("-", l, multiplicative(depth));
      else
        return l;
    }
  }
  int multiplicative(int depth) {
    int l = unary(depth);
    for (;;) {
      if (eat("*"))
        l = binary("*", l, unary(depth));
      else if (eat("/"))
        l = binary("/", l, unary(depth));
      else if (eat("%"))
        l = binary("%", l, unary(depth));
      else
        return l;
    }
  }
  int unary(int depth) {
    deeper(depth);
    if (eat("!")) {
      PluralForms::Node n{PluralForms::Node::kNot};
      n.a = unary(depth + 1);
      return add(n);
    }
    return primary(depth + 1);
  }
  int primary(int depth) {
    skip();
    if (pos_ >= s_.size()) fail("unexpected end");
    if (eat("(")) {
      int e = ternary(depth + 1);
      if (!eat(")")) fail("expected ')'");
      return e;
    }
    if (s_[pos_] == 'n') {
      ++pos_;
      return add(PluralForms::Node{PluralForms::Node::kN});
    }
    if (std::isdigit(static_cast<unsigned char>(s_[pos_]))) {
      unsigned long v = 0;
      size_t digits = 0;
      while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) {
        if (++digits > 9) fail("number too large");
        v = v * 10 + static_cast<unsigned long>(s_[pos_++] - '0');
      }
      PluralForms::Node n{PluralForms::Node::kNumber};
      n.value = v;
      return add(n);
    }
    fail("unexpected '" + std::string(1, s_[pos_]) + "'");
  }

  const std::string& s_;
  PluralForms& out_;
  size_t pos_ = 0;
};

PluralForms::PluralForms() : expression_("n != 1") {
  PluralParser parser(expression_, *this);
  root_ = parser.parse();
}

PluralForms PluralForms::parse_expression(const std::string& expression, unsigned nplurals) {
  if (nplurals < 1 || nplurals > kMaxPlurals)
    throw PluralError("nplurals=" + std::to_string(nplurals) + ": must be 1 to " +
                      std::to_string(kMaxPlurals));
  if (expression.size() > kMaxExpression)
    throw PluralError("plural expression longer than " + std::to_string(kMaxExpression) +
                      " characters");
  PluralForms p;
  p.nodes_.clear();
  p.nplurals_ = nplurals;
  p.expression_ = expression;
  PluralParser parser(p.expression_, p);
  p.root_ = parser.parse();
  return p;
}

PluralForms PluralForms::parse(const std::string& header_value) {
  // "nplurals=N; plural=EXPR;" (either order, spaces allowed).
  auto value_of = [&](const char* key) -> std::string {
    size_t pos = 0;
    const std::string k = key;
    while ((pos = header_value.find(k, pos)) != std::string::npos) {
      const bool start_ok =
          pos == 0 || !std::isalnum(static_cast<unsigned char>(header_value[pos - 1]));
      size_t eq = pos + k.size();
      while (eq < header_value.size() && header_value[eq] == ' ') ++eq;
      if (start_ok && eq < header_value.size() && header_value[eq] == '=') {
        size_t end = header_value.find(';', eq + 1);
        return header_value.substr(eq + 1,
                                   end == std::string::npos ? std::string::npos : end - eq - 1);
      }
      pos += k.size();
    }
    throw PluralError("Plural-Forms \"" + header_value + "\": no " + k + "=");
  };
  std::string np = value_of("nplurals");
  const std::string expr = value_of("plural");
  size_t b = np.find_first_not_of(' '), e = np.find_last_not_of(' ');
  np = b == std::string::npos ? "" : np.substr(b, e - b + 1);
  if (np.empty() || np.size() > 2 || np.find_first_not_of("0123456789") != std::string::npos)
    throw PluralError("Plural-Forms \"" + header_value + "\": nplurals is not a number");
  return parse_expression(expr, static_cast<unsigned>(std::stoul(np)));
}

unsigned PluralForms::index(unsigned long n) const {
  // A walk over the immutable tree with n bound (no shared state; the
  // parser bounded its depth).
  struct Walk {
    const PluralForms& p;
    unsigned long n;
    bool div_zero = false;
    unsigned long at(int i) {
      const Node& node = p.nodes_[static_cast<size_t>(i)];
      if (node.kind == Node::kN) return n;
      if (node.kind == Node::kNumber) return node.value;
      if (node.kind == Node::kNot) return !at(node.a);
      if (node.kind == Node::kTernary) return at(node.a) ? at(node.b) : at(node.c);
      const std::string op = node.op;
      if (op == "||") return at(node.a) || at(node.b);
      if (op == "&&") return at(node.a) && at(node.b);
      const unsigned long x = at(node.a), y = at(node.b);
      if (op == "==") return x == y;
      if (op == "!=") return x != y;
      if (op == "<") return x < y;
      if (op == ">") return x > y;
      if (op == "<=") return x <= y;
      if (op == ">=") return x >= y;
      if (op == "+") return x + y;
      if (op == "-") return x - y;
      if (op == "*") return x * y;
      if (y == 0) {
        div_zero = true;
        return 0;
      }
      return op == "/" ? x / y : x % y;
    }
  } walk{*this, n};
  const unsigned long v = walk.at(root_);
  if (walk.div_zero || v >= nplurals_) return 0;
  return static_cast<unsigned>(v);
}

}  // namespace urna::i18n
