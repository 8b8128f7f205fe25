/*
 * backup.c - cunji db backup and restore, by pg_dump and pg_restore
 *
 * The embedded database is dumped and restored as the bootstrap superuser
 * (row-level security hides rows from every login, and only a superuser
 * may give cunji_owner BYPASSRLS again on a new server).  A restore goes
 * into a new database, which takes the old one's name only when all went
 * well: the old books stay as they were on any failure.
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libpq-fe.h>

#include <ledger/backup.h>
#include <ledger/cluster.h>
#include <ledger/i18n.h>

#include "internal.h"

/* The mark on a database being restored (dropped by the next restore if left). */
#define RESTORING_MARK "cunji restore in progress: dropped by the next restore if left"
#define CONNINFO_MAX (PATH_MAX + 256)

static int
fail(char *err, size_t errsize, int status, const char *fmt, ...) CJ_PRINTF(4, 5);
static int
fail(char *err, size_t errsize, int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errsize, fmt, ap);
	va_end(ap);
	return status;
}

/* The last non-empty line of a file (a tool's stderr), trimmed. */
static void
last_line(int fd, char *out, size_t size)
{
	char buf[4096];
	ssize_t n;
	char *end, *start;

	*out = 0;
	if (lseek(fd, 0, SEEK_END) > (off_t)sizeof buf - 1)
		lseek(fd, -(off_t)(sizeof buf - 1), SEEK_END);
	else
		lseek(fd, 0, SEEK_SET);
	n = read(fd, buf, sizeof buf - 1);
	if (n <= 0)
		return;
	buf[n] = 0;
	end = buf + n;
	while (end > buf && (end[-1] == '\n' || end[-1] == ' '))
		*--end = 0;
	start = strrchr(buf, '\n');
	start = start ? start + 1 : buf;
	n = (ssize_t)strlen(start);
	if ((size_t)n >= size) /* the end of a long line is cut: it is only shown */
		n = (ssize_t)size - 1;
	memcpy(out, start, (size_t)n);
	out[n] = 0;
}

/*
 * Run PostgreSQL's program `tool` with args (NULL-terminated, after the
 * program's name); its stdout into out_fd (-1: /dev/null).  0 when it
 * exited 0, else CJ_ERROR with its last line of stderr in err.
 */
static int
run_tool(const char *tool, const char *const *args, int out_fd, char *err, size_t errsize)
{
	const char *bindir = cj__pg_bindir();
	char path[PATH_MAX], last[512];
	const char *argv[24];
	FILE *errf;
	pid_t pid;
	int n = 0, status;

	if (!bindir)
		return fail(err, errsize, CJ_ERROR, _("PostgreSQL's programs (%s) not found; install "
						      "postgresql-15 or set CUNJI_PG_BINDIR"),
			    tool);
	snprintf(path, sizeof path, "%s/%s", bindir, tool);
	argv[n++] = path;
	for (; *args && n < 23; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	if (!(errf = tmpfile()))
		return fail(err, errsize, CJ_EIO, "tmpfile: %s", strerror(errno));
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		fclose(errf);
		return fail(err, errsize, CJ_ERROR, "fork: %s", strerror(errno));
	}
	if (pid == 0) {
		int nul = open("/dev/null", O_RDWR);
		/* the caller's PGOPTIONS may switch triggers off or move search_path */
		unsetenv("PGOPTIONS");
		dup2(nul, 0);
		dup2(out_fd >= 0 ? out_fd : nul, 1);
		dup2(fileno(errf), 2);
		execv(path, (char *const *)argv);
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			fclose(errf);
			return fail(err, errsize, CJ_ERROR, "waitpid: %s", strerror(errno));
		}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		fclose(errf);
		return 0;
	}
	last_line(fileno(errf), last, sizeof last);
	fclose(errf);
	return fail(err, errsize, CJ_ERROR, _("%s failed: %s"), tool, *last ? last : _("no message"));
}

/* The conninfo pg_dump and pg_restore take with -d, and the user with -U. */
static int
target_conninfo(const cj_backup_target *t, const char *dbname, char *ci, size_t size,
		char *err, size_t errsize)
{
	if (t->home) {
		/* starts the server when it is not running; creates dbname when missing */
		return cj_cluster_ensure(t->home, dbname ? dbname : t->dbname, ci, size, NULL, err,
					 errsize);
	}
	if ((size_t)snprintf(ci, size, "%s", t->conninfo) >= size)
		return fail(err, errsize, CJ_EINVAL, _("the connection string is too long"));
	return 0;
}

static PGconn *
connect_to(const cj_backup_target *t, const char *ci, char *err, size_t errsize)
{
	const char *keys[] = {"dbname", t->home ? NULL : (t->user ? "user" : NULL), NULL};
	const char *vals[] = {ci, t->user, NULL};
	PGconn *conn = PQconnectdbParams(keys, vals, 1);

	if (PQstatus(conn) != CONNECTION_OK) {
		fail(err, errsize, CJ_EDB, _("cannot connect to the database: %s"), PQerrorMessage(conn));
		PQfinish(conn);
		return NULL;
	}
	return conn;
}

/* Run sql (with at most one parameter); CJ_EDB with what and the message in err. */
static int
exec(PGconn *conn, PGresult **out, const char *sql, const char *param, const char *what,
     char *err, size_t errsize)
{
	PGresult *res = PQexecParams(conn, sql, param ? 1 : 0, NULL, &param, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(res);

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
		fail(err, errsize, CJ_EDB, "%s: %s", what, msg ? msg : PQerrorMessage(conn));
		PQclear(res);
		return CJ_EDB;
	}
	if (out)
		*out = res;
	else
		PQclear(res);
	return 0;
}

/* Run "FORMAT ident" (one %s) with ident quoted as an identifier. */
static int
exec_ident(PGconn *conn, const char *format, const char *ident, const char *what, char *err,
	   size_t errsize)
{
	char *quoted = PQescapeIdentifier(conn, ident, strlen(ident));
	char sql[512];
	int status;

	if (!quoted)
		return fail(err, errsize, CJ_ENOMEM, "%s", PQerrorMessage(conn));
	snprintf(sql, sizeof sql, format, quoted);
	PQfreemem(quoted);
	status = exec(conn, NULL, sql, NULL, what, err, errsize);
	return status;
}

/* Whether the embedded cluster has the target's database: asked of the
 * maintenance database, so as not to create it. */
static int
embedded_exists(const cj_backup_target *t, int *exists, char *err, size_t errsize)
{
	char ci[CONNINFO_MAX];
	PGconn *conn;
	PGresult *res;
	int status;

	if ((status = target_conninfo(t, "postgres", ci, sizeof ci, err, errsize)))
		return status;
	if (!(conn = connect_to(t, ci, err, errsize)))
		return CJ_EDB;
	status = exec(conn, &res, "SELECT 1 FROM pg_database WHERE datname = $1", t->dbname,
		      _("looking for the database"), err, errsize);
	if (!status) {
		*exists = PQntuples(res) == 1;
		PQclear(res);
	}
	PQfinish(conn);
	return status;
}

int
cj_db_backup(const cj_backup_target *t, const char *file, char *err, size_t errsize)
{
	char ci[CONNINFO_MAX], tmp[PATH_MAX];
	int status, exists = 0;

	/* a backup of books that are not there would make them, empty, and copy nothing */
	if (t->home && (status = embedded_exists(t, &exists, err, errsize)))
		return status;
	if (t->home && !exists)
		return fail(err, errsize, CJ_ENOTFOUND,
			    _("database %s does not exist: there are no books to back up (is the "
			      "database name right? 'cunji db status' shows where the books are)"),
			    t->dbname);
	if ((status = target_conninfo(t, NULL, ci, sizeof ci, err, errsize)))
		return status;
	if ((size_t)snprintf(tmp, sizeof tmp, "%s.part", file) >= sizeof tmp)
		return fail(err, errsize, CJ_EINVAL, _("the file name is too long: %s"), file);
	{
		const char *args[] = {"--format=custom", "--file", tmp, "--dbname", ci,
				      t->user && !t->home ? "--username" : NULL, t->user, NULL};
		status = run_tool("pg_dump", args, -1, err, errsize);
	}
	if (!status && rename(tmp, file))
		status = fail(err, errsize, CJ_EIO, _("cannot write %s: %s"), file, strerror(errno));
	if (status)
		unlink(tmp);
	return status;
}

int
cj_db_backup_check(const char *file, char *err, size_t errsize)
{
	char line[512];
	FILE *list;
	int status, found = 0;
	struct stat st;

	if (stat(file, &st) || !S_ISREG(st.st_mode))
		return fail(err, errsize, CJ_ENOTFOUND, _("cannot read %s: %s"), file,
			    errno ? strerror(errno) : _("not a file"));
	if (!(list = tmpfile()))
		return fail(err, errsize, CJ_EIO, "tmpfile: %s", strerror(errno));
	{
		const char *args[] = {"--list", file, NULL};
		status = run_tool("pg_restore", args, fileno(list), err, errsize);
	}
	if (status) {
		fclose(list);
		return fail(err, errsize, CJ_EINVAL, _("%s is not a backup made by cunji db backup (%s)"),
			    file, err);
	}
	rewind(list);
	while (!found && fgets(line, sizeof line, list))
		found = strstr(line, " SCHEMA - cunji ") != NULL;
	fclose(list);
	if (!found)
		return fail(err, errsize, CJ_EINVAL,
			    _("%s is a PostgreSQL backup, but not of cunji books (it has no schema cunji)"),
			    file);
	return 0;
}

/* What the database conn is connected to holds. */
static int
held_on(PGconn *conn, cj_books_held *out, char *err, size_t errsize)
{
	PGresult *res;
	int status, schema;

	/* two statements: the counts' would not parse without the tables */
	status = exec(conn, &res, "SELECT to_regclass('cunji.org') IS NOT NULL", NULL,
		      _("reading what the database holds"), err, errsize);
	if (status)
		return status;
	out->exists = 1;
	schema = *PQgetvalue(res, 0, 0) == 't';
	PQclear(res);
	if (!schema)
		return 0;
	status = exec(conn, &res, "SELECT (SELECT count(*) FROM cunji.org), "
			  "(SELECT count(*) FROM cunji.voucher)",
			  NULL, _("reading what the database holds"), err, errsize);
	if (status)
		return status;
	out->orgs = atol(PQgetvalue(res, 0, 0));
	out->vouchers = atol(PQgetvalue(res, 0, 1));
	PQclear(res);
	return 0;
}

int
cj_db_books_held(const cj_backup_target *t, cj_books_held *out, char *err, size_t errsize)
{
	char ci[CONNINFO_MAX];
	PGconn *conn;
	int status;

	memset(out, 0, sizeof *out);
	if (t->home) {
		if ((status = embedded_exists(t, &out->exists, err, errsize)) || !out->exists)
			return status;
		if ((status = target_conninfo(t, NULL, ci, sizeof ci, err, errsize)))
			return status;
	} else if ((status = target_conninfo(t, NULL, ci, sizeof ci, err, errsize))) {
		return status;
	}
	if (!(conn = connect_to(t, ci, err, errsize)))
		return CJ_EDB;
	status = held_on(conn, out, err, errsize);
	PQfinish(conn);
	return status;
}

/* The server-wide roles of 0015 and 0030, as they make them (a superuser gives BYPASSRLS). */
static const char roles_sql[] =
	"DO $$\n"
	"DECLARE g text; super boolean := (SELECT rolsuper FROM pg_roles WHERE rolname = current_user);\n"
	"BEGIN\n"
	"  IF to_regrole('cunji_owner') IS NULL THEN\n"
	"    IF super THEN CREATE ROLE cunji_owner NOLOGIN CREATEROLE BYPASSRLS;\n"
	"    ELSE CREATE ROLE cunji_owner NOLOGIN CREATEROLE; END IF;\n"
	"  END IF;\n"
	"  IF to_regrole('cunji_import') IS NULL THEN\n"
	"    IF super THEN CREATE ROLE cunji_import NOLOGIN BYPASSRLS;\n"
	"    ELSE CREATE ROLE cunji_import NOLOGIN; END IF;\n"
	"  END IF;\n"
	"  FOREACH g IN ARRAY ARRAY['cunji_admin', 'cunji_bookkeeper', 'cunji_reviewer',\n"
	"                          'cunji_cashier', 'cunji_inspector', 'cunji_board'] LOOP\n"
	"    IF to_regrole(g) IS NULL THEN EXECUTE format('CREATE ROLE %I NOLOGIN', g); END IF;\n"
	"  END LOOP;\n"
	/* 0030's public reader: cunji serve --public gives it a password when it starts */
	"  IF to_regrole('cunji_public') IS NULL THEN CREATE ROLE cunji_public LOGIN NOINHERIT; END IF;\n"
	"END $$";

/*
 * After pg_restore, on the restored database: its own privileges (CONNECT is
 * the owner's and each enabled login's only) and a role for each login the
 * server lacks.
 */
static int
restore_logins(PGconn *conn, cj_restore_result *r, char *err, size_t errsize)
{
	PGresult *res;
	char what[256];
	int status;

	status = exec(conn, NULL,
		      "DO $$ DECLARE r record; BEGIN\n"
		      "  EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM PUBLIC', current_database());\n"
		      "  EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO cunji_owner WITH "
		      "GRANT OPTION', current_database());\n"
		      "  EXECUTE format('GRANT CONNECT ON DATABASE %I TO cunji_public', current_database());\n"
		      /* pg_dump leaves out an ACL equal to the default (the owner's
		       * only, as 0007 and 0010 made for their unlogged tables), which
		       * restores as none: say it again so the schema's fingerprint
		       * (audit verify) reads what the migrations made */
		      "  FOR r IN SELECT c.oid::regclass AS t FROM pg_class c\n"
		      "            WHERE c.relnamespace = 'cunji'::regnamespace\n"
		      "              AND c.relkind IN ('r', 'p') AND c.relacl IS NULL LOOP\n"
		      "    EXECUTE format('GRANT ALL ON TABLE %s TO cunji_owner', r.t);\n"
		      "  END LOOP;\n"
		      "END $$",
		      NULL, _("granting the database to its owner"), err, errsize);
	if (status)
		return status;
	status = exec(conn, &res,
		      "SELECT login, kind, disabled_at IS NOT NULL, "
		      "to_regrole(quote_ident(login)) IS NULL FROM cunji.app_login ORDER BY login",
		      NULL, _("reading the logins"), err, errsize);
	if (status)
		return status;
	r->logins = PQntuples(res);
	for (int i = 0; i < PQntuples(res) && !status; i++) {
		const char *login = PQgetvalue(res, i, 0);
		snprintf(what, sizeof what, _("the login %s"), login);
		if (*PQgetvalue(res, i, 3) == 't') {
			char fmt[128];
			snprintf(fmt, sizeof fmt, "CREATE ROLE %%s LOGIN IN ROLE cunji_%s",
				 PQgetvalue(res, i, 1));
			/* the kind is one of six words (a CHECK of app_login) */
			if (strspn(PQgetvalue(res, i, 1), "abcdefghijklmnopqrstuvwxyz") !=
			    strlen(PQgetvalue(res, i, 1)))
				status = fail(err, errsize, CJ_EINVAL, "%s: kind %s", what,
					      PQgetvalue(res, i, 1));
			else if (!(status = exec_ident(conn, fmt, login, what, err, errsize))) {
				size_t used = strlen(r->no_password);

				r->logins_created++;
				/* named for the caller: each needs a password (none is carried) */
				if (used + strlen(login) + 6 < sizeof r->no_password)
					snprintf(r->no_password + used, sizeof r->no_password - used, "%s\n",
						 login);
				else if (used + 5 <= sizeof r->no_password &&
					 (used < 4 || strcmp(r->no_password + used - 4, "...\n")))
					snprintf(r->no_password + used, sizeof r->no_password - used, "...\n");
			}
		}
		if (!status && *PQgetvalue(res, i, 2) != 't') {
			char *db = PQescapeIdentifier(conn, PQdb(conn), strlen(PQdb(conn)));
			char fmt[512];
			snprintf(fmt, sizeof fmt, "GRANT CONNECT ON DATABASE %s TO %%s", db ? db : "\"\"");
			PQfreemem(db);
			status = exec_ident(conn, fmt, login, what, err, errsize);
		}
	}
	PQclear(res);
	return status;
}

/* pg_restore of file into the database of conninfo ci, in one transaction. */
static int
pg_restore_into(const cj_backup_target *t, const char *ci, const char *file, int clean,
		char *err, size_t errsize)
{
	const char *args[] = {"--single-transaction", "--exit-on-error", "--dbname", ci,
			      clean ? "--clean" : "--no-password", clean ? "--if-exists" : "--no-password",
			      file, t->user && !t->home ? "--username" : NULL, t->user, NULL};

	return run_tool("pg_restore", args, -1, err, errsize);
}

/* The embedded cluster: into a new database, which then takes dbname's place. */
static int
restore_embedded(const cj_backup_target *t, const char *file, int replace, cj_restore_result *r,
		 char *err, size_t errsize)
{
	char ci[CONNINFO_MAX], tmpname[64], what[160];
	cj_books_held held;
	PGconn *maint = NULL, *conn = NULL;
	PGresult *res;
	int status;

	if (strlen(t->dbname) > 50)
		return fail(err, errsize, CJ_EINVAL, _("database name too long: %s"), t->dbname);
	snprintf(tmpname, sizeof tmpname, "%s_restoring", t->dbname);
	if ((status = cj_db_books_held(t, &held, err, errsize)))
		return status;
	if ((held.orgs > 0 || held.vouchers > 0) && !replace)
		return fail(err, errsize, CJ_EREFUSED,
			    _("database %s holds books (%ld organisations, %ld vouchers); a restore "
			      "would replace them (--force)"),
			    t->dbname, held.orgs, held.vouchers);
	if ((status = target_conninfo(t, "postgres", ci, sizeof ci, err, errsize)) ||
	    !(maint = connect_to(t, ci, err, errsize)))
		return status ? status : CJ_EDB;
	/* a restore that died half-way left its database: drop it (only ours, by its mark) */
	status = exec(maint, &res,
		      "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = $1",
		      tmpname, _("looking for the database"), err, errsize);
	if (status)
		goto done;
	if (PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), RESTORING_MARK)) {
		PQclear(res);
		status = fail(err, errsize, CJ_EREFUSED,
			      _("database %s exists and is not a restore of cunji's: it is left "
				"alone, and the restore needs its name"),
			      tmpname);
		goto done;
	}
	if (PQntuples(res) == 1)
		status = exec_ident(maint, "DROP DATABASE %s WITH (FORCE)", tmpname,
				    _("dropping an unfinished restore"), err, errsize);
	PQclear(res);
	snprintf(what, sizeof what, _("creating database %s"), tmpname);
	if (status || (status = exec_ident(maint, "CREATE DATABASE %s", tmpname, what, err, errsize)))
		goto done;
	{
		char sql[256];
		char *ident = PQescapeIdentifier(maint, tmpname, strlen(tmpname));
		snprintf(sql, sizeof sql, "COMMENT ON DATABASE %s IS '" RESTORING_MARK "'",
			 ident ? ident : "\"\"");
		PQfreemem(ident);
		if ((status = exec(maint, NULL, sql, NULL, what, err, errsize)))
			goto done;
	}
	if ((status = exec(maint, NULL, roles_sql, NULL, _("creating the roles"), err, errsize)))
		goto drop;
	if ((status = target_conninfo(t, tmpname, ci, sizeof ci, err, errsize)) ||
	    (status = pg_restore_into(t, ci, file, 0, err, errsize)))
		goto drop;
	if (!(conn = connect_to(t, ci, err, errsize))) {
		status = CJ_EDB;
		goto drop;
	}
	status = restore_logins(conn, r, err, errsize);
	PQfinish(conn);
	if (status)
		goto drop;
	/* the restored books take the old ones' place */
	snprintf(what, sizeof what, _("replacing database %s"), t->dbname);
	if (held.exists &&
	    (status = exec_ident(maint, "DROP DATABASE %s WITH (FORCE)", t->dbname, what, err, errsize)))
		goto drop;
	{
		char sql[256];
		char *from = PQescapeIdentifier(maint, tmpname, strlen(tmpname));
		char *to = PQescapeIdentifier(maint, t->dbname, strlen(t->dbname));
		snprintf(sql, sizeof sql, "ALTER DATABASE %s RENAME TO %s", from ? from : "\"\"",
			 to ? to : "\"\"");
		status = exec(maint, NULL, sql, NULL, what, err, errsize);
		if (!status) {
			snprintf(sql, sizeof sql, "COMMENT ON DATABASE %s IS NULL", to ? to : "\"\"");
			status = exec(maint, NULL, sql, NULL, what, err, errsize);
		}
		PQfreemem(from);
		PQfreemem(to);
	}
	if (status)
		goto done;
	PQfinish(maint);
	/* an older backup gets the migrations it lacks; this user its admin login */
	return cj_cluster_bootstrap(t->home, t->dbname, &r->applied, err, errsize);
drop:
	{
		char keep[1024];
		snprintf(keep, sizeof keep, "%s", err);
		if (exec_ident(maint, "DROP DATABASE IF EXISTS %s WITH (FORCE)", tmpname, "", err,
			       errsize) == 0)
			snprintf(err, errsize, "%s", keep);
	}
done:
	PQfinish(maint);
	return status;
}

/* Another server: its database must exist; one transaction (pg_restore's). */
static int
restore_server(const cj_backup_target *t, const char *file, int replace, cj_restore_result *r,
	       char *err, size_t errsize)
{
	char ci[CONNINFO_MAX];
	cj_books_held held;
	PGconn *conn;
	PGresult *res;
	int status, has_schema = 0;

	if ((status = target_conninfo(t, NULL, ci, sizeof ci, err, errsize)) ||
	    !(conn = connect_to(t, ci, err, errsize)))
		return status ? status : CJ_EDB;
	memset(&held, 0, sizeof held);
	status = held_on(conn, &held, err, errsize);
	if (!status && (held.orgs > 0 || held.vouchers > 0) && !replace)
		status = fail(err, errsize, CJ_EREFUSED,
			      _("database %s holds books (%ld organisations, %ld vouchers); a restore "
				"would replace them (--force)"),
			      PQdb(conn), held.orgs, held.vouchers);
	if (!status && !(status = exec(conn, &res, "SELECT to_regnamespace('cunji') IS NOT NULL",
				       NULL, _("reading what the database holds"), err, errsize))) {
		has_schema = *PQgetvalue(res, 0, 0) == 't';
		PQclear(res);
	}
	if (!status)
		status = exec(conn, NULL, roles_sql, NULL, _("creating the roles"), err, errsize);
	PQfinish(conn);
	if (!status)
		status = pg_restore_into(t, ci, file, has_schema, err, errsize);
	if (status)
		return status;
	if (!(conn = connect_to(t, ci, err, errsize)))
		return CJ_EDB;
	status = restore_logins(conn, r, err, errsize);
	PQfinish(conn);
	return status;
}

int
cj_db_restore(const cj_backup_target *t, const char *file, int replace, cj_restore_result *out,
	      char *err, size_t errsize)
{
	int status;

	memset(out, 0, sizeof *out);
	if ((status = cj_db_backup_check(file, err, errsize)))
		return status;
	return t->home ? restore_embedded(t, file, replace, out, err, errsize)
		       : restore_server(t, file, replace, out, err, errsize);
}
