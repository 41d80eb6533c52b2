// Problems found in a metadata repository: each names the file (relative to
// the repository), the field (or "line N") and what is wrong. Errors reject
// the whole repository; warnings are reported and the repository still loads.
#ifndef URNA_META_ISSUE_H_
#define URNA_META_ISSUE_H_

#include <string>
#include <vector>

namespace urna::meta {

enum class Severity { kWarning, kError };

struct Issue {
  Severity severity = Severity::kError;
  std::string file;    // e.g. "elections/steering/2026/election.yaml"
  std::string field;   // e.g. "end_datetime", "questions[1].answers", "line 4"
  std::string message; // what is wrong, e.g. "must be after start_datetime"
  // The id of the election the file belongs to ("steering/2026"; a child's
  // own files belong to the child), "" for files outside every election.
  // Set by load_repository; the officers' page lists an election's issues.
  std::string election;

  // "FILE: FIELD: message" (errors) or "FILE: FIELD: warning: message";
  // an empty field is left out.
  std::string to_string() const;
};

// Number of issues of severity kError / kWarning.
size_t count_errors(const std::vector<Issue> &issues);
size_t count_warnings(const std::vector<Issue> &issues);

// Collects the issues of one file.
class IssueSink {
public:
  IssueSink(std::vector<Issue> *out, std::string file)
      : out_(out), file_(std::move(file)) {}
  void error(const std::string &field, const std::string &message) const;
  void warning(const std::string &field, const std::string &message) const;
  const std::string &file() const { return file_; }
  // The number of errors in the shared list so far; compare two marks to
  // see whether a step reported any.
  size_t mark() const { return count_errors(*out_); }

private:
  std::vector<Issue> *out_;
  std::string file_;
};

} // namespace urna::meta

#endif // URNA_META_ISSUE_H_
