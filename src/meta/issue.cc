#include "meta/issue.h"

namespace urna::meta {

std::string Issue::to_string() const {
  std::string s = file + ": ";
  if (!field.empty())
    s += field + ": ";
  if (severity == Severity::kWarning)
    s += "warning: ";
  return s + message;
}

size_t count_errors(const std::vector<Issue> &issues) {
  size_t n = 0;
  for (const auto &i : issues)
    if (i.severity == Severity::kError)
      ++n;
  return n;
}

size_t count_warnings(const std::vector<Issue> &issues) {
  return issues.size() - count_errors(issues);
}

void IssueSink::error(const std::string &field,
                      const std::string &message) const {
  out_->push_back({Severity::kError, file_, field, message, ""});
}

void IssueSink::warning(const std::string &field,
                        const std::string &message) const {
  out_->push_back({Severity::kWarning, file_, field, message, ""});
}

} // namespace urna::meta
