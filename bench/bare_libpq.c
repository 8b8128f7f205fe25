/*
 * bare_libpq.c - the yardstick of bench_cli: a bare libpq process doing the
 * work of `cunji org list` or `cunji post` (connect, the same statements,
 * exit), with none of cunji's checks in C and no schema check.
 *
 *   bench_bare org-list CONNINFO
 *   bench_bare post CONNINFO VILLAGE_CODE YYYY-MM-DD
 *
 * The post sends what cj_post_batch sends for one two-line voucher of 1.00
 * (101 against 501): the village, its books and chart, then BEGIN and the
 * number reservation in one round trip, then the voucher, its lines and
 * COMMIT in another.  Statements are unnamed, as a one-off program's would be.
 * The statements are copies of those in ledger/lib/org.c and voucher.c (a
 * bare program cannot use the library): keep them the same.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

static PGconn *conn;

static void
die(const char *what)
{
	fprintf(stderr, "bench_bare: %s: %s", what, PQerrorMessage(conn));
	exit(1);
}

static PGresult *
query(const char *sql, int n, const char *const *params)
{
	PGresult *res = PQexecParams(conn, sql, n, NULL, params, NULL, NULL, 0);

	if (PQresultStatus(res) != PGRES_TUPLES_OK && PQresultStatus(res) != PGRES_COMMAND_OK)
		die(sql);
	return res;
}

static void
print(PGresult *res)
{
	for (int i = 0; i < PQntuples(res); i++)
		for (int j = 0; j < PQnfields(res); j++)
			printf("%s%c", PQgetvalue(res, i, j), j + 1 < PQnfields(res) ? '\t' : '\n');
	PQclear(res);
}

/* n statements in one round trip; the result of the last is returned, and
 * that of statement `keep` (if not the last) into *kept */
static PGresult *
pipeline_keep(int n, const char *const *sql, const int *nparams, const char *const *const *params,
	      int keep, PGresult **kept)
{
	PGresult *last = NULL, *res;

	if (!PQenterPipelineMode(conn))
		die("pipeline");
	for (int i = 0; i < n; i++)
		if (!PQsendQueryParams(conn, sql[i], nparams[i], NULL, params[i], NULL, NULL, 0))
			die(sql[i]);
	if (!PQpipelineSync(conn))
		die("sync");
	for (int i = 0; i < n; i++) {
		res = PQgetResult(conn);
		if (PQresultStatus(res) != PGRES_TUPLES_OK && PQresultStatus(res) != PGRES_COMMAND_OK)
			die(sql[i]);
		if (last && i - 1 == keep && kept)
			*kept = last;
		else
			PQclear(last);
		last = res;
		while ((res = PQgetResult(conn)))
			PQclear(res);
	}
	res = PQgetResult(conn); /* the sync */
	PQclear(res);
	PQexitPipelineMode(conn);
	return last;
}

static PGresult *
pipeline(int n, const char *const *sql, const int *nparams, const char *const *const *params)
{
	return pipeline_keep(n, sql, nparams, params, -1, NULL);
}

static const char list_sql[] =
	"WITH RECURSIVE t AS (\n"
	"    SELECT o.id, o.code::text AS path FROM org o\n"
	"     WHERE ($1::text IS NULL AND o.parent_id IS NULL) OR o.code = $1\n"
	"    UNION ALL\n"
	"    SELECT c.id, t.path || '/' || c.code FROM org c JOIN t ON c.parent_id = t.id)\n"
	"SELECT o.id, o.level, o.code, o.name, coalesce(p.code, ''),\n"
	"       coalesce(to_char(b.start_period, 'YYYY-MM'), '')\n"
	"  FROM t JOIN org o ON o.id = t.id\n"
	"  LEFT JOIN org p ON p.id = o.parent_id\n"
	"  LEFT JOIN village_books b ON b.village_id = o.id\n"
	" ORDER BY t.path";

static const char find_sql[] =
	"SELECT o.id, o.level, o.code, o.name, coalesce(p.code, ''),\n"
	"       coalesce(to_char(b.start_period, 'YYYY-MM'), '')\n"
	"  FROM org o\n"
	"  LEFT JOIN org p ON p.id = o.parent_id\n"
	"  LEFT JOIN village_books b ON b.village_id = o.id\n"
	" WHERE o.code = $1";

static const char books_sql[] =
	"SELECT to_char(b.start_period, 'YYYY-MM'), o.code\n"
	"  FROM village_books b JOIN org o ON o.id = b.village_id\n"
	" WHERE b.village_id = $1";

static const char accounts_sql[] =
	"SELECT code, is_leaf, active FROM account WHERE village_id = $1 ORDER BY code";

static const char reserve_sql[] =
	"WITH k AS (SELECT * FROM unnest($1::int[], $2::date[], $3::int[])\n"
	"                   WITH ORDINALITY AS k(village_id, period, n, i)),\n"
	"c AS (INSERT INTO voucher_counter AS c (village_id, period, last_number)\n"
	"      SELECT village_id, period, n FROM k ORDER BY village_id, period\n"
	"      ON CONFLICT (village_id, period) DO UPDATE\n"
	"         SET last_number = c.last_number + EXCLUDED.last_number\n"
	"      RETURNING village_id, period, last_number)\n"
	"SELECT k.i, c.last_number::bigint - k.n, NULL FROM c JOIN k USING (village_id, period)\n"
	"UNION ALL\n"
	"SELECT 0, 0, CASE WHEN max(x) - min(x) + 1 = count(*) THEN min(x) || '-' || max(x)\n"
	"                  ELSE array_agg(x)::text END\n"
	"  FROM (SELECT nextval('voucher_id_seq') AS x FROM generate_series(1, $4::integer)) s";
static const char closed_sql[] =
	"SELECT p.village_id, to_char(p.period, 'YYYY-MM') FROM period_state p\n"
	" WHERE p.closed AND (p.village_id, p.period) IN (SELECT * FROM unnest($1::int[], $2::date[]))";
static const char insert_voucher_sql[] =
	"INSERT INTO voucher (village_id, id, period, number, voucher_date, kind, summary,\n"
	"                     attachments, external_id, content_hash, reverses_id,\n"
	"                     negative_cash_reason)\n"
	"SELECT * FROM unnest($1::int[], $2::bigint[], $3::date[], $4::int[], $5::date[], $6::text[],\n"
	"                     $7::text[], $8::int[], $9::text[], $10::text[], $11::bigint[],\n"
	"                     $12::text[])";
static const char insert_line_sql[] =
	"INSERT INTO voucher_line (village_id, voucher_id, line_no, period, account_code, debit_fen,\n"
	"                          credit_fen, summary, counterparty, fund_id, project_id)\n"
	"SELECT * FROM unnest($1::int[], $2::bigint[], $3::smallint[], $4::date[], $5::text[],\n"
	"                     $6::bigint[], $7::bigint[], $8::text[], $9::text[], $10::bigint[],\n"
	"                     $11::bigint[])";

static void
post(const char *village, const char *date)
{
	char vid[32], per[16], num[32], id[32], a[12][80], l[11][120];
	const char *p1[1], *p4[4], *vp[12], *lp[11];
	PGresult *res;

	p1[0] = village;
	res = query(find_sql, 1, p1);
	if (PQntuples(res) != 1)
		die("no such village");
	snprintf(vid, sizeof vid, "{%s}", PQgetvalue(res, 0, 0));
	p1[0] = PQgetvalue(res, 0, 0);
	PQclear(query(books_sql, 1, p1));
	PQclear(query(accounts_sql, 1, p1));
	PQclear(res);

	snprintf(per, sizeof per, "{%.7s-01}", date);
	p4[0] = vid, p4[1] = per, p4[2] = "{1}", p4[3] = "1";
	{
		const char *sql[3] = {"BEGIN", reserve_sql, closed_sql};
		const int np[3] = {0, 4, 2};
		const char *const *pp[3] = {NULL, p4, p4};
		PGresult *r = NULL;
		/* one round trip, as cj_post_batch's */
		res = pipeline_keep(3, sql, np, pp, 1, &r);
		if (!r)
			die("reserve");
		/* the number: the row of the month; the id: "lo-hi" of row 0 */
		for (int i = 0; i < PQntuples(r); i++) {
			if (strcmp(PQgetvalue(r, i, 0), "0"))
				snprintf(num, sizeof num, "{%lld}", atoll(PQgetvalue(r, i, 1)) + 1);
			else
				snprintf(id, sizeof id, "{%lld}", atoll(PQgetvalue(r, i, 2)));
		}
		PQclear(r);
	}
	if (PQntuples(res))
		die("closed month");
	PQclear(res);
	snprintf(a[0], 80, "%s", vid);
	snprintf(a[1], 80, "%s", id);
	snprintf(a[2], 80, "%s", per);
	snprintf(a[3], 80, "%s", num);
	snprintf(a[4], 80, "{%s}", date);
	snprintf(a[5], 80, "{normal}");
	snprintf(a[6], 80, "{bench}");
	snprintf(a[7], 80, "{0}");
	snprintf(a[8], 80, "{NULL}");
	snprintf(a[9], 80, "{%064d}", 0);
	snprintf(a[10], 80, "{NULL}");
	snprintf(a[11], 80, "{NULL}");
	/* vid and id are "{N}": the line arrays repeat N twice */
	snprintf(l[0], 120, "{%.*s,%.*s}", (int)strlen(vid) - 2, vid + 1, (int)strlen(vid) - 2, vid + 1);
	snprintf(l[1], 120, "{%.*s,%.*s}", (int)strlen(id) - 2, id + 1, (int)strlen(id) - 2, id + 1);
	snprintf(l[2], 120, "{1,2}");
	snprintf(l[3], 120, "{%.7s-01,%.7s-01}", date, date);
	snprintf(l[4], 120, "{101,501}");
	snprintf(l[5], 120, "{100,0}");
	snprintf(l[6], 120, "{0,100}");
	snprintf(l[7], 120, "{bench,bench}");
	snprintf(l[8], 120, "{NULL,NULL}");
	snprintf(l[9], 120, "{NULL,NULL}");
	snprintf(l[10], 120, "{NULL,NULL}");
	for (int k = 0; k < 12; k++)
		vp[k] = a[k];
	for (int k = 0; k < 11; k++)
		lp[k] = l[k];
	{
		const char *sql[3] = {insert_voucher_sql, insert_line_sql, "COMMIT"};
		const int np[3] = {12, 11, 0};
		const char *const *pp[3] = {vp, lp, NULL};
		PQclear(pipeline(3, sql, np, pp));
	}
	printf("posted %s\n", num);
}

int
main(int argc, char **argv)
{
	static const char *const keys[] = {"dbname", "options", NULL};
	const char *vals[] = {NULL, "-c search_path=cunji,pg_catalog", NULL};

	if (argc < 3 || (strcmp(argv[1], "org-list") && (strcmp(argv[1], "post") || argc < 5))) {
		fprintf(stderr, "usage: bench_bare org-list CONNINFO | post CONNINFO VILLAGE DATE\n");
		return 2;
	}
	vals[0] = argv[2];
	conn = PQconnectdbParams(keys, vals, 1);
	if (PQstatus(conn) != CONNECTION_OK)
		die("connect");
	if (!strcmp(argv[1], "org-list")) {
		const char *p1[1] = {NULL};
		print(query(list_sql, 1, p1));
	} else {
		post(argv[3], argv[4]);
	}
	PQfinish(conn);
	return 0;
}
