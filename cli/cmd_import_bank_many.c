/*
 * cmd_import_bank_many.c - import bank for many villages with one rules
 * file: cunji import bank --township CODE --rules R --account 102 FILE...
 *
 * Each statement is named for its village: VILLAGE=FILE (a village code,
 * or a name of the township's villages), or a FILE whose name holds the
 * code or the name of one of the township's villages (周口村-3月.xlsx).
 * Every file is matched before anything is imported; then each village is
 * one import, all or nothing (cj_bank_batch_step), and the summary says
 * which are done, refused and why.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include <importers/bank_import.h>
#include <ledger/batch.h>

#include "cli.h"

/* The township's village that a file's name (without its folders) names: the code, else the longest name. */
static const cj_org *
village_in_name(const cj_batch *t, const char *path, int *ambiguous)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	const cj_org *best = NULL;
	size_t best_len = 0;

	*ambiguous = 0;
	for (size_t i = 0; i < t->n; i++)
		if (strstr(base, t->items[i].village.code))
			return &t->items[i].village;
	for (size_t i = 0; i < t->n; i++) {
		size_t len = strlen(t->items[i].village.name);

		if (!strstr(base, t->items[i].village.name) || len < best_len)
			continue;
		*ambiguous = len == best_len;
		best = &t->items[i].village;
		best_len = len;
	}
	return best;
}

/* VILLAGE of VILLAGE=FILE: a code, or the name of one of the township's villages. */
static const char *
village_key(const cj_batch *t, const char *key)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(key, t->items[i].village.code) || !strcmp(key, t->items[i].village.name))
			return t->items[i].village.code;
	return key; /* a code: cj_batch_villages finds it or says it is none */
}

int
import_bank_many(cli *c, const cli_opts *o, const cj_bank_import_opts *bo)
{
	const char *township = opt_get(o, "township");
	cj_batch t = {0};
	cj_bank_batch bb = {.opts = *bo, .n = 0};
	const char **codes = calloc((size_t)o->npos + 1, sizeof *codes), **paths = calloc((size_t)o->npos + 1, sizeof *paths);
	char **keys = calloc((size_t)o->npos + 1, sizeof *keys), what[64];
	import_ui ui;
	size_t nproblems = 0;
	int status = 0;

	if (!codes || !paths || !keys) {
		status = fail_msg(_("out of memory"));
		goto done;
	}
	if (opt_get(o, "village") || opt_get(o, "file"))
		return usage_error(o->cmd, _("with --township or --villages the statements are the "
					     "arguments (FILE or VILLAGE=FILE), not --village or --file"));
	if (!o->npos) {
		status = usage_error(o->cmd, _("name the statements: FILE (its name holds the village's "
					       "code or name) or VILLAGE=FILE"));
		goto done;
	}
	if (township && cj_batch_villages(c->db, township, NULL, 0, &t)) {
		status = fail_db(c, NULL);
		goto done;
	}
	for (int i = 0; i < o->npos; i++) {
		const char *arg = o->pos[i], *eq = strchr(arg, '=');
		int ambiguous = 0;

		if (eq) {
			if (!(keys[i] = strndup(arg, (size_t)(eq - arg)))) {
				status = fail_msg(_("out of memory"));
				goto done;
			}
			codes[i] = village_key(&t, keys[i]);
			paths[i] = eq + 1;
		} else {
			const cj_org *v = township ? village_in_name(&t, arg, &ambiguous) : NULL;

			if (!v || ambiguous) {
				status = usage_error(o->cmd, ambiguous ? _("%s: its name fits more than one "
									   "village; write VILLAGE=%s")
								       : _("%s: its name holds no village's code or "
									   "name of the township; write VILLAGE=%s"),
						     arg, arg);
				goto done;
			}
			codes[i] = v->code;
			paths[i] = arg;
		}
		if (!strcmp(paths[i], "-")) {
			status = usage_error(o->cmd, _("standard input is for one village's statement"));
			goto done;
		}
		for (int k = 0; k < i; k++)
			if (!strcmp(codes[k], codes[i])) {
				status = usage_error(o->cmd, _("two statements for %s (%s and %s): import them "
							       "one after the other"),
						     codes[i], paths[k], paths[i]);
				goto done;
			}
	}
	bb.villages = codes;
	bb.paths = paths;
	bb.n = (size_t)o->npos;
	bb.opts.cb = import_ui_begin(&ui, c, paths[0]);
	/* a rules file with problems would refuse every village alike: say so once */
	if (cj_bank_rules_check(c->db, &bb.opts, &nproblems)) {
		import_ui_end(&ui);
		status = nproblems ? fail_msg(_("%s: %zu problem(s) in the rules; no village was imported"),
					      bo->rules, nproblems)
				   : fail_db(c, NULL);
		goto done;
	}
	snprintf(what, sizeof what, "%s", _("bank statements"));
	status = batch_run_list(c, o, NULL, codes, (size_t)o->npos, what, cj_bank_batch_step, &bb,
				BATCH_STEP_DRY_RUN, stdout);
	import_ui_end(&ui);
done:
	for (int i = 0; keys && i < o->npos; i++)
		free(keys[i]);
	free(keys);
	free(codes);
	free(paths);
	cj_batch_free(&t);
	return status;
}
