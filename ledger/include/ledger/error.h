/*
 * error.h - status codes shared by every cunji library
 *
 * Functions return 0 (CJ_OK) on success or a negative cj_status.  The text
 * of the last error lives on the handle that produced it (see cj_db_errmsg),
 * never in a global, the way libpq keeps PQerrorMessage on the connection.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_LEDGER_ERROR_H
#define CUNJI_LEDGER_ERROR_H

typedef enum cj_status {
	CJ_OK = 0,
	CJ_ERROR = -1,       /* unexpected; the message has details */
	CJ_ENOMEM = -2,
	CJ_EINVAL = -3,      /* bad user or file input */
	CJ_ENOTFOUND = -4,
	CJ_EEXISTS = -5,     /* already there (SQLSTATE 23505) */
	CJ_EUNBALANCED = -6, /* debits differ from credits */
	CJ_ECLOSED = -7,     /* period or year closed */
	CJ_EOVERFLOW = -8,
	CJ_ERETRY = -9,      /* serialization failure: retry the whole unit */
	CJ_EDB = -10,        /* other database failure */
	CJ_EIO = -11,
	CJ_EREFUSED = -12,   /* a ledger rule refused the operation (or a privilege) */
	CJ_EAUTH = -13       /* the server wants a password and none was given */
} cj_status;

#if defined(__GNUC__)
#define CJ_MUST_CHECK __attribute__((warn_unused_result))
#define CJ_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CJ_MUST_CHECK
#define CJ_PRINTF(f, a)
#endif

/** A short English name for a status code, e.g. "unbalanced". */
const char *cj_status_name(int status);

#endif
