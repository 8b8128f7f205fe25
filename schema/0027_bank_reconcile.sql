-- 0027_bank_reconcile.sql - 银行存款余额调节表: a bank statement's lines, and which
-- ledger line each is reconciled with.
--
-- bank_statement_line holds the lines of a bank's statement (对账单) for one
-- bank account of a village, as `cunji bank statement` reads them (the reader
-- of `import bank`); a line's row_key comes from the row itself (date, amount,
-- balance, counterparty, memo, serial), so reading a statement again adds
-- only the lines not read before.  Lines are only added, never changed.
--
-- bank_reconcile pairs a statement line with a line of the ledger (a
-- voucher_line on the same account): one ledger line per statement line and
-- one statement line per ledger line; the pair must be the same money the
-- same way (a receipt on the statement is a debit of the bank account, a
-- payment a credit), which the trigger below checks whoever writes (CJ270).
-- `bank match` pairs by amount and date, `bank mark` by hand; a pair can be
-- taken back (`bank unmark`), so bookkeepers may DELETE here.
-- Both tables are keyed by village, with row-level security (secure_schema()
-- applies the policy village_scope after every run of migrations) and the
-- audit trail (audit_attach()).
CREATE TABLE bank_statement_line (
	village_id   integer NOT NULL REFERENCES org,
	id           bigint GENERATED ALWAYS AS IDENTITY,
	account_code text NOT NULL,
	line_date    date NOT NULL,
	in_fen       bigint NOT NULL DEFAULT 0 CHECK (in_fen >= 0),
	out_fen      bigint NOT NULL DEFAULT 0 CHECK (out_fen >= 0),
	balance_fen  bigint NOT NULL,
	summary      text NOT NULL DEFAULT ''
	             CHECK (plain_text(summary) AND char_length(summary) <= 400),
	row_key      text NOT NULL CHECK (char_length(row_key) BETWEEN 1 AND 300),
	source       text NOT NULL DEFAULT ''
	             CHECK (plain_text(source) AND char_length(source) <= 300),
	imported_by  name NOT NULL DEFAULT session_user,
	imported_at  timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (village_id, id),
	UNIQUE (village_id, account_code, row_key),
	FOREIGN KEY (village_id, account_code) REFERENCES account (village_id, code),
	CHECK ((in_fen > 0) <> (out_fen > 0))
);
COMMENT ON TABLE bank_statement_line IS
	'a line of a bank statement (对账单) of a village''s bank account, for 银行存款余额调节表';

CREATE TABLE bank_reconcile (
	village_id   integer NOT NULL,
	statement_id bigint NOT NULL,
	voucher_id   bigint NOT NULL,
	line_no      smallint NOT NULL,
	how          text NOT NULL CHECK (how IN ('auto', 'manual')),
	marked_by    name NOT NULL DEFAULT session_user,
	marked_at    timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (village_id, statement_id),
	UNIQUE (village_id, voucher_id, line_no),
	FOREIGN KEY (village_id, statement_id) REFERENCES bank_statement_line (village_id, id),
	FOREIGN KEY (village_id, voucher_id, line_no) REFERENCES voucher_line (village_id, voucher_id, line_no)
);
COMMENT ON TABLE bank_reconcile IS
	'a statement line reconciled with a ledger line of the same bank account (对账)';

-- A pair is the same money, the same way, on the same account.
CREATE FUNCTION bank_reconcile_check() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	bad record;
BEGIN
	SELECT n.statement_id, s.account_code AS s_account, l.account_code AS l_account,
	       s.in_fen, s.out_fen, l.debit_fen, l.credit_fen
	  INTO bad
	  FROM new_pairs n
	  JOIN bank_statement_line s ON s.village_id = n.village_id AND s.id = n.statement_id
	  JOIN voucher_line l ON l.village_id = n.village_id AND l.voucher_id = n.voucher_id
			     AND l.line_no = n.line_no
	 WHERE s.account_code <> l.account_code OR s.in_fen <> l.debit_fen
	    OR s.out_fen <> l.credit_fen
	 LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ270', MESSAGE = format(
			'statement line %s (%s, in %s, out %s fen) is not the ledger line it is '
			'reconciled with (%s, debit %s, credit %s fen)', bad.statement_id, bad.s_account,
			bad.in_fen, bad.out_fen, bad.l_account, bad.debit_fen, bad.credit_fen);
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER bank_reconcile_check AFTER INSERT ON bank_reconcile
	REFERENCING NEW TABLE AS new_pairs FOR EACH STATEMENT EXECUTE FUNCTION bank_reconcile_check();

-- Statement lines are only added; who and when are the session's.
CREATE FUNCTION bank_statement_line_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION USING ERRCODE = 'CJ271', MESSAGE =
		'a bank statement''s lines are kept as read: they are not changed or deleted';
END $$;
CREATE TRIGGER bank_statement_line_guard BEFORE UPDATE OR DELETE ON bank_statement_line
	FOR EACH ROW EXECUTE FUNCTION bank_statement_line_guard();

-- Who may: the kinds that post vouchers read statements and reconcile.
SELECT grant_insert_but('bank_statement_line', 'cunji_admin, cunji_bookkeeper, cunji_cashier',
			'{id, imported_by, imported_at}');
SELECT grant_insert_but('bank_reconcile', 'cunji_admin, cunji_bookkeeper, cunji_cashier',
			'{marked_by, marked_at}');
GRANT DELETE ON bank_reconcile TO cunji_admin, cunji_bookkeeper, cunji_cashier;
