/*
 * common.c - what the importers share: their transaction, the village lock,
 * money for messages, notes and the end of a file with problems
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <importers/field.h>
#include <ledger/i18n.h>

#include "internal.h"

int
cj__txn_begin(cj__txn *t, cj_db *db)
{
	int err;

	t->db = db;
	t->own = PQtransactionStatus(cj_db_conn(db)) == PQTRANS_IDLE;
	err = cj_db_exec(db, NULL, t->own ? "BEGIN" : "SAVEPOINT cj_import", 0, NULL);
	t->open = !err;
	return err;
}

int
cj__txn_commit(cj__txn *t)
{
	int err;

	if (!t->open)
		return 0;
	err = cj_db_exec(t->db, NULL, t->own ? "COMMIT" : "RELEASE SAVEPOINT cj_import", 0, NULL);
	if (err) {
		cj__txn_rollback(t);
		return err;
	}
	t->open = 0;
	return 0;
}

void
cj__txn_rollback(cj__txn *t)
{
	if (!t->open)
		return;
	t->open = 0;
	if (t->own) {
		cj_db_rollback(t->db);
	} else {
		/* not through cj_db_exec: the handle keeps the message of what failed */
		PGresult *res = PQexec(cj_db_conn(t->db), "ROLLBACK TO SAVEPOINT cj_import; "
							  "RELEASE SAVEPOINT cj_import");
		PQclear(res);
	}
}

int
cj__check_deferred(cj_db *db)
{
	return cj_db_exec(db, NULL, "SET CONSTRAINTS ALL IMMEDIATE", 0, NULL);
}

int
cj__txn_finish(cj__txn *t, int keep)
{
	int err;

	if (keep)
		return cj__txn_commit(t);
	/* a dry run in its own transaction: what COMMIT would check, checked,
	 * then rolled back (in a caller's, the checks would take in the
	 * caller's own pending work, which is not ours to judge) */
	err = t->own && t->open ? cj__check_deferred(t->db) : 0;
	cj__txn_rollback(t);
	return err;
}

const char *
cj__yuan(char buf[CJ_MONEY_FMT_MAX], int64_t fen)
{
	if (cj_money_format(buf, CJ_MONEY_FMT_MAX, cj_money_from_fen(fen), CJ_MONEY_FMT_GROUPED) < 0)
		snprintf(buf, CJ_MONEY_FMT_MAX, "%lld fen", (long long)fen);
	return buf;
}

int
cj__row_blank(const cj_sheet *s)
{
	for (size_t i = 0; i < cj_sheet_nfields(s); i++) {
		char v[8];
		if (cj_field_trim(v, sizeof v, cj_sheet_field(s, i)) || v[0])
			return 0;
	}
	return 1;
}

int
cj__problems_hand_over(cj_db *db, cj_problems *l, const cj_import_cb *cb, size_t *count)
{
	size_t n = cj_problems_count(l);

	if (cj_problems_status(l))
		return cj_db_fail(db, CJ_ENOMEM, _("%s: out of memory"), l->file);
	if (!n)
		return 0;
	*count = n;
	cj_problems_send(l, cb);
	return cj_db_fail(db, CJ_EINVAL, _("%s: %zu problem%s; nothing was imported"), l->file, n,
			  n == 1 ? "" : "s");
}

int
cj__fail_where(cj_db *db, int err, const char *fmt, ...)
{
	char where[600], msg[1100];
	va_list ap;

	snprintf(msg, sizeof msg, "%s", cj_db_errmsg(db));
	va_start(ap, fmt);
	vsnprintf(where, sizeof where, fmt, ap);
	va_end(ap);
	return cj_db_fail(db, err, "%s: %s", where, msg);
}

int
cj__fail_file(cj_db *db, int err, const char *file)
{
	char msg[1100];

	snprintf(msg, sizeof msg, "%s", cj_db_errmsg(db));
	if (!strncmp(msg, file, strlen(file)))
		return cj_db_fail(db, err, _("%s; nothing was imported"), msg);
	return cj_db_fail(db, err, _("%s: %s; nothing was imported"), file, msg);
}

void
cj__progress(const cj_import_cb *cb, const char *phase, uint64_t done, uint64_t total)
{
	if (cb && cb->progress)
		cb->progress(phase, done, total, cb->payload);
}

void
cj__note(const cj_import_cb *cb, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	if (!cb || !cb->note)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	cb->note(msg, cb->payload);
}
