/*
 * i18n.h - messages in the reader's language (gettext)
 *
 * Every text a person reads from the tool or the libraries (messages, help,
 * problem texts) is written in English in the source and wrapped: _() where
 * it is used, N_() where it is only stored (a command table, an array) and
 * translated with _() when printed.  The libraries and the tool share one
 * catalogue, the text domain "cunji" (po/zh_CN.po); dgettext names it, so a
 * library's message is translated whatever domain its host program chose.
 * The tool binds the domain and the locale at start (cli/i18n.c); a program
 * that does not (the tests' own programs) gets the English.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_I18N_H
#define CUNJI_I18N_H

#include <libintl.h>

#define CJ_TEXTDOMAIN "cunji"

/* translated here */
#define _(s) dgettext(CJ_TEXTDOMAIN, s)
/* marked for translation, translated where it is printed */
#define N_(s) s
/* a stored N_() string, translated; NULL and "" (gettext would give the
 * catalogue's header) stay as they are */
#define CJ_TR(s) ((s) && *(s) ? _(s) : (s))

#endif
