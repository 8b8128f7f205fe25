/*
 * audit_schema.c - the schema's fingerprint (schema 0022): recorded after
 * every run of migrations, compared by audit verify
 *
 * One query lists what guards the books as the catalog shows it: every
 * function of the schema (definition, owner, privileges), every trigger
 * (definition, enabled or not), every table (row-level security, owner,
 * privileges, policies).  migrate.c stores the SHA-256 of each item; audit
 * verify reads the items again, hashes them in C and reports each that is
 * missing, new or different.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "internal.h"
#include <ledger/i18n.h>

#define ITEMS_SQL                                                                                  \
	"SELECT 'function' AS kind, p.oid::regprocedure::text AS name,\n"                          \
	"       pg_get_functiondef(p.oid) || E'\\n-- owner ' || p.proowner::regrole::text\n"         \
	"       || E'\\n-- acl ' || coalesce(p.proacl::text, '') AS def\n"                           \
	"  FROM pg_proc p WHERE p.pronamespace = 'cunji'::regnamespace AND p.prokind IN ('f', 'p')\n" \
	"UNION ALL\n"                                                                              \
	"SELECT 'trigger', c.relname || '.' || t.tgname,\n"                                        \
	"       pg_get_triggerdef(t.oid) || E'\\n-- enabled ' || t.tgenabled::text\n"                      \
	"  FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid\n"                               \
	" WHERE c.relnamespace = 'cunji'::regnamespace AND NOT t.tgisinternal\n"                   \
	"UNION ALL\n"                                                                              \
	"SELECT 'table', c.relname,\n"                                                             \
	"       concat_ws(E'\\n', 'row level security ' || c.relrowsecurity,\n"                     \
	"                 'forced ' || c.relforcerowsecurity, 'owner ' || c.relowner::regrole::text,\n" \
	"                 'acl ' || coalesce(c.relacl::text, ''),\n"                               \
	"                 (SELECT string_agg(concat_ws(' ', 'policy', p.polname, p.polcmd,\n"      \
	"                                              p.polpermissive, p.polroles::regrole[]::text,\n" \
	"                                              pg_get_expr(p.polqual, p.polrelid),\n"      \
	"                                              pg_get_expr(p.polwithcheck, p.polrelid)),\n" \
	"                                    E'\\n' ORDER BY p.polname)\n"                          \
	"                    FROM pg_policy p WHERE p.polrelid = c.oid))\n"                          \
	"  FROM pg_class c WHERE c.relnamespace = 'cunji'::regnamespace AND c.relkind IN ('r', 'p')\n"

/* What a finding says of each kind of object, whole sentences each (a
 * translated "function" pieced into one sentence would not read as one). */
static const struct schema_messages {
	const char *kind, *added, *dropped, *changed;
} schema_messages[] = {
	{"function", N_("schema: function %s is not of the migrations (added by hand)"),
	 N_("schema: function %s of the migrations is missing (dropped)"),
	 N_("schema: function %s differs from what the migrations made (its body, settings, "
	    "owner or privileges were replaced)")},
	{"trigger", N_("schema: trigger %s is not of the migrations (added by hand)"),
	 N_("schema: trigger %s of the migrations is missing (dropped)"),
	 N_("schema: trigger %s differs from what the migrations made (replaced, or disabled)")},
	{"table", N_("schema: table %s is not of the migrations (added by hand)"),
	 N_("schema: table %s of the migrations is missing (dropped)"),
	 N_("schema: table %s differs from what the migrations made (row-level security, owner, "
	    "privileges or policies)")},
};

/* The messages of a kind that ITEMS_SQL lists (a table's for any other). */
static const struct schema_messages *
messages_of(const char *kind)
{
	for (size_t i = 0; i < sizeof schema_messages / sizeof schema_messages[0] - 1; i++)
		if (!strcmp(kind, schema_messages[i].kind))
			return &schema_messages[i];
	return &schema_messages[sizeof schema_messages / sizeof schema_messages[0] - 1];
}

const char cj__schema_record_sql[] =
	"WITH i AS (" ITEMS_SQL "),\n"
	"gone AS (DELETE FROM cunji.schema_fingerprint f\n"
	"          WHERE NOT EXISTS (SELECT 1 FROM i WHERE i.kind = f.kind AND i.name = f.name))\n"
	"INSERT INTO cunji.schema_fingerprint AS f (kind, name, sha256)\n"
	"SELECT kind, name, encode(sha256(convert_to(def, 'UTF8')), 'hex') FROM i\n"
	"ON CONFLICT (kind, name) DO UPDATE SET sha256 = EXCLUDED.sha256\n"
	" WHERE f.sha256 <> EXCLUDED.sha256";

/* Both lists in one name order (C collation), the recorded hash beside the
 * definition. */
static const char compare_sql[] =
	"WITH i AS (" ITEMS_SQL ")\n"
	"SELECT coalesce(i.kind, f.kind), coalesce(i.name, f.name) COLLATE \"C\", i.def, f.sha256\n"
	"  FROM i FULL JOIN cunji.schema_fingerprint f ON f.kind = i.kind AND f.name = i.name\n"
	" ORDER BY 1, 2";

/* The audit trigger and row-level security, named plainly (the fingerprint
 * says only that a table or trigger differs). $1: the tables not audited. */
static const char guards_sql[] =
	"SELECT c.relname,\n"
	"       NOT c.relname = ANY ($1::text[]) AND c.relpersistence = 'p'\n"
	"         AND NOT EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid\n"
	"                           AND t.tgname = 'zz_audit_row' AND t.tgenabled = 'O'),\n"
	"       EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid\n"
	"                 AND a.attname = 'village_id' AND NOT a.attisdropped)\n"
	"         AND NOT (c.relrowsecurity AND c.relforcerowsecurity),\n"
	"       (SELECT string_agg(t.tgname, ', ' ORDER BY t.tgname) FROM pg_trigger t\n"
	"         WHERE t.tgrelid = c.oid AND NOT t.tgisinternal AND t.tgenabled <> 'O')\n"
	"  FROM pg_class c WHERE c.relnamespace = 'cunji'::regnamespace AND c.relkind IN ('r', 'p')\n"
	" ORDER BY c.relname COLLATE \"C\"";

static void
sha256_hex(const char *s, char hex[65])
{
	static const char digits[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	hex[0] = '\0';
	if (!EVP_Digest(s, strlen(s), md, &n, EVP_sha256(), NULL) || n < 32)
		return;
	for (int i = 0; i < 32; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[64] = '\0';
}

int
cj__audit_verify_schema(cj_db *db, cj_findings *out, size_t *items)
{
	const char *params[1] = {cj__audit_excluded};
	PGresult *res;
	int err;

	err = cj_db_exec(db, &res, compare_sql, 0, NULL);
	if (err)
		return err;
	*items = (size_t)PQntuples(res);
	for (int i = 0; i < PQntuples(res) && !err; i++) {
		const char *kind = PQgetvalue(res, i, 0), *name = PQgetvalue(res, i, 1);
		const struct schema_messages *m = messages_of(kind);
		char hex[65];

		if (PQgetisnull(res, i, 3))
			err = cj_findings_add(out, NULL, NULL, _(m->added), name);
		else if (PQgetisnull(res, i, 2))
			err = cj_findings_add(out, NULL, NULL, _(m->dropped), name);
		else if (sha256_hex(PQgetvalue(res, i, 2), hex),
			 strcmp(hex, PQgetvalue(res, i, 3)))
			err = cj_findings_add(out, NULL, NULL, _(m->changed), name);
	}
	PQclear(res);
	if (err)
		return cj_db_fail(db, CJ_ENOMEM, _("out of memory"));

	err = cj_db_exec(db, &res, guards_sql, 1, params);
	if (err)
		return err;
	for (int i = 0; i < PQntuples(res) && !err; i++) {
		const char *t = PQgetvalue(res, i, 0);
		if (!strcmp(PQgetvalue(res, i, 1), "t"))
			err = cj_findings_add(out, NULL, NULL,
					      _("schema: table %s has no enabled audit trigger: its "
					      "changes are not recorded"),
					      t);
		if (!err && !strcmp(PQgetvalue(res, i, 2), "t"))
			err = cj_findings_add(out, NULL, NULL,
					      _("schema: row-level security is not enabled and forced on "
					      "table %s"),
					      t);
		if (!err && !PQgetisnull(res, i, 3))
			err = cj_findings_add(out, NULL, NULL,
					      _("schema: on table %s, triggers not enabled: %s"), t,
					      PQgetvalue(res, i, 3));
	}
	PQclear(res);
	return err ? cj_db_fail(db, CJ_ENOMEM, _("out of memory")) : 0;
}
