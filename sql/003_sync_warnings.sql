-- urna schema, version 3: the warnings of the live snapshot (unknown
-- fields, Elekto quirks urna runs correctly: docs/metadata.md), one row
-- each, with the election the file belongs to ('' = none). urna-sync
-- replaces them in the transaction that stores the snapshot; the officers'
-- page lists those of its election.
CREATE TABLE IF NOT EXISTS sync_warnings (
  seq         INT NOT NULL PRIMARY KEY,
  election_id VARCHAR(191) NOT NULL,
  text        TEXT NOT NULL,
  KEY sync_warnings_election (election_id, seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
