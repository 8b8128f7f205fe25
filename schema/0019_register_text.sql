-- 0019_register_text.sql - the names a disclosure sheet prints, plain text
--
-- 0011 kept control characters, line separators and bidirectional controls
-- (plain_text) out of vouchers, organisations and accounts.  The member
-- register, the funds and the projects are printed on the same sheets (the
-- dividend list, 项目资金公告公示表) and were left open: a head's name holding
-- U+202E shows on the posted sheet reversed, one with a line break breaks the
-- table.  The same rule now holds for them, in C (cj_household_check,
-- cj_fund_add, cj_allocation_add, cj_project_add) and here.  A project's
-- content, goals and benefit mechanism are paragraphs and may run over lines.
-- NOT VALID as in 0011: rows already written are not re-read.
ALTER TABLE household
	ADD CONSTRAINT household_text_plain
	CHECK (plain_text(head_name) AND plain_text(phone) AND plain_text(bank_name)) NOT VALID;
ALTER TABLE household_member
	ADD CONSTRAINT household_member_text_plain
	CHECK (plain_text(name) AND plain_text(relation)) NOT VALID;
ALTER TABLE fund
	ADD CONSTRAINT fund_text_plain
	CHECK (plain_text(code) AND plain_text(name) AND plain_text(doc_no)) NOT VALID;
ALTER TABLE fund_allocation
	ADD CONSTRAINT fund_allocation_text_plain
	CHECK (plain_text(name) AND plain_text(doc_no)) NOT VALID;
ALTER TABLE project
	ADD CONSTRAINT project_text_plain
	CHECK (plain_text(code) AND plain_text(name) AND plain_text(category)
	       AND plain_text(implementing_unit) AND plain_text(responsible)) NOT VALID;
