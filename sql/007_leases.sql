-- urna schema, version 7: leases (issue 11). One row per job that must run
-- on one host at a time across every host sharing the database: urna-sync,
-- urna-tally and urna-sync --migrate. The holder is "HOST pid PID token
-- HEX"; expires_at is the database server's UNIX_TIMESTAMP() plus the
-- lease_ttl of the holder, pushed forward while the job runs
-- (src/store/lease_store.h). A row whose expires_at has passed is free.
-- Unlike GET_LOCK, a row is replicated by Galera: two hosts writing the
-- lease on two nodes conflict at certification, and the loser retries and
-- sees the winner.
CREATE TABLE IF NOT EXISTS leases (
  name       VARCHAR(64) NOT NULL PRIMARY KEY,
  owner      VARCHAR(255) NOT NULL,
  taken_at   BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

INSERT IGNORE INTO leases (name, owner, taken_at, expires_at) VALUES
  ('urna-sync', '', 0, 0), ('urna-tally', '', 0, 0), ('urna-migrate', '', 0, 0);
