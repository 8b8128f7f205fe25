/*
 * cmd_post.c - post (from the command line or a CSV file) and void
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <importers/import.h>

#include "cli.h"

/* "ACCT=AMOUNT[;counterparty[;summary]]" into a line; text points into spec. */
static int
parse_line_spec(const cmd_spec *cmd, char *spec, int debit, cj_line *l)
{
	char *eq = strchr(spec, '='), *semi, *amount;
	cj_money m;
	int rc;

	memset(l, 0, sizeof *l);
	if (!eq || eq == spec)
		return usage_error(cmd, _("'--%s %s': expected ACCOUNT=AMOUNT, e.g. 102001=1200.00"),
				   debit ? "debit" : "credit", spec);
	*eq = '\0';
	l->account = spec;
	amount = eq + 1;
	semi = strchr(amount, ';');
	if (semi) {
		*semi = '\0';
		l->counterparty = semi + 1;
		semi = strchr(semi + 1, ';');
		if (semi) {
			*semi = '\0';
			l->summary = semi + 1;
		}
		if (l->counterparty && !*l->counterparty)
			l->counterparty = NULL;
	}
	rc = cj_money_parse(&m, amount);
	if (rc)
		return usage_error(cmd, _("account %s: '%s' is not an amount in yuan%s"), spec, amount,
				   rc == CJ_EOVERFLOW ? _(" (too large)") : _(" (e.g. 1200, 1,200.50)"));
	if (m.fen <= 0)
		return usage_error(cmd, _("account %s: the amount must be positive; to correct a "
					"voucher, void it"),
				   spec);
	if (debit)
		l->debit = m;
	else
		l->credit = m;
	return 0;
}

static void
print_posted(const cj_org *v, const cj_voucher *x, const cj_posted *p)
{
	char date[16];

	cj_date_format(date, sizeof date, x->date);
	if (p->existed)
		printf(_("%04d-%02d-%d already posted (same external id and content): 记字第%d号 %s %s\n"),
		       p->period.year, p->period.month, p->number, p->number, v->code, date);
	else
		printf(_("%04d-%02d-%d posted: 记字第%d号 %s %s %s\n"), p->period.year, p->period.month,
		       p->number, p->number, v->code, date, x->summary);
}

/* Where review is required the voucher is a draft (制单), not yet posted. */
static void
print_draft(const cj_org *v, const cj_voucher *x, int64_t draft_id)
{
	char date[16];

	cj_date_format(date, sizeof date, x->date);
	printf(_("草稿%lld saved: %s %s %s; review required: another login reviews it (cunji "
	       "voucher review --village %s --draft %lld), then it is posted (cunji voucher post)\n"),
	       (long long)draft_id, v->code, date, x->summary, v->code, (long long)draft_id);
}

/* ------------------------------------------------------------------------ */
/* Voucher files */

/*
 * A voucher file is read by the importer (importers/import.c), so that post
 * --file and import vouchers take the same files and group their rows the
 * same way: rows with the same 凭证号 in a village and month are one voucher.
 * --village gives the village of rows without a 村代码.
 */
static int
post_file(cli *c, const cli_opts *o, const char *path)
{
	cj_import_opts opts;
	cj_org village;
	import_src src;
	int status;

	memset(&opts, 0, sizeof opts);
	if (opt_get(o, "village")) {
		if ((status = arg_village(c, o, &village)))
			return status;
		opts.village = village.code;
	}
	opts.preparer = opt_get(o, "preparer") ? opt_get(o, "preparer") : getenv("USER");
	if ((status = import_src_open(&src, o, path)))
		return status;
	opts.sheet = src.sheet;
	status = import_run(c, src.path, src.name, 0, &opts);
	import_src_close(&src);
	return status;
}

/* ------------------------------------------------------------------------ */

int
cmd_post(cli *c, const cli_opts *o)
{
	const char **debits, **credits;
	int nd, nc, status = 0;
	cj_line *lines = NULL;
	char **copies = NULL;
	char (*codes)[16] = NULL;
	cj_voucher v;
	cj_submitted sub;
	cj_poster *poster = NULL;
	cj_org village;
	const char *date = opt_get(o, "date"), *att = opt_get(o, "attachments");

	if (opt_has(o, "file")) {
		if (opt_has(o, "debit") || opt_has(o, "credit") || opt_has(o, "summary") ||
		    opt_has(o, "date") || opt_has(o, "id") || opt_has(o, "fund") ||
		    opt_has(o, "project") || opt_has(o, "attachments") ||
		    opt_has(o, "allow-negative-cash") || opt_has(o, "reason"))
			return usage_error(o->cmd, _("--file takes the vouchers from the file (its columns "
						   "资金 and 项目 tag lines); drop --debit, --credit, "
						   "--date, --summary, --id, --fund, --project, "
						   "--attachments, --allow-negative-cash and --reason"));
		if (opt_has(o, "opening"))
			return usage_error(o->cmd, _("opening balances from a file: cunji import opening "
						   "FILE"));
		return post_file(c, o, opt_get(o, "file"));
	}
	debits = opt_all(o, "debit", &nd);
	credits = opt_all(o, "credit", &nc);
	if (!date || !opt_has(o, "summary"))
		return usage_error(o->cmd, _("--date and --summary are required"));
	if (opt_has(o, "allow-negative-cash") != opt_has(o, "reason"))
		return usage_error(o->cmd, _("--allow-negative-cash and --reason TEXT go together: the "
					   "reason is recorded on the voucher"));
	if (nd < 1 || nc < 1)
		return usage_error(o->cmd, _("a voucher needs at least one --debit and one --credit"));
	memset(&v, 0, sizeof v);
	if (cj_date_parse(&v.date, date))
		return usage_error(o->cmd, _("--date '%s' is not a date (YYYY-MM-DD)"), date);
	if (att) {
		char *end;
		long n = strtol(att, &end, 10);
		if (*end || n < 0 || n > 100000)
			return usage_error(o->cmd, _("--attachments must be a count, not '%s'"), att);
		v.attachments = (int)n;
	}
	if ((status = arg_village(c, o, &village)))
		return status;
	lines = calloc((size_t)(nd + nc), sizeof *lines);
	copies = calloc((size_t)(nd + nc), sizeof *copies);
	if (!lines || !copies) {
		status = fail_msg(_("out of memory"));
		goto done;
	}
	for (int i = 0; i < nd + nc && !status; i++) {
		copies[i] = strdup(i < nd ? debits[i] : credits[i - nd]);
		if (!copies[i])
			status = fail_msg(_("out of memory"));
		else
			status = parse_line_spec(o->cmd, copies[i], i < nd, &lines[i]);
	}
	if (status)
		goto done;
	/* accounts by name as well as code: 管理费用, 银行存款-农商行 */
	codes = calloc((size_t)(nd + nc), sizeof *codes);
	for (int i = 0; i < nd + nc && !status; i++) {
		if (!codes)
			status = fail_msg(_("out of memory"));
		else if (cj_account_resolve(c->db, village.id, lines[i].account, codes[i],
					    sizeof codes[i]))
			status = fail_db(c, NULL);
		else
			lines[i].account = codes[i];
	}
	if (status)
		goto done;
	/* a fund or project tags every line: the money's source and its use */
	if (opt_get(o, "fund") || opt_get(o, "project")) {
		cj_fund_info fund = {0};
		cj_project_info project = {0};

		if ((opt_get(o, "fund") && cj_fund_find(c->db, village.id, opt_get(o, "fund"), &fund)) ||
		    (opt_get(o, "project") &&
		     cj_project_find(c->db, village.id, opt_get(o, "project"), &project))) {
			status = fail_db(c, NULL);
			goto done;
		}
		for (int i = 0; i < nd + nc; i++) {
			lines[i].fund_id = fund.id;
			lines[i].project_id = project.id;
		}
	}
	v.village_id = village.id;
	v.summary = opt_get(o, "summary");
	v.preparer = opt_get(o, "preparer") ? opt_get(o, "preparer") : getenv("USER");
	v.external_id = opt_get(o, "id");
	v.kind = opt_has(o, "opening") ? CJ_VOUCHER_OPENING : CJ_VOUCHER_NORMAL;
	v.negative_cash_reason = opt_get(o, "reason");
	v.lines = lines;
	v.nlines = (size_t)(nd + nc);
	if (cj_poster_new(&poster, c->db)) {
		status = fail_msg(_("out of memory"));
		goto done;
	}
	if (cj_voucher_submit(poster, &v, 1, &sub)) {
		status = fail_db(c, NULL);
		goto done;
	}
	if (sub.draft_id)
		print_draft(&village, &v, sub.draft_id);
	else
		print_posted(&village, &v, &sub.posted);
done:
	cj_poster_free(poster);
	for (int i = 0; copies && i < nd + nc; i++)
		free(copies[i]);
	free(copies);
	free(codes);
	free(lines);
	return status;
}

int
cmd_void(cli *c, const cli_opts *o)
{
	const char *number = opt_get(o, "number"), *ext = opt_get(o, "id");
	const char *date = opt_get(o, "date");
	cj_voucher_info orig;
	cj_submitted sub;
	cj_poster *poster = NULL;
	cj_org village;
	cj_date d;
	int status;

	if (!number == !ext)
		return usage_error(o->cmd, _("give either --number YYYY-MM-N or --id EXT"));
	if (date && cj_date_parse(&d, date))
		return usage_error(o->cmd, _("--date '%s' is not a date (YYYY-MM-DD)"), date);
	if (opt_has(o, "allow-negative-cash") != opt_has(o, "reason"))
		return usage_error(o->cmd, _("--allow-negative-cash and --reason TEXT go together: the "
					   "reason is recorded on the voucher"));
	if ((status = arg_village(c, o, &village)))
		return status;
	if (number) {
		cj_period per;
		int n;
		if ((status = arg_voucher_number(o, "number", &per, &n)))
			return status;
		if (cj_voucher_find_number(c->db, village.id, per, n, &orig))
			return fail_db(c, NULL);
	} else if (cj_voucher_find_external(c->db, village.id, ext, &orig)) {
		return fail_db(c, NULL);
	}
	if (!date)
		d = orig.date;
	if (cj_poster_new(&poster, c->db))
		return fail_msg(_("out of memory"));
	if (cj_voucher_void_submit(poster, &orig, d,
				   opt_get(o, "preparer") ? opt_get(o, "preparer") : getenv("USER"),
				   opt_get(o, "reason"), &sub)) {
		status = fail_msg(_("voiding %04d-%02d-%d: %s"), orig.period.year, orig.period.month,
				  orig.number, cj_db_errmsg(c->db));
	} else if (sub.draft_id) {
		printf(_("the red reversal of %04d-%02d-%d is 草稿%lld: review required: another login "
		       "reviews it (cunji voucher review --village %s --draft %lld), then it is posted\n"),
		       orig.period.year, orig.period.month, orig.number, (long long)sub.draft_id,
		       village.code, (long long)sub.draft_id);
	} else {
		printf(_("%04d-%02d-%d voided by red reversal %04d-%02d-%d (记字第%d号)\n"),
		       orig.period.year, orig.period.month, orig.number, sub.posted.period.year,
		       sub.posted.period.month, sub.posted.number, sub.posted.number);
	}
	cj_poster_free(poster);
	return status;
}
