-- urna schema, version 1. Applied by `urna-sync --migrate` (src/store/
-- migrate.cc), which records it in schema_version. InnoDB, utf8mb4.
-- Statements end with ';' at the end of a line. Each is idempotent.

CREATE TABLE IF NOT EXISTS schema_version (
  version    INT NOT NULL PRIMARY KEY,
  applied_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Validated metadata snapshots (JSON of core::Snapshot), newest live.
CREATE TABLE IF NOT EXISTS snapshots (
  id         BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  commit_id  VARCHAR(64) NOT NULL,
  body       LONGTEXT NOT NULL,
  created_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- One row (id = 1): which snapshot is live, the last sync's outcome, and
-- the webhook's request flag.
CREATE TABLE IF NOT EXISTS sync_state (
  id                  TINYINT NOT NULL PRIMARY KEY,
  live_snapshot_id    BIGINT NULL,
  last_run_at         BIGINT NULL,
  last_ok_at          BIGINT NULL,
  last_ok_commit      VARCHAR(64) NULL,
  last_error_at       BIGINT NULL,
  last_error_commit   VARCHAR(64) NULL,
  last_error          MEDIUMTEXT NULL,
  sync_requested_at   BIGINT NULL,
  last_webhook_at     BIGINT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

INSERT IGNORE INTO sync_state (id) VALUES (1);

-- The secret ballot (DESIGN.md §4). A ballot: random 128-bit id, election,
-- question, ranking. No voter column, no timestamp, no auto-increment key;
-- InnoDB keeps rows in primary-key order, i.e. in random order.
CREATE TABLE IF NOT EXISTS ballots (
  id           BINARY(16) NOT NULL,
  election_id  VARCHAR(191) NOT NULL,
  question_id  VARCHAR(191) NOT NULL,
  ranking      TEXT NOT NULL,
  receipt_hash CHAR(64) NULL,
  PRIMARY KEY (id, question_id),
  KEY ballots_election (election_id, question_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Who has voted (turnout is not secret), with the ballot id sealed under a
-- key derived from the voter's passcode. salt/sealed are NULL once erased
-- (delete_after). One row per voter and election.
CREATE TABLE IF NOT EXISTS voters_voted (
  election_id VARCHAR(191) NOT NULL,
  login       VARCHAR(191) NOT NULL,
  salt        VARBINARY(32) NULL,
  sealed      VARBINARY(128) NULL,
  PRIMARY KEY (election_id, login)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS exception_requests (
  id          BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  election_id VARCHAR(191) NOT NULL,
  login       VARCHAR(191) NOT NULL,
  name        VARCHAR(255) NOT NULL,
  contact     VARCHAR(255) NOT NULL,
  reason      TEXT NOT NULL,
  comments    TEXT NOT NULL,
  created_at  BIGINT NOT NULL,
  reviewed    TINYINT NOT NULL DEFAULT 0,
  UNIQUE KEY exception_once (election_id, login)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Results stored by urna-tally: one row per election (a parent's row holds
-- the consolidated result), the JSON of its questions' results, the
-- anonymized shuffled ballot export, and what it was computed from.
CREATE TABLE IF NOT EXISTS results (
  election_id   VARCHAR(191) NOT NULL PRIMARY KEY,
  body          LONGTEXT NOT NULL,
  ballots_csv   LONGTEXT NOT NULL,
  ballots_blt   LONGTEXT NOT NULL,
  ballot_count  BIGINT NOT NULL,
  snapshot_commit VARCHAR(64) NOT NULL,
  tallied_at    BIGINT NOT NULL,
  links_erased  TINYINT NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
