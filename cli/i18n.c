/*
 * i18n.c - the locale and the catalogue of the tool's messages
 *
 * The messages follow LC_MESSAGES (LANG=zh_CN.UTF-8: Chinese) and are
 * always written in UTF-8, like everything else the tool prints; the other
 * categories stay "C", so numbers and the libraries' parsing do not change
 * with the locale.  The catalogue (cunji.mo) is looked for in $CUNJI_LOCALEDIR,
 * next to the executable (build/locale, where the build compiles it: the
 * tests and ./build/cunji find it uninstalled), in ../share/locale beside it,
 * then where the build says it is installed.
 *
 * SPDX-License-Identifier: MIT
 */
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ledger/i18n.h>

#include "cli.h"

#ifndef CUNJI_LOCALEDIR
#define CUNJI_LOCALEDIR "/usr/local/share/locale"
#endif

static int
is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

void
i18n_init(void)
{
	static char dir[PATH_MAX + 32];
	const char *env = getenv("CUNJI_LOCALEDIR");
	char exe[PATH_MAX];
	ssize_t n;

	setlocale(LC_MESSAGES, "");
	if (env && *env) {
		snprintf(dir, sizeof dir, "%s", env);
	} else {
		snprintf(dir, sizeof dir, "%s", CUNJI_LOCALEDIR);
		n = readlink("/proc/self/exe", exe, sizeof exe - 1);
		if (n > 0) {
			char *slash, try[sizeof dir];

			exe[n] = '\0';
			if ((slash = strrchr(exe, '/')))
				*slash = '\0';
			snprintf(try, sizeof try, "%s/locale", exe);
			if (!is_dir(try))
				snprintf(try, sizeof try, "%s/../share/locale", exe);
			if (is_dir(try))
				memcpy(dir, try, sizeof dir);
		}
	}
	bindtextdomain(CJ_TEXTDOMAIN, dir);
	bind_textdomain_codeset(CJ_TEXTDOMAIN, "UTF-8");
}

const char *
tr_word(const char *w)
{
	static const char *const words[] = {N_("county"), N_("township"), N_("village")};

	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (!strcmp(w, words[i]))
			return _(words[i]);
	return w;
}
