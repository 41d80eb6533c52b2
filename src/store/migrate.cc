#include "store/migrate.h"

#include <dirent.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "store/lease_store.h"
#include "store/sql_util.h"

namespace urna::store {

namespace {
constexpr int kSchemaVersion = 8;
// The migration that creates the leases table (sql/007_leases.sql).
constexpr int kLeasesVersion = 7;

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

// (version, path) of every NNN_*.sql file, sorted.
std::vector<std::pair<int, std::string>> migration_files(const std::string& dir) {
  std::vector<std::pair<int, std::string>> out;
  DIR* d = opendir(dir.c_str());
  if (!d) throw std::runtime_error("cannot read the SQL directory " + dir);
  while (dirent* e = readdir(d)) {
    const std::string n = e->d_name;
    if (n.size() > 8 && std::isdigit((unsigned char)n[0]) && std::isdigit((unsigned char)n[1]) &&
        std::isdigit((unsigned char)n[2]) && n[3] == '_' && n.substr(n.size() - 4) == ".sql")
      out.emplace_back(std::stoi(n.substr(0, 3)), dir + "/" + n);
  }
  closedir(d);
  std::sort(out.begin(), out.end());
  return out;
}
}  // namespace

int expected_schema_version() { return kSchemaVersion; }

std::vector<std::string> split_sql(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line, cur;
  while (std::getline(in, line)) {
    const std::string t = trim(line);
    if (t.empty() || t.rfind("--", 0) == 0) continue;
    cur += line + "\n";
    if (t.back() == ';') {
      std::string stmt = trim(cur);
      stmt.pop_back();
      out.push_back(stmt);
      cur.clear();
    }
  }
  if (!trim(cur).empty()) out.push_back(trim(cur));
  return out;
}

int schema_version(Db& db) {
  return detail::read(db, "reading the schema version", [](Db& d) {
    auto st = detail::prepare(d,
                              "SELECT COUNT(*) AS n FROM information_schema.tables "
                              "WHERE table_schema = DATABASE() AND table_name = 'schema_version'");
    detail::Rows r(st->executeQuery());
    if (!r->next() || r->getInt("n") == 0) return 0;
    auto st2 = detail::prepare(d, "SELECT COALESCE(MAX(version), 0) AS v FROM schema_version");
    detail::Rows r2(st2->executeQuery());
    return r2->next() ? r2->getInt("v") : 0;
  });
}

std::vector<int> migrate(Db& db, const std::string& sql_dir, core::UnixTime now) {
  const auto files = migration_files(sql_dir);
  if (files.empty() || files.back().first != kSchemaVersion)
    throw std::runtime_error(sql_dir + " does not hold the migrations up to version " +
                             std::to_string(kSchemaVersion) + " (wrong sql directory?)");
  std::vector<int> applied;
  std::string lease_owner;
  try {
    {
      auto st = detail::prepare(db, "SELECT GET_LOCK('urna_migrate', 60) AS got");
      detail::Rows r(st->executeQuery());
      if (!r->next() || r->getInt("got") != 1)
        throw DbError("another urna-sync --migrate holds the migration lock", 0, false);
    }
    const int have = schema_version(db);
    // GET_LOCK guards one server only (Galera does not replicate it): from
    // version 7 on, the urna-migrate lease guards the whole cluster. The
    // first migration to version 7 creates it, so run that one from one
    // host (docs/cluster.md). An hour: no renewal while DDL runs.
    if (have >= kLeasesVersion) {
      lease_owner = lease_owner_name();
      const LeaseTaken t = take_lease(db, "urna-migrate", lease_owner, 3600);
      if (!t.taken)
        throw DbError(t.holder.owner +
                          " holds the urna-migrate lease (another urna-sync "
                          "--migrate is running, for " +
                          std::to_string(t.holder.expires_in) + " s more at most)",
                      0, false);
    }
    for (const auto& [version, path] : files) {
      if (version <= have) continue;
      std::ifstream in(path);
      if (!in) throw std::runtime_error("cannot read " + path);
      std::stringstream buf;
      buf << in.rdbuf();
      for (const std::string& stmt : split_sql(buf.str())) {
        std::unique_ptr<sql::Statement> s(db.conn().createStatement());
        try {
          s->execute(stmt);
        } catch (const sql::SQLException& e) {
          throw detail::to_db_error(e, ("applying " + path).c_str());
        }
      }
      auto st =
          detail::prepare(db, "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)");
      st->setInt(1, version);
      st->setInt64(2, now);
      st->executeUpdate();
      applied.push_back(version);
    }
    if (!lease_owner.empty()) release_lease(db, "urna-migrate", lease_owner);
    auto st = detail::prepare(db, "DO RELEASE_LOCK('urna_migrate')");
    st->execute();
  } catch (...) {
    // A failed migration must not keep others out for an hour.
    if (!lease_owner.empty()) {
      try {
        release_lease(db, "urna-migrate", lease_owner);
      } catch (const std::exception&) {
      }
    }
    try {
      throw;
    } catch (const sql::SQLException& e) {
      throw detail::to_db_error(e, "migrating the schema");
    }
  }
  return applied;
}

}  // namespace urna::store
