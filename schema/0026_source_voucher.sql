-- 0026_source_voucher.sql - the paper a voucher came from
--
-- A file of vouchers carries the clerk's own 凭证号 and 制单人.  The voucher
-- keeps its number in the books (记字第N号, gapless per month) and records
-- the paper's beside it: source_number is the 凭证号 the file gave, shown
-- with the voucher so that it can be found in the bound paper; and
-- source_preparer the name the file's 制单人 column wrote.  Who prepared it
-- in cunji stays the session's (preparer, prepared_by): a name in a file is
-- never taken for a login.  Both plain text (0011's plain_text), at most 200
-- characters, NULL when the file did not say.
ALTER TABLE voucher
	ADD COLUMN source_number text,
	ADD COLUMN source_preparer text,
	ADD CONSTRAINT voucher_source_plain
	CHECK (plain_text(source_number) AND plain_text(source_preparer)
	       AND char_length(source_number) <= 200 AND char_length(source_preparer) <= 200);
