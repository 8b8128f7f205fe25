/*
 * cluster.c - the embedded default PostgreSQL cluster
 *
 * Layout under the home directory (CUNJI_HOME):
 *   pg/        the data directory; the server's unix socket lives here too,
 *              and listen_addresses is empty, so there is no TCP at all
 *   log/       initdb, pg_ctl and server logs
 *   lock       flock()ed while creating or starting the cluster
 *
 * initdb, pg_ctl and postgres refuse to run as root, so as root they run as
 * the `postgres` system user (fork, setgid, initgroups, setuid, exec), and
 * that user must be able to traverse every parent of the data directory.
 * pg/ and log/ then belong to that user, so root never opens a file in them:
 * what is written there is written by a child that has become the server's
 * user (with O_NOFOLLOW), and root keeps only its lock file in the home,
 * which must be root's and writable by nobody else.
 *
 * A command connects straight to its database; only when that fails does
 * it take the slow path (lock, initdb, start, CREATE DATABASE, migrations).
 *
 * Authentication (pg_hba.conf, pg_ident.conf, written by cunji): the
 * operating-system user who owns the cluster connects by peer
 * authentication, as the bootstrap superuser `postgres` (init, migrations,
 * maintenance) or as the admin login of its own name, which every command
 * uses by default; every other login gives its password (SCRAM).  There is
 * no trust line.  A cluster made by an older cunji (trust for everyone) gets
 * these files on the slow path, and a reload.
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
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
#define RUN_NO_LOG 125      /* run(): the child could not open its log */
/* What cj_cluster_recreate_db writes on the databases it makes, and the
 * only databases it will drop. */
#define SCRATCH_MARK "cunji scratch database: replaced by the next demo, test or benchmark run"

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

static const char *
pg_bindir(void)
{
	return cj__pg_bindir();
}

const char *
cj__pg_bindir(void)
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

/* ---- who runs what ---- */

/* The cluster as found on disk: home resolved, and whose files pg/ and log/ are. */
typedef struct layout {
	char home[PATH_MAX];
	char datadir[PATH_MAX + 8];
	char logdir[PATH_MAX + 8];
	struct passwd *pw; /* the server's user when we are root; NULL when we run it ourselves */
	uid_t server_uid;
} layout;

static int
server_user(layout *l, char *err, size_t errsize)
{
	l->pw = NULL;
	l->server_uid = geteuid();
	if (geteuid() != 0)
		return 0;
	l->pw = getpwnam("postgres");
	if (!l->pw)
		return fail(err, errsize, CJ_ERROR,
			    "running as root, but there is no 'postgres' system user to run the server "
			    "(install the postgresql package)");
	l->server_uid = l->pw->pw_uid;
	return 0;
}

static const char *
server_user_name(const layout *l)
{
	return l->pw ? l->pw->pw_name : "you";
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

static int
wait_child(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* fn(arg) as pw in a child process (directly when pw is NULL); 0 when it returned 0. */
static int
as_user(const struct passwd *pw, int (*fn)(const void *arg), const void *arg)
{
	pid_t pid;

	if (!pw)
		return fn(arg) ? -1 : 0;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		drop_privileges(pw);
		_exit(fn(arg) ? 1 : 0);
	}
	return wait_child(pid) == 0 ? 0 : -1;
}

/*
 * glibc's malloc for the embedded server, unless the user tunes it already.
 * A backend's big allocations (a statement's hash tables and tuple stores,
 * the audit chain's texts of a few hundred kB) would each be a fresh mmap,
 * its pages faulted in one by one and unmapped at pfree; kept on the heap
 * below 8 MB, with up to 16 MB of free heap kept, they reuse pages the
 * backend has touched already.  A county-year's import: about 5 % less
 * server CPU (docs/performance.md, "Ninth session").
 */
static void
server_malloc_tuning(void)
{
	if (!getenv("GLIBC_TUNABLES"))
		setenv("GLIBC_TUNABLES",
		       "glibc.malloc.mmap_threshold=8388608:glibc.malloc.trim_threshold=16777216", 1);
}

/*
 * Run argv as pw (when given), its output appended to logpath, which the
 * child opens after it has become pw and without following a symlink;
 * returns the exit status, RUN_NO_LOG when the log could not be opened.
 * server: argv starts the server (server_malloc_tuning).
 */
static int
run(const struct passwd *pw, const char *logpath, char *const argv[], int server)
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd, nul;

		drop_privileges(pw);
		/* the caller's cwd (say /root) may be closed to the server user */
		if (chdir("/"))
			_exit(126);
		fd = open(logpath, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW, 0644);
		/* a log root wrote there before logs were the server user's: start a new one */
		if (fd < 0 && errno == EACCES && unlink(logpath) == 0)
			fd = open(logpath, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0644);
		nul = open("/dev/null", O_RDONLY);
		if (fd < 0)
			_exit(RUN_NO_LOG);
		dup2(fd, 1);
		dup2(fd, 2);
		if (nul >= 0)
			dup2(nul, 0);
		if (server)
			server_malloc_tuning();
		execv(argv[0], argv);
		_exit(127);
	}
	return wait_child(pid);
}

static int
no_log(const layout *l, const char *logpath, char *err, size_t errsize)
{
	return fail(err, errsize, CJ_EIO,
		    "cannot write the log %s as %s (it must be a file of the server's user, not a "
		    "symlink)",
		    logpath, server_user_name(l));
}

static int
can_traverse(const void *dir)
{
	return access(dir, X_OK);
}

/* The last non-empty line of a log (initdb and pg_ctl end with the reason).
 * The log is the server user's: opened without following a symlink, and
 * only when it is a regular file of that user. */
static void
tail_of(const layout *l, const char *path, char *out, size_t size)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	char line[512];
	FILE *f;

	out[0] = '\0';
	if (fd < 0)
		return;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_uid != l->server_uid ||
	    !(f = fdopen(fd, "r"))) {
		close(fd);
		return;
	}
	while (fgets(line, sizeof line, f)) {
		size_t n = strlen(line);
		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (n)
			cj__strlcpy(out, line, size);
	}
	fclose(f);
}

/* ---- where it lives, and who may change it ---- */

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

/*
 * Resolve home and make sure that nobody but us (and root) can change what
 * it holds: it is ours and writable by nobody else, and every directory
 * above it is root's or ours and writable by nobody else unless sticky
 * (/tmp).  Otherwise another user could swap the data directory for a
 * symlink, or for a server of their own.  CJ_ENOTFOUND: home does not exist.
 */
static int
check_home(const char *home, char *real, char *err, size_t errsize)
{
	char dir[PATH_MAX];
	struct stat st;
	uid_t me = geteuid();

	if (!realpath(home, real)) {
		if (errno == ENOENT)
			return CJ_ENOTFOUND;
		return fail(err, errsize, CJ_EIO, "cannot open CUNJI_HOME %s: %s", home, strerror(errno));
	}
	if (stat(real, &st))
		return fail(err, errsize, CJ_EIO, "cannot open CUNJI_HOME %s: %s", real, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return fail(err, errsize, CJ_EINVAL, "CUNJI_HOME %s is not a directory", real);
	if (st.st_uid != me)
		return fail(err, errsize, CJ_EREFUSED,
			    "CUNJI_HOME %s belongs to uid %ld, not to you (uid %ld): another user could "
			    "change the database under you; use a directory of your own",
			    real, (long)st.st_uid, (long)me);
	if (st.st_mode & (S_IWGRP | S_IWOTH))
		return fail(err, errsize, CJ_EREFUSED,
			    "CUNJI_HOME %s can be written by other users (mode %04o); run 'chmod go-w %s'",
			    real, (unsigned)(st.st_mode & 07777), real);
	cj__strlcpy(dir, real, sizeof dir);
	while (strcmp(dir, "/")) {
		char *slash = strrchr(dir, '/');

		if (slash == dir)
			slash[1] = '\0';
		else
			*slash = '\0';
		if (stat(dir, &st))
			return fail(err, errsize, CJ_EIO, "cannot open %s: %s", dir, strerror(errno));
		if ((st.st_uid != 0 && st.st_uid != me) ||
		    ((st.st_mode & (S_IWGRP | S_IWOTH)) && !(st.st_mode & S_ISVTX)))
			return fail(err, errsize, CJ_EREFUSED,
				    "%s, above CUNJI_HOME %s, can be changed by another user (owner uid %ld, "
				    "mode %04o); keep CUNJI_HOME where only root and you can write",
				    dir, real, (long)st.st_uid, (unsigned)(st.st_mode & 07777));
	}
	return 0;
}

/* pg/ and log/ are real directories of the server's user, when they exist. */
static int
check_server_dir(const layout *l, const char *path, char *err, size_t errsize)
{
	struct stat st;

	if (lstat(path, &st))
		return errno == ENOENT ? 0
				       : fail(err, errsize, CJ_EIO, "cannot open %s: %s", path,
					      strerror(errno));
	if (S_ISLNK(st.st_mode))
		return fail(err, errsize, CJ_EREFUSED,
			    "%s is a symbolic link, which cunji does not follow; set CUNJI_HOME to the "
			    "directory that holds the real one",
			    path);
	if (!S_ISDIR(st.st_mode))
		return fail(err, errsize, CJ_EINVAL, "%s is not a directory", path);
	if (st.st_uid != l->server_uid)
		return fail(err, errsize, CJ_EREFUSED,
			    "%s belongs to uid %ld, not to the server's user %s (uid %ld)", path,
			    (long)st.st_uid, l->pw ? l->pw->pw_name : "(you)", (long)l->server_uid);
	return 0;
}

/* Find and check the cluster under home; CJ_ENOTFOUND when home does not exist yet. */
static int
layout_of(const char *home, layout *l, char *err, size_t errsize)
{
	int status;

	memset(l, 0, sizeof *l);
	if ((status = server_user(l, err, errsize)) ||
	    (status = check_home(home, l->home, err, errsize)))
		return status;
	snprintf(l->datadir, sizeof l->datadir, "%s/pg", l->home);
	snprintf(l->logdir, sizeof l->logdir, "%s/log", l->home);
	if (strlen(l->datadir) + strlen("/.s.PGSQL.5432") > SOCKET_PATH_MAX)
		return fail(err, errsize, CJ_EINVAL,
			    "CUNJI_HOME %s is too long: the server socket path must fit in %d bytes",
			    l->home, SOCKET_PATH_MAX);
	if ((status = check_server_dir(l, l->datadir, err, errsize)) ||
	    (status = check_server_dir(l, l->logdir, err, errsize)))
		return status;
	return 0;
}

#define SUPERUSER "postgres" /* the bootstrap superuser: init, migrations, maintenance */

static void
conninfo_of(const char *datadir, const char *dbname, char *buf, size_t size)
{
	snprintf(buf, size, "host='%s' port=5432 user=" SUPERUSER " dbname='%s'", datadir, dbname);
}

static int
server_answers(const char *datadir)
{
	char ci[PATH_MAX + 128];

	conninfo_of(datadir, "postgres", ci, sizeof ci);
	return PQping(ci) == PQPING_OK;
}

int
cj_cluster_login(char *buf, size_t size)
{
	struct passwd *pw = getpwuid(geteuid());

	if (!pw || (size_t)snprintf(buf, size, "%s", pw->pw_name) >= size)
		return CJ_EINVAL;
	return 0;
}

/* ---- authentication ---- */

typedef struct auth_files {
	const char *datadir;
	char os_user[64];  /* PostgreSQL names have at most 63 bytes */
	char marker[400]; /* the first line of our pg_hba.conf */
} auth_files;

static int
auth_of(const layout *l, auth_files *a, char *err, size_t errsize)
{
	a->datadir = l->datadir;
	if (cj_cluster_login(a->os_user, sizeof a->os_user) || strpbrk(a->os_user, "\" \t\n#\\"))
		return fail(err, errsize, CJ_EINVAL,
			    "cannot tell who you are (uid %ld) for the database's authentication",
			    (long)geteuid());
	snprintf(a->marker, sizeof a->marker,
		 "# cunji auth 1: %s by peer (as postgres or as login %s), others by password\n",
		 a->os_user, a->os_user);
	return 0;
}

/* Is pg_hba.conf ours (and for this user)?  Runs as the server's user. */
static int
auth_current(const void *arg)
{
	const auth_files *a = arg;
	char path[PATH_MAX + 32], line[256];
	int fd, same = 0;
	FILE *f;

	snprintf(path, sizeof path, "%s/pg_hba.conf", a->datadir);
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || !(f = fdopen(fd, "r"))) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	same = fgets(line, sizeof line, f) && !strcmp(line, a->marker);
	fclose(f);
	return same ? 0 : -1;
}

static int
write_file(const char *datadir, const char *name, const char *text)
{
	char path[PATH_MAX + 32], tmp[PATH_MAX + 48];
	int fd;
	size_t n = strlen(text);

	snprintf(path, sizeof path, "%s/%s", datadir, name);
	snprintf(tmp, sizeof tmp, "%s/%s.cunji-new", datadir, name);
	unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	if (write(fd, text, n) != (ssize_t)n || fsync(fd) || close(fd)) {
		unlink(tmp);
		return -1;
	}
	return rename(tmp, path);
}

/* Write pg_hba.conf and pg_ident.conf.  Runs as the server's user. */
static int
write_auth(const void *arg)
{
	const auth_files *a = arg;
	char hba[1200], ident[600];

	snprintf(hba, sizeof hba,
		 "%s"
		 "# Written by cunji (docs/roles.md); 'cunji init' writes it again.\n"
		 "# TYPE  DATABASE  USER  METHOD\n"
		 "local   all   " SUPERUSER "   peer map=cunji\n"
		 "local   all   \"%s\"   peer map=cunji\n"
		 "local   all   all   scram-sha-256\n",
		 a->marker, a->os_user);
	snprintf(ident, sizeof ident,
		 "# Written by cunji: the owner of the cluster, as the bootstrap superuser or\n"
		 "# as its own admin login.\n"
		 "# MAP   SYSTEM-USER   PG-USER\n"
		 "cunji   \"%s\"   " SUPERUSER "\n"
		 "cunji   \"%s\"   \"%s\"\n",
		 a->os_user, a->os_user, a->os_user);
	return write_file(a->datadir, "pg_ident.conf", ident) ||
	       write_file(a->datadir, "pg_hba.conf", hba) ? -1 : 0;
}

/* ---- creating and starting ---- */

/* Prepared transactions the server allows: one per connection of a
 * parallel import (importers/import.c), a few imports at once. */
#define PREPARED_SLOTS "50"

static int
append_config(const void *arg)
{
	const char *datadir = arg;
	char path[PATH_MAX + 32];
	int fd;
	FILE *f;

	snprintf(path, sizeof path, "%s/postgresql.conf", datadir);
	fd = open(path, O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || !(f = fdopen(fd, "a"))) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	fprintf(f, "\n# added by cunji: a private server on a unix socket only\n"
		   "listen_addresses = ''\n"
		   "unix_socket_directories = '%s'\n"
		   "port = 5432\n"
		   "max_connections = 50\n"
		   "# small on purpose: each new backend faults in, 4 kB at a time, every\n"
		   "# page of shared memory it touches, and a command is a new backend;\n"
		   "# the operating system's cache holds the books as well\n"
		   "# (docs/performance.md, ninth session)\n"
		   "shared_buffers = 32MB\n"
		   "work_mem = 16MB\n"
		   "wal_buffers = 16MB\n"
		   "max_wal_size = 2GB\n"
		   "# the ledger's queries are per village: parallel workers cost more\n"
		   "# to start than they save on a small machine\n"
		   "max_parallel_workers_per_gather = 0\n"
		   "# the parallel import commits its connections in two phases\n"
		   "max_prepared_transactions = " PREPARED_SLOTS "\n"
		   "# every backend runs the ledger's PL/pgSQL triggers: load the language\n"
		   "# once in the server, not in each backend's first posting\n"
		   "shared_preload_libraries = 'plpgsql'\n"
		   "checkpoint_timeout = 15min\n"
		   "log_min_messages = warning\n"
		   "log_min_error_statement = panic\n",
		datadir);
	return fclose(f) ? -1 : 0;
}

static int
init_cluster(const layout *l, char *err, size_t errsize)
{
	char initdb[PATH_MAX + 32], logpath[PATH_MAX + 32], last[256];
	const char *bindir = pg_bindir();
	int rc;

	if (!bindir)
		return fail(err, errsize, CJ_ERROR,
			    "PostgreSQL server programs not found (install postgresql-15, or set "
			    "CUNJI_PG_BINDIR)");
	snprintf(initdb, sizeof initdb, "%s/initdb", bindir);
	snprintf(logpath, sizeof logpath, "%s/initdb.log", l->logdir);
	if (mkdir(l->datadir, 0700) == 0) {
		if (l->pw && chown(l->datadir, l->pw->pw_uid, l->pw->pw_gid))
			return fail(err, errsize, CJ_EIO, "cannot hand %s to user %s: %s", l->datadir,
				    l->pw->pw_name, strerror(errno));
	} else if (errno != EEXIST) { /* an existing one was checked by layout_of */
		return fail(err, errsize, CJ_EIO, "cannot create %s: %s", l->datadir, strerror(errno));
	}
	{
		char *const argv[] = {initdb, "-D", (char *)l->datadir, "--auth-local=peer",
				      "--auth-host=reject", "--encoding=UTF8", "--locale=C.UTF-8", "-U",
				      SUPERUSER, "--no-instructions", NULL};
		rc = run(l->pw, logpath, argv, 0);
	}
	if (rc == RUN_NO_LOG)
		return no_log(l, logpath, err, errsize);
	if (rc != 0) {
		tail_of(l, logpath, last, sizeof last);
		return fail(err, errsize, CJ_ERROR, "initdb failed (%s; see %s)", last, logpath);
	}
	if (as_user(l->pw, append_config, l->datadir))
		return fail(err, errsize, CJ_EIO, "cannot add cunji's settings to %s/postgresql.conf as %s",
			    l->datadir, server_user_name(l));
	return 0;
}

/*
 * Is pid a live process working in dir?  A postmaster's working directory
 * is its data directory.  A zombie or a process that is exiting has none
 * left, and a pid reused by another process has another; a process of
 * another user is not our server's (this runs as the server's user).
 * Without /proc we cannot tell, and say yes.
 */
static int
process_works_in(long pid, const char *dir)
{
	char path[64], cwd[PATH_MAX];
	ssize_t n;

	if (pid <= 0 || (kill((pid_t)pid, 0) && (errno == ESRCH || errno == EPERM)))
		return 0;
	if (access("/proc/self/cwd", F_OK))
		return 1;
	snprintf(path, sizeof path, "/proc/%ld/cwd", pid);
	n = readlink(path, cwd, sizeof cwd - 1);
	if (n < 0)
		return errno != ENOENT;
	cwd[n] = '\0';
	return strcmp(cwd, dir) == 0;
}

/*
 * A server killed with kill -9 leaves postmaster.pid and the socket's lock
 * file behind, with its pid.  postgres takes any live process with that pid
 * for a running server, and a killed postmaster whose parent is gone stays
 * a zombie where nothing reaps orphans (a container whose first process is
 * not an init): the first start after such a kill used to fail with "Is
 * another postmaster running".  Lock files whose pid is not a process in
 * this data directory are removed.  Runs as the server's user.
 */
static int
clear_stale_locks(const void *arg)
{
	static const char *const names[] = {"postmaster.pid", ".s.PGSQL.5432.lock"};
	const char *datadir = arg;

	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		char path[PATH_MAX + 32], buf[32];
		ssize_t n;
		int fd;

		snprintf(path, sizeof path, "%s/%s", datadir, names[i]);
		fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			continue;
		n = read(fd, buf, sizeof buf - 1);
		close(fd);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		if (!process_works_in(strtol(buf, NULL, 10), datadir))
			unlink(path);
	}
	return 0;
}

static int
start_cluster(const layout *l, char *err, size_t errsize)
{
	char pg_ctl[PATH_MAX + 32], logpath[PATH_MAX + 32], ctllog[PATH_MAX + 32], last[256];
	const char *bindir = pg_bindir();
	int rc;

	if (!bindir)
		return fail(err, errsize, CJ_ERROR, "PostgreSQL server programs not found");
	snprintf(pg_ctl, sizeof pg_ctl, "%s/pg_ctl", bindir);
	snprintf(logpath, sizeof logpath, "%s/server.log", l->logdir);
	snprintf(ctllog, sizeof ctllog, "%s/pg_ctl.log", l->logdir);
	as_user(l->pw, clear_stale_locks, l->datadir);
	{
		/* clusters made before max_prepared_transactions was in their
		 * postgresql.conf get it here, when cunji starts them */
		char *const argv[] = {pg_ctl, "-D", (char *)l->datadir, "-l", logpath, "-w", "-t", "60",
				      "-o", "-c max_prepared_transactions=" PREPARED_SLOTS, "start", NULL};
		rc = run(l->pw, ctllog, argv, 1);
	}
	if (rc == RUN_NO_LOG)
		return no_log(l, ctllog, err, errsize);
	if (rc != 0 || !server_answers(l->datadir)) {
		tail_of(l, logpath, last, sizeof last);
		return fail(err, errsize, CJ_ERROR, "the database server did not start (%s; see %s)",
			    last, logpath);
	}
	return 0;
}

/* A connection to the maintenance database, or NULL with the message in err. */
static PGconn *
maintenance(const layout *l, char *err, size_t errsize)
{
	char ci[PATH_MAX + 128];
	PGconn *conn;

	conninfo_of(l->datadir, "postgres", ci, sizeof ci);
	conn = PQconnectdb(ci);
	if (PQstatus(conn) != CONNECTION_OK) {
		fail(err, errsize, CJ_EDB, "cannot connect to the embedded server: %s",
		     PQerrorMessage(conn));
		PQfinish(conn);
		return NULL;
	}
	return conn;
}

/* exec sql on conn; CJ_EDB with "what: message" in err on failure */
static int
maintenance_exec(PGconn *conn, PGresult **res_out, const char *sql, const char *param,
		 const char *what, char *err, size_t errsize)
{
	PGresult *res = PQexecParams(conn, sql, param ? 1 : 0, NULL, &param, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(res);

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
		fail(err, errsize, CJ_EDB, "%s: %s", what, msg ? msg : PQerrorMessage(conn));
		PQclear(res);
		return CJ_EDB;
	}
	if (res_out)
		*res_out = res;
	else
		PQclear(res);
	return 0;
}

/* CREATE DATABASE dbname, with a comment when mark is given. */
static int
create_database(PGconn *conn, const char *dbname, const char *mark, char *err, size_t errsize)
{
	char *ident = PQescapeIdentifier(conn, dbname, strlen(dbname));
	char *literal = mark ? PQescapeLiteral(conn, mark, strlen(mark)) : NULL;
	char sql[512], what[128];
	int status = CJ_ENOMEM;

	snprintf(what, sizeof what, "cannot create database %s", dbname);
	if (ident && (literal || !mark)) {
		snprintf(sql, sizeof sql, "CREATE DATABASE %s", ident);
		status = maintenance_exec(conn, NULL, sql, NULL, what, err, errsize);
		if (!status && mark) {
			snprintf(sql, sizeof sql, "COMMENT ON DATABASE %s IS %s", ident, literal);
			status = maintenance_exec(conn, NULL, sql, NULL, what, err, errsize);
		}
	} else {
		fail(err, errsize, CJ_ENOMEM, "out of memory");
	}
	PQfreemem(ident);
	PQfreemem(literal);
	return status;
}

static const char db_mark_sql[] =
	"SELECT coalesce(shobj_description(oid, 'pg_database'), '') FROM pg_database "
	"WHERE datname = $1";

static int
ensure_database(const layout *l, const char *dbname, int *created, char *err, size_t errsize)
{
	PGconn *conn = maintenance(l, err, errsize);
	PGresult *res;
	int status;

	if (!conn)
		return CJ_EDB;
	status = maintenance_exec(conn, &res, db_mark_sql, dbname, "looking for the database", err,
				  errsize);
	if (!status) {
		if (PQntuples(res) == 0 && !(status = create_database(conn, dbname, NULL, err, errsize)) &&
		    created)
			*created = 1;
		PQclear(res);
	}
	/* another command started together may have created it first */
	if (status == CJ_EDB && !maintenance_exec(conn, &res, db_mark_sql, dbname, "", err, errsize)) {
		if (PQntuples(res) == 1)
			status = 0;
		PQclear(res);
	}
	PQfinish(conn);
	return status;
}

/* The running server reads pg_hba.conf again (the connection is made under the old rules). */
static int
reload_cluster(const layout *l, char *err, size_t errsize)
{
	PGconn *conn = maintenance(l, err, errsize);
	int status;

	if (!conn)
		return CJ_EDB;
	status = maintenance_exec(conn, NULL, "SELECT pg_reload_conf()", NULL,
				  "cannot reload the server's authentication", err, errsize);
	PQfinish(conn);
	return status;
}

/* Our pg_hba.conf and pg_ident.conf, written when missing or older; running: reloaded. */
static int
ensure_auth(const layout *l, int running, char *err, size_t errsize)
{
	auth_files a;
	int status = auth_of(l, &a, err, errsize);

	if (status || !as_user(l->pw, auth_current, &a))
		return status;
	if (as_user(l->pw, write_auth, &a))
		return fail(err, errsize, CJ_EIO, "cannot write %s/pg_hba.conf and pg_ident.conf as %s",
			    l->datadir, server_user_name(l));
	return running ? reload_cluster(l, err, errsize) : 0;
}

/* The slow path: create the home, the cluster and the database as needed. */
static int
ensure(const char *home, const char *dbname, layout *l, int *created, char *err, size_t errsize)
{
	char path[PATH_MAX + 32];
	struct stat st;
	int lockfd = -1, status;
	auth_files a;

	status = layout_of(home, l, err, errsize);
	if (status == CJ_ENOTFOUND) {
		if (mkdir_p(home, 0755))
			return fail(err, errsize, CJ_EIO, "cannot create %s: %s", home, strerror(errno));
		status = layout_of(home, l, err, errsize);
	}
	if (status || (status = auth_of(l, &a, err, errsize)))
		return status;
	/* The quick path: a running server with our authentication (the usual case). */
	if (server_answers(l->datadir) && !as_user(l->pw, auth_current, &a))
		return ensure_database(l, dbname, created, err, errsize);

	if (mkdir(l->logdir, 0755) == 0) {
		if (l->pw && chown(l->logdir, l->pw->pw_uid, l->pw->pw_gid))
			return fail(err, errsize, CJ_EIO, "cannot hand %s to user %s", l->logdir,
				    l->pw->pw_name);
	} else if (errno != EEXIST) {
		return fail(err, errsize, CJ_EIO, "cannot create %s: %s", l->logdir, strerror(errno));
	}
	if (as_user(l->pw, can_traverse, l->home))
		return fail(err, errsize, CJ_EINVAL,
			    "the server runs as user postgres, which cannot reach %s (a directory "
			    "under /root, or one with mode 700 on the way); set CUNJI_HOME to a "
			    "directory it can reach, such as /var/lib/cunji",
			    l->home);

	snprintf(path, sizeof path, "%s/lock", l->home);
	lockfd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (lockfd < 0 || flock(lockfd, LOCK_EX)) {
		status = fail(err, errsize, CJ_EIO, "cannot lock %s: %s", path, strerror(errno));
		goto done;
	}
	/* Someone may have done the work while we waited for the lock. */
	if (server_answers(l->datadir)) {
		status = ensure_auth(l, 1, err, errsize);
		goto db;
	}
	snprintf(path, sizeof path, "%s/PG_VERSION", l->datadir);
	if (stat(path, &st) != 0) {
		status = init_cluster(l, err, errsize);
		if (status)
			goto done;
	}
	if (!(status = ensure_auth(l, 0, err, errsize)))
		status = start_cluster(l, err, errsize);
db:
	if (!status)
		status = ensure_database(l, dbname, created, err, errsize);
done:
	if (lockfd >= 0)
		close(lockfd);
	return status;
}

/*
 * As the bootstrap superuser: apply the migrations the database misses, and
 * make sure the cluster's owner has its admin login in it.
 */
static int
bootstrap(const layout *l, const char *dbname, int *applied, char *err, size_t errsize)
{
	char ci[PATH_MAX + 128], me[128];
	const char *params[1] = {me};
	cj_db *db = NULL;
	int behind = 0, status;

	conninfo_of(l->datadir, dbname, ci, sizeof ci);
	if (cj_cluster_login(me, sizeof me))
		return fail(err, errsize, CJ_EINVAL, "cannot tell who you are (uid %ld)", (long)geteuid());
	status = cj_db_connect(&db, ci);
	if (!status && cj_db_check_schema(db, &behind) && !behind)
		status = CJ_EREFUSED;
	if (!status && behind)
		status = cj_db_migrate(db, applied);
	/* under the migrations' lock: commands started together all find it missing */
	if (!status && strcmp(me, SUPERUSER) && !(status = cj__migration_lock(db))) {
		status = cj_db_exec(db, NULL,
				    "SELECT cunji.login_add($1, $1, 'admin', NULL) WHERE NOT EXISTS "
				    "(SELECT 1 FROM cunji.app_login WHERE login = $1)",
				    1, params);
		cj__migration_unlock(db);
	}
	if (status)
		fail(err, errsize, status, "database %s: %s", dbname, cj_db_errmsg(db));
	cj_db_close(db);
	return status;
}

int
cj_cluster_ensure(const char *home, const char *dbname, char *conninfo, size_t size,
		  int *created_out, char *err, size_t errsize)
{
	layout l;
	int status;

	if (created_out)
		*created_out = 0;
	status = ensure(home, dbname, &l, created_out, err, errsize);

	if (!status)
		conninfo_of(l.datadir, dbname, conninfo, size);
	return status;
}

int
cj_cluster_bootstrap(const char *home, const char *dbname, int *applied_out, char *err,
		     size_t errsize)
{
	layout l;
	int status;

	if (applied_out)
		*applied_out = 0;
	if ((status = ensure(home, dbname, &l, NULL, err, errsize)))
		return status;
	return bootstrap(&l, dbname, applied_out, err, errsize);
}

static void
user_conninfo(const char *datadir, const char *dbname, const char *user, char *buf, size_t size)
{
	char me[128];

	if (!user && !cj_cluster_login(me, sizeof me))
		user = me;
	snprintf(buf, size, "host='%s' port=5432 dbname='%s' user='%s'", datadir, dbname,
		 user ? user : SUPERUSER);
}

int
cj_cluster_connect_as(const char *home, const char *dbname, const char *user,
		      const char *password, cj_db **out, char *err, size_t errsize)
{
	char ci[PATH_MAX + 256];
	layout l;
	int status;

	*out = NULL;
	if (user && strpbrk(user, "'\\"))
		return fail(err, errsize, CJ_EINVAL, "no login is called %s", user);
	/* one connection when the server runs and the database exists */
	status = layout_of(home, &l, err, errsize);
	if (status && status != CJ_ENOTFOUND)
		return status;
	if (!status) {
		user_conninfo(l.datadir, dbname, user, ci, sizeof ci);
		status = cj_db_connect_user(out, ci, NULL, password);
		if (!status)
			return 0;
		fail(err, errsize, status, "%s", cj_db_errmsg(*out));
		cj_db_close(*out);
		*out = NULL;
		/* the server runs and asked for a password: nothing to set up */
		if (status == CJ_EAUTH || strstr(err, "password authentication failed"))
			return status;
	}
	if ((status = ensure(home, dbname, &l, NULL, err, errsize)) ||
	    (status = bootstrap(&l, dbname, NULL, err, errsize)))
		return status;
	user_conninfo(l.datadir, dbname, user, ci, sizeof ci);
	if ((status = cj_db_connect_user(out, ci, NULL, password))) {
		fail(err, errsize, status, "%s", cj_db_errmsg(*out));
		cj_db_close(*out);
		*out = NULL;
	}
	return status;
}

int
cj_cluster_connect(const char *home, const char *dbname, cj_db **out, char *err, size_t errsize)
{
	return cj_cluster_connect_as(home, dbname, NULL, NULL, out, err, errsize);
}

int
cj_cluster_url_as(const char *home, const char *dbname, const char *user, char *buf, size_t size)
{
	char real[PATH_MAX], me[128];
	int n;

	if (!realpath(home, real))
		cj__strlcpy(real, home, sizeof real);
	if (!user && cj_cluster_login(me, sizeof me))
		return CJ_EINVAL;
	n = snprintf(buf, size, "postgresql:///%s?host=%s/pg&user=%s", dbname, real, user ? user : me);
	return n < 0 || (size_t)n >= size ? CJ_EINVAL : 0;
}

int
cj_cluster_url(const char *home, const char *dbname, char *buf, size_t size)
{
	return cj_cluster_url_as(home, dbname, NULL, buf, size);
}

int
cj_cluster_get_status(const char *home, cj_cluster_status *out, char *err, size_t errsize)
{
	char path[PATH_MAX + 32], buf[32];
	layout l;
	struct stat st;
	int status, fd;

	memset(out, 0, sizeof *out);
	status = layout_of(home, &l, err, errsize);
	if (status == CJ_ENOTFOUND) {
		snprintf(out->datadir, sizeof out->datadir, "%s/pg", home);
		return 0;
	}
	if (status)
		return status;
	cj__strlcpy(out->datadir, l.datadir, sizeof out->datadir);
	snprintf(path, sizeof path, "%s/PG_VERSION", l.datadir);
	out->initialised = stat(path, &st) == 0 || (errno == EACCES);
	out->running = server_answers(l.datadir);
	snprintf(path, sizeof path, "%s/postmaster.pid", l.datadir);
	if (out->running && (fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) >= 0) {
		ssize_t n = read(fd, buf, sizeof buf - 1);
		buf[n > 0 ? n : 0] = '\0';
		out->pid = strtol(buf, NULL, 10);
		close(fd);
	}
	return 0;
}

int
cj_cluster_stop(const char *home, char *err, size_t errsize)
{
	char pg_ctl[PATH_MAX + 32], logpath[PATH_MAX + 32], last[256];
	const char *bindir = pg_bindir();
	layout l;
	int status, rc;

	status = layout_of(home, &l, err, errsize);
	if (status == CJ_ENOTFOUND)
		return 0;
	if (status)
		return status;
	if (!server_answers(l.datadir))
		return 0;
	if (!bindir)
		return fail(err, errsize, CJ_ERROR, "PostgreSQL server programs not found");
	snprintf(pg_ctl, sizeof pg_ctl, "%s/pg_ctl", bindir);
	snprintf(logpath, sizeof logpath, "%s/pg_ctl.log", l.logdir);
	{
		char *const argv[] = {pg_ctl, "-D", l.datadir, "-m", "fast", "-w", "stop", NULL};
		rc = run(l.pw, logpath, argv, 0);
	}
	if (rc == RUN_NO_LOG)
		return no_log(&l, logpath, err, errsize);
	if (rc != 0) {
		tail_of(&l, logpath, last, sizeof last);
		return fail(err, errsize, CJ_ERROR, "pg_ctl stop failed (%s; see %s)", last, logpath);
	}
	return 0;
}

/*
 * Drop and create a scratch database: one that does not exist yet or that
 * this function made (its COMMENT carries SCRATCH_MARK).  Any other
 * database is somebody's books and is refused.
 */
int
cj_cluster_recreate_db(const char *home, const char *dbname, char *err, size_t errsize)
{
	char sql[300], what[128];
	PGconn *conn;
	PGresult *res;
	char *ident;
	layout l;
	int status;

	if ((status = ensure(home, "postgres", &l, NULL, err, errsize)))
		return status;
	if (!(conn = maintenance(&l, err, errsize)))
		return CJ_EDB;
	status = maintenance_exec(conn, &res, db_mark_sql, dbname, "looking for the database", err,
				  errsize);
	if (status)
		goto done;
	if (PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), SCRATCH_MARK) != 0) {
		status = fail(err, errsize, CJ_EREFUSED,
			      "database %s exists and was not made by cunji as a scratch database (demo, "
			      "tests): it is left alone",
			      dbname);
	} else if (PQntuples(res) == 1) {
		ident = PQescapeIdentifier(conn, dbname, strlen(dbname));
		snprintf(sql, sizeof sql, "DROP DATABASE %s WITH (FORCE)", ident ? ident : "\"\"");
		snprintf(what, sizeof what, "cannot drop database %s", dbname);
		PQfreemem(ident);
		status = maintenance_exec(conn, NULL, sql, NULL, what, err, errsize);
	}
	PQclear(res);
	if (!status)
		status = create_database(conn, dbname, SCRATCH_MARK, err, errsize);
done:
	PQfinish(conn);
	return status ? status : bootstrap(&l, dbname, NULL, err, errsize);
}
