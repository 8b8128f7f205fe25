/*
 * error.c - names of status codes
 *
 * SPDX-License-Identifier: MIT
 */
#include <ledger/error.h>

const char *
cj_status_name(int status)
{
	switch (status) {
	case CJ_OK: return "ok";
	case CJ_ERROR: return "error";
	case CJ_ENOMEM: return "out of memory";
	case CJ_EINVAL: return "invalid input";
	case CJ_ENOTFOUND: return "not found";
	case CJ_EEXISTS: return "already exists";
	case CJ_EUNBALANCED: return "unbalanced";
	case CJ_ECLOSED: return "period closed";
	case CJ_EOVERFLOW: return "overflow";
	case CJ_ERETRY: return "retry";
	case CJ_EDB: return "database error";
	case CJ_EIO: return "i/o error";
	case CJ_EREFUSED: return "refused";
	case CJ_EAUTH: return "password needed";
	default: return "unknown status";
	}
}
