// The validated snapshot as JSON: how urna-sync stores it in the database and
// how web workers and urna-tally read it back. Every field of core::Snapshot
// round-trips exactly. Pure (no I/O). Lives in libcore_json.a so that
// libcore.a stays free of jsoncpp.
#ifndef URNA_CORE_SNAPSHOT_JSON_H_
#define URNA_CORE_SNAPSHOT_JSON_H_

#include <stdexcept>
#include <string>

#include "core/model.h"

namespace urna::core {

// Bumped when the JSON layout changes incompatibly; stored as "format".
// 1: every voter an object {"login", "children"}.
// 2: a voter without a children list is its login string (the bulk of a large
//    snapshot: 400,000 voters were half of a 20 MB document).
// snapshot_from_json reads both; a newer format fails with a clear error.
constexpr int kSnapshotFormat = 2;

// Thrown by snapshot_from_json for anything that is not a snapshot this code
// wrote: bad JSON, a missing "format"/"elections", a newer format, a wrong
// type, an unknown method. The message names the JSON path, e.g.
// "snapshot JSON: elections[2].start: expected an integer". A missing
// optional field takes the model's default, so a snapshot stored before a
// field was added still loads.
class SnapshotJsonError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Compact JSON (one line, UTF-8 passed through), fields in the model's
// order. Written straight into the returned string: the memory needed is
// the document itself.
std::string snapshot_to_json(const Snapshot &s);

// Throws SnapshotJsonError (a std::runtime_error). Reads format 1 and 2.
// Memory: besides `json` and the result, one election's jsoncpp tree at a
// time (the whole document's tree only for a shape this reader does not
// cut, e.g. an escaped "elections" key, or invalid JSON, for its error).
Snapshot snapshot_from_json(const std::string &json);

}  // namespace urna::core

#endif  // URNA_CORE_SNAPSHOT_JSON_H_
