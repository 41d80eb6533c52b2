-- urna schema, version 8: repeated booth submissions (issue 10). Every
-- booth page carries a random submission id; the voter's row keeps
-- SHA-256("urna-submission\n" election "\n" login "\n" id) of the last
-- submission that stored a ballot, so the same page sent again (F5 on the
-- answer, a double click, back and resubmit) stores nothing a second time
-- (src/store/ballot_store.h). The hash names a page view, never a ballot:
-- it says nothing about the choices and does not open anything.
ALTER TABLE voters_voted ADD COLUMN IF NOT EXISTS submission BINARY(32) NULL;
