-- urna schema, version 6: sessions that end before they expire, and
-- sign-in attempts that work once (issue 9; docs/login.md).
--
-- session_ends: per login, the time (Unix seconds, the web host's clock)
-- at or before which every session of that login was ended by a sign-out.
-- A session cookie issued at or before `valid_after` is refused on every
-- route that reads the session. Only raised (GREATEST), one row per login
-- that ever signed out.
CREATE TABLE IF NOT EXISTS session_ends (
  login       VARCHAR(191) NOT NULL PRIMARY KEY,
  valid_after BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- login_states_used: the `state` of every OAuth callback and the token of
-- every demo sign-in form that was used, until the signed `urna_login`
-- cookie carrying it expires (`expires_at`, Unix seconds); a second use is
-- refused. Expired rows are deleted as new ones arrive.
CREATE TABLE IF NOT EXISTS login_states_used (
  state      CHAR(32) NOT NULL PRIMARY KEY,
  expires_at BIGINT NOT NULL,
  KEY login_states_used_expiry (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=ascii COLLATE=ascii_bin;
