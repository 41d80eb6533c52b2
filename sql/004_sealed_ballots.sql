-- urna schema, version 4: ballots sealed to the election's public ballot key
-- before they reach the database (DESIGN.md §4, issue 8). A row holds the
-- random 128-bit id, the election and the ciphertext (crypto/ballot_box.h:
-- X25519 + HKDF-SHA256 + AES-256-GCM over the padded whole-ballot plaintext,
-- core/ballot_plaintext.h); no question, no ranking, no voter, no time.
-- Only urna-tally, with the private key from its key_dir, can open one.
-- The plaintext `ballots` table of versions 1-3 is still read by urna-tally
-- (rows cast before this version) and written by nothing.
CREATE TABLE IF NOT EXISTS sealed_ballots (
  id           BINARY(16) NOT NULL PRIMARY KEY,
  election_id  VARCHAR(191) NOT NULL,
  ciphertext   BLOB NOT NULL,
  receipt_hash CHAR(64) NULL,
  KEY sealed_ballots_election (election_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The voter's sealed record now holds the ballot id and the ballot's
-- plaintext (so "view my ballot" needs only the passcode): more than 128
-- bytes. The salt's first byte names the passcode KDF (a 16-byte salt from
-- versions 1-3 is scrypt).
ALTER TABLE voters_voted MODIFY sealed BLOB NULL;
ALTER TABLE voters_voted MODIFY salt VARBINARY(64) NULL;
