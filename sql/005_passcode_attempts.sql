-- urna schema, version 5: failed passcode attempts per voter and election
-- (issue 8), shared by every worker and web host. One row per voter who has
-- tried a passcode in an election: when the current window of one hour
-- began (Unix seconds) and how many attempts in it did not open the ballot.
-- No passcode, no ballot, no ballot id: the row says only that this voter
-- typed a passcode at some time, which the voter's own voters_voted row
-- already implies. store/attempt_store.h has the rules.
CREATE TABLE IF NOT EXISTS passcode_attempts (
  election_id  VARCHAR(191) NOT NULL,
  login        VARCHAR(191) NOT NULL,
  window_start BIGINT NOT NULL,
  failures     INT NOT NULL,
  PRIMARY KEY (election_id, login)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
