// Sequent's election-creation JSON (one list of elections: numeric ids,
// negative ids meaning "assign one", parent_id / virtualSubelections /
// children_election_info, census with children_event_id_list,
// tallyPipesConfig) turned into urna's metadata repository layout
// (DESIGN.md §3, docs/import.md). Pure: JSON text in, a tree of files out;
// nothing here touches the file system (src/import/tree.h writes the tree).
#ifndef URNA_IMPORT_SEQUENT_H_
#define URNA_IMPORT_SEQUENT_H_

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace urna::import {

struct ImportOptions {
  // The folder of the elections inside the tree (urna.conf's meta_root).
  std::string root = "elections";
  // election_officers written into every top-level election (Sequent's
  // files name no officers; urna warns when an election has none).
  std::vector<std::string> officers;
  // Shown in the report's title (e.g. the input file's name).
  std::string source_name;
};

struct ImportResult {
  // Relative path (below the output folder) -> file content. Holds every
  // election.yaml, election_desc.md and voters.yaml, and the report as
  // "sequent-import.md".
  std::map<std::string, std::string> files;
  // One line per election: "100 -> elections/electoral-process (parent)".
  std::vector<std::string> elections;
  // One line per thing of the input that is not in the output, naming the
  // election and the field: "election 100: authorities: [...] (why)".
  std::vector<std::string> not_carried;
  // Both lists as Markdown; the same text as files["sequent-import.md"].
  std::string report;
};

// A file that cannot be imported. what() names the election (by its id as
// written in the file) and the field: "election 100:
// census.voters[2].metadata.children_event_id_list[0]: 105 is not a child
// of election 100".
class ImportError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Converts the JSON text of a Sequent election-creation list. The order of
// the list does not matter: the same elections in any order give the same
// result. Throws ImportError for anything that cannot be imported; never
// writes anything.
ImportResult import_sequent(const std::string& json, const ImportOptions& opt = {});

}  // namespace urna::import

#endif  // URNA_IMPORT_SEQUENT_H_
