/*
 * cluster.c - the embedded default PostgreSQL cluster
 *
 * Layout under the home directory (CUNJI_HOME):
 *   pg/        the data directory; the server's unix socket lives here too,
 *              and listen_addresses is empty, so there is no TCP at all
 *   log/       initdb and server logs
 *   lock       flock()ed while creating or starting the cluster
 *
 * initdb, pg_ctl and postgres refuse to run as root, so as root they run as
 * the `postgres` system user (fork, setgid, initgroups, setuid, exec), and
 * that user must be able to traverse every parent of the data directory.
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "internal.h"

#define SOCKET_PATH_MAX 107 /* sizeof(sun_path) - 1 */

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

int
cj_cluster_home(char *buf, size_t size, char *err, size_t errsize)
{
	const char *env = getenv("CUNJI_HOME");
	const char *xdg, *home;
	int n;

	if (env && *env)
		n = snprintf(buf, size, "%s", env);
	else if (geteuid() == 0)
		n = snprintf(buf, size, "/var/lib/cunji");
	else if ((xdg = getenv("XDG_DATA_HOME")) && *xdg == '/')
		n = snprintf(buf, size, "%s/cunji", xdg);
	else if ((home = getenv("HOME")) && *home)
		n = snprintf(buf, size, "%s/.local/share/cunji", home);
	else
		return fail(err, errsize, CJ_EINVAL, "cannot tell where to keep the database: set CUNJI_HOME");
	if (n < 0 || (size_t)n >= size)
		return fail(err, errsize, CJ_EINVAL, "CUNJI_HOME is too long");
	if (buf[0] != '/') {
		char cwd[PATH_MAX], rel[PATH_MAX];
		if (!getcwd(cwd, sizeof cwd))
			return fail(err, errsize, CJ_EIO, "cannot read the current directory");
		cj__strlcpy(rel, buf, sizeof rel);
		n = snprintf(buf, size, "%s/%s", cwd, rel);
		if (n < 0 || (size_t)n >= size)
			return fail(err, errsize, CJ_EINVAL, "CUNJI_HOME is too long");
	}
	return 0;
}

static void
datadir_of(const char *home, char *buf, size_t size)
{
	snprintf(buf, size, "%s/pg", home);
}

static const char *
pg_bindir(void)
{
	static char dir[PATH_MAX];
	const char *env = getenv("CUNJI_PG_BINDIR");
	static const char *const candidates[] = {"/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin",
						 "/usr/lib/postgresql/17/bin", "/usr/local/pgsql/bin",
						 NULL};

	if (env && *env)
		return env;
	for (int i = 0; candidates[i]; i++) {
		snprintf(dir, sizeof dir, "%s/pg_ctl", candidates[i]);
		if (access(dir, X_OK) == 0) {
			cj__strlcpy(dir, candidates[i], sizeof dir);
			return dir;
		}
	}
	return NULL;
}

/* The server's user when we are root; NULL when we run it ourselves. */
static int
server_user(struct passwd **pw_out, char *err, size_t errsize)
{
	*pw_out = NULL;
	if (geteuid() != 0)
		return 0;
	*pw_out = getpwnam("postgres");
	if (!*pw_out)
		return fail(err, errsize, CJ_ERROR,
			    "running as root, but there is no 'postgres' system user to run the server "
			    "(install the postgresql package)");
	return 0;
}

static void
drop_privileges(const struct passwd *pw)
{
	if (!pw)
		return;
	if (setgid(pw->pw_gid) || initgroups(pw->pw_name, pw->pw_gid) || setuid(pw->pw_uid))
		_exit(126);
	setenv("HOME", pw->pw_dir, 1);
	setenv("USER", pw->pw_name, 1);
}

/* Run argv (as pw when given), output to logpath; returns the exit status. */
static int
run(const struct passwd *pw, const char *logpath, char *const argv[])
{
	pid_t pid;
	int status;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = open(logpath, O_WRONLY | O_CREAT | O_APPEND, 0644);
		int nul = open("/dev/null", O_RDONLY);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		if (nul >= 0)
			dup2(nul, 0);
		drop_privileges(pw);
		/* the caller's cwd (say /root) may be closed to the server user */
		if (chdir("/"))
			_exit(126);
		execv(argv[0], argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* Can pw traverse into dir?  Checked in a child that takes pw's identity. */
static int
reachable_by(const struct passwd *pw, const char *dir)
{
	pid_t pid;
	int status;

	if (!pw)
		return access(dir, X_OK) == 0;
	pid = fork();
	if (pid < 0)
		return 0;
	if (pid == 0) {
		drop_privileges(pw);
		_exit(access(dir, X_OK) == 0 ? 0 : 1);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 0;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static int
mkdir_p(const char *path, mode_t mode)
{
	char tmp[PATH_MAX];

	cj__strlcpy(tmp, path, sizeof tmp);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(tmp, mode) && errno != EEXIST)
		return -1;
	return 0;
}

static void
tail_of(const char *path, char *out, size_t size)
{
	FILE *f = fopen(path, "r");
	char line[512];

	out[0] = '\0';
	if (!f)
		return;
	/* keep the last non-empty line: initdb and pg_ctl end with the reason */
	while (fgets(line, sizeof line, f)) {
		size_t n = strlen(line);
		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (n)
			cj__strlcpy(out, line, size);
	}
	fclose(f);
}

static void
conninfo_of(const char *datadir, const char *dbname, char *buf, size_t size)
{
	snprintf(buf, size, "host='%s' port=5432 user=postgres dbname='%s'", datadir, dbname);
}

static int
server_answers(const char *datadir)
{
	char ci[PATH_MAX + 128];

	conninfo_of(datadir, "postgres", ci, sizeof ci);
	return PQping(ci) == PQPING_OK;
}

static int
write_config(const char *datadir, char *err, size_t errsize)
{
	char path[PATH_MAX + 32];
	FILE *f;

	snprintf(path, sizeof path, "%s/postgresql.conf", datadir);
	f = fopen(path, "a");
	if (!f)
		return fail(err, errsize, CJ_EIO, "cannot write %s: %s", path, strerror(errno));
	fprintf(f, "\n# added by cunji: a private server on a unix socket only\n"
		   "listen_addresses = ''\n"
		   "unix_socket_directories = '%s'\n"
		   "port = 5432\n"
		   "max_connections = 50\n"
		   "shared_buffers = 128MB\n"
		   "work_mem = 16MB\n"
		   "wal_buffers = 16MB\n"
		   "max_wal_size = 2GB\n"
		   "# the ledger's queries are per village: parallel workers cost more\n"
		   "# to start than they save on a small machine\n"
		   "max_parallel_workers_per_gather = 0\n"
		   "checkpoint_timeout = 15min\n"
		   "log_min_messages = warning\n"
		   "log_min_error_statement = panic\n",
		datadir);
	return fclose(f) ? fail(err, errsize, CJ_EIO, "cannot write %s", path) : 0;
}

static int
init_cluster(const char *home, const char *datadir, const struct passwd *pw, char *err,
	     size_t errsize)
{
	char initdb[PATH_MAX + 32], logpath[PATH_MAX + 32], last[256];
	const char *bindir = pg_bindir();
	int rc;

	if (!bindir)
		return fail(err, errsize, CJ_ERROR,
			    "PostgreSQL server programs not found (install postgresql-15, or set "
			    "CUNJI_PG_BINDIR)");
	snprintf(initdb, sizeof initdb, "%s/initdb", bindir);
	snprintf(logpath, sizeof logpath, "%s/log/initdb.log", home);
	if (mkdir(datadir, 0700) && errno != EEXIST)
		return fail(err, errsize, CJ_EIO, "cannot create %s: %s", datadir, strerror(errno));
	if (pw && chown(datadir, pw->pw_uid, pw->pw_gid))
		return fail(err, errsize, CJ_EIO, "cannot hand %s to user postgres: %s", datadir,
			    strerror(errno));
	{
		char *const argv[] = {initdb, "-D", (char *)datadir, "--auth=trust", "--encoding=UTF8",
				      "--locale=C.UTF-8", "-U", "postgres", "--no-instructions", NULL};
		rc = run(pw, logpath, argv);
	}
	if (rc != 0) {
		tail_of(logpath, last, sizeof last);
		return fail(err, errsize, CJ_ERROR, "initdb failed (%s; see %s)", last, logpath);
	}
	return write_config(datadir, err, errsize);
}

static int
start_cluster(const char *home, const char *datadir, const struct passwd *pw, char *err,
	      size_t errsize)
{
	char pg_ctl[PATH_MAX + 32], logpath[PATH_MAX + 32], ctllog[PATH_MAX + 32], last[256];
	const char *bindir = pg_bindir();
	int rc;

	if (!bindir)
		return fail(err, errsize, CJ_ERROR, "PostgreSQL server programs not found");
	snprintf(pg_ctl, sizeof pg_ctl, "%s/pg_ctl", bindir);
	snprintf(logpath, sizeof logpath, "%s/log/server.log", home);
	snprintf(ctllog, sizeof ctllog, "%s/log/pg_ctl.log", home);
	{
		char *const argv[] = {pg_ctl, "-D", (char *)datadir, "-l", logpath, "-w",
				      "-t",   "60", "start",       NULL};
		rc = run(pw, ctllog, argv);
	}
	if (rc != 0 || !server_answers(datadir)) {
		tail_of(logpath, last, sizeof last);
		return fail(err, errsize, CJ_ERROR, "the database server did not start (%s; see %s)",
			    last, logpath);
	}
	return 0;
}

static int
ensure_database(const char *datadir, const char *dbname, int *created, char *err, size_t errsize)
{
	char ci[PATH_MAX + 128];
	const char *params[1] = {dbname};
	PGconn *conn;
	PGresult *res;
	int status = 0;

	conninfo_of(datadir, "postgres", ci, sizeof ci);
	conn = PQconnectdb(ci);
	if (PQstatus(conn) != CONNECTION_OK) {
		status = fail(err, errsize, CJ_EDB, "cannot connect to the embedded server: %s",
			      PQerrorMessage(conn));
		PQfinish(conn);
		return status;
	}
	res = PQexecParams(conn, "SELECT 1 FROM pg_database WHERE datname = $1", 1, NULL, params,
			   NULL, NULL, 0);
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 0) {
		char *ident = PQescapeIdentifier(conn, dbname, strlen(dbname));
		char sql[256];
		PQclear(res);
		snprintf(sql, sizeof sql, "CREATE DATABASE %s", ident ? ident : "\"cunji\"");
		PQfreemem(ident);
		res = PQexec(conn, sql);
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			status = fail(err, errsize, CJ_EDB, "cannot create database %s: %s", dbname,
				      PQerrorMessage(conn));
		else if (created)
			*created = 1;
	} else if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		status = fail(err, errsize, CJ_EDB, "%s", PQerrorMessage(conn));
	}
	PQclear(res);
	PQfinish(conn);
	return status;
}

int
cj_cluster_ensure(const char *home, const char *dbname, char *conninfo, size_t size,
		  int *created_out, char *err, size_t errsize)
{
	char datadir[PATH_MAX + 8], path[PATH_MAX + 32];
	struct passwd *pw;
	struct stat st;
	int lockfd = -1, status;

	if (created_out)
		*created_out = 0;
	datadir_of(home, datadir, sizeof datadir);
	if (strlen(datadir) + strlen("/.s.PGSQL.5432") > SOCKET_PATH_MAX)
		return fail(err, errsize, CJ_EINVAL,
			    "CUNJI_HOME %s is too long: the server socket path must fit in %d bytes",
			    home, SOCKET_PATH_MAX);
	conninfo_of(datadir, dbname, conninfo, size);

	/* The quick path: a running server (the usual case after first use). */
	if (server_answers(datadir))
		return ensure_database(datadir, dbname, created_out, err, errsize);

	status = server_user(&pw, err, errsize);
	if (status)
		return status;
	if (mkdir_p(home, 0755))
		return fail(err, errsize, CJ_EIO, "cannot create %s: %s", home, strerror(errno));
	snprintf(path, sizeof path, "%s/log", home);
	if (mkdir(path, 0755) && errno != EEXIST)
		return fail(err, errsize, CJ_EIO, "cannot create %s: %s", path, strerror(errno));
	if (pw && chown(path, pw->pw_uid, pw->pw_gid))
		return fail(err, errsize, CJ_EIO, "cannot hand %s to user postgres", path);
	if (!reachable_by(pw, home))
		return fail(err, errsize, CJ_EINVAL,
			    "the server runs as user postgres, which cannot reach %s (a directory "
			    "under /root, or one with mode 700 on the way); set CUNJI_HOME to a "
			    "directory it can reach, such as /var/lib/cunji",
			    home);

	snprintf(path, sizeof path, "%s/lock", home);
	lockfd = open(path, O_RDWR | O_CREAT, 0644);
	if (lockfd < 0 || flock(lockfd, LOCK_EX)) {
		status = fail(err, errsize, CJ_EIO, "cannot lock %s: %s", path, strerror(errno));
		goto done;
	}
	/* Someone may have done the work while we waited for the lock. */
	if (server_answers(datadir))
		goto db;
	snprintf(path, sizeof path, "%s/PG_VERSION", datadir);
	if (stat(path, &st) != 0) {
		status = init_cluster(home, datadir, pw, err, errsize);
		if (status)
			goto done;
	}
	status = start_cluster(home, datadir, pw, err, errsize);
	if (status)
		goto done;
db:
	status = ensure_database(datadir, dbname, created_out, err, errsize);
done:
	if (lockfd >= 0)
		close(lockfd);
	return status;
}

int
cj_cluster_url(const char *home, const char *dbname, char *buf, size_t size)
{
	char datadir[PATH_MAX + 8];
	int n;

	datadir_of(home, datadir, sizeof datadir);
	n = snprintf(buf, size, "postgresql:///%s?host=%s&user=postgres", dbname, datadir);
	return n < 0 || (size_t)n >= size ? CJ_EINVAL : 0;
}

int
cj_cluster_get_status(const char *home, cj_cluster_status *out, char *err, size_t errsize)
{
	char path[PATH_MAX + 32];
	struct stat st;
	FILE *f;

	(void)err;
	(void)errsize;
	memset(out, 0, sizeof *out);
	datadir_of(home, out->datadir, sizeof out->datadir);
	snprintf(path, sizeof path, "%s/PG_VERSION", out->datadir);
	out->initialised = stat(path, &st) == 0 || (errno == EACCES);
	out->running = server_answers(out->datadir);
	snprintf(path, sizeof path, "%s/postmaster.pid", out->datadir);
	if (out->running && (f = fopen(path, "r")) != NULL) {
		if (fscanf(f, "%ld", &out->pid) != 1)
			out->pid = 0;
		fclose(f);
	}
	return 0;
}

int
cj_cluster_stop(const char *home, char *err, size_t errsize)
{
	char datadir[PATH_MAX + 8], pg_ctl[PATH_MAX + 32], logpath[PATH_MAX + 32], last[256];
	const char *bindir = pg_bindir();
	struct passwd *pw;
	int status, rc;

	datadir_of(home, datadir, sizeof datadir);
	if (!server_answers(datadir))
		return 0;
	status = server_user(&pw, err, errsize);
	if (status)
		return status;
	if (!bindir)
		return fail(err, errsize, CJ_ERROR, "PostgreSQL server programs not found");
	snprintf(pg_ctl, sizeof pg_ctl, "%s/pg_ctl", bindir);
	snprintf(logpath, sizeof logpath, "%s/log/pg_ctl.log", home);
	{
		char *const argv[] = {pg_ctl, "-D", datadir, "-m", "fast", "-w", "stop", NULL};
		rc = run(pw, logpath, argv);
	}
	if (rc != 0) {
		tail_of(logpath, last, sizeof last);
		return fail(err, errsize, CJ_ERROR, "pg_ctl stop failed (%s; see %s)", last, logpath);
	}
	return 0;
}

int
cj_cluster_recreate_db(const char *home, const char *dbname, char *err, size_t errsize)
{
	char datadir[PATH_MAX + 8], ci[PATH_MAX + 128], sql[300];
	PGconn *conn;
	PGresult *res;
	char *ident;
	int status = 0;

	datadir_of(home, datadir, sizeof datadir);
	conninfo_of(datadir, "postgres", ci, sizeof ci);
	conn = PQconnectdb(ci);
	if (PQstatus(conn) != CONNECTION_OK) {
		status = fail(err, errsize, CJ_EDB, "cannot connect to the embedded server: %s",
			      PQerrorMessage(conn));
		PQfinish(conn);
		return status;
	}
	ident = PQescapeIdentifier(conn, dbname, strlen(dbname));
	if (!ident) {
		PQfinish(conn);
		return fail(err, errsize, CJ_ENOMEM, "out of memory");
	}
	snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", ident);
	res = PQexec(conn, sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		status = fail(err, errsize, CJ_EDB, "cannot drop database %s: %s", dbname,
			      PQerrorMessage(conn));
	PQclear(res);
	if (!status) {
		snprintf(sql, sizeof sql, "CREATE DATABASE %s", ident);
		res = PQexec(conn, sql);
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			status = fail(err, errsize, CJ_EDB, "cannot create database %s: %s", dbname,
				      PQerrorMessage(conn));
		PQclear(res);
	}
	PQfreemem(ident);
	PQfinish(conn);
	return status;
}
