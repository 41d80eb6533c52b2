-- urna schema, version 2: large values are stored zlib-compressed (see
-- src/store/blob.h), so their columns hold bytes. Rows written by version 1
-- (plain text) read back unchanged.
ALTER TABLE snapshots MODIFY body LONGBLOB NOT NULL;
ALTER TABLE results MODIFY body LONGBLOB NOT NULL;
ALTER TABLE results MODIFY ballots_csv LONGBLOB NOT NULL;
ALTER TABLE results MODIFY ballots_blt LONGBLOB NOT NULL;
