// Schema migrations: sql/NNN_name.sql files applied in order, each recorded
// in schema_version. Idempotent: a second run applies nothing. Two
// concurrent runs are serialized by a named database lock.
#ifndef URNA_STORE_MIGRATE_H_
#define URNA_STORE_MIGRATE_H_

#include <string>
#include <vector>

#include "core/model.h"
#include "store/db.h"

namespace urna::store {

// The schema version this build needs (the highest sql/NNN file).
int expected_schema_version();

// The version recorded in the database; 0 when no schema exists.
// Throws DbError.
int schema_version(Db& db);

// Applies every sql/NNN_*.sql in `sql_dir` above the recorded version.
// Returns the versions applied (empty when current). Throws DbError, or
// std::runtime_error when a file cannot be read or the files do not reach
// expected_schema_version().
std::vector<int> migrate(Db& db, const std::string& sql_dir, core::UnixTime now);

// Splits a migration file into statements (';' at the end of a line;
// `--` comment lines dropped). Exposed for tests.
std::vector<std::string> split_sql(const std::string& text);

}  // namespace urna::store

#endif  // URNA_STORE_MIGRATE_H_
