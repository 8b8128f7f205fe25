/*
 * cmd_anchor.c - cunji audit key, audit anchor export and audit anchor
 * verify: the office's key, the signed anchor file, and anchors (from files,
 * sheets and vouchers) checked against the chains
 *
 * The work is ledger/lib/anchor.c and reports/disclosure_stamp.c; this file
 * parses options and prints.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <reports/disclosure.h>

#include "cli.h"

static int
key_path(const cli_opts *o, char *buf, size_t size)
{
	char err[512];

	if (opt_get(o, "key")) {
		snprintf(buf, size, "%s", opt_get(o, "key"));
		return 0;
	}
	return cj_anchor_key_path(buf, size, err, sizeof err) ? fail_msg("%s", err) : 0;
}

int
cmd_audit_key_new(cli *c, const cli_opts *o)
{
	char path[4200], pub[65], err[600];
	int rc;

	(void)c;
	if ((rc = key_path(o, path, sizeof path)))
		return rc;
	if (cj_anchor_key_new(path, opt_has(o, "replace"), pub, err, sizeof err))
		return fail_msg("%s", err);
	printf(_("office key written to %s (mode 0600)\npublic key: %s\n"), path, pub);
	return 0;
}

int
cmd_audit_key_show(cli *c, const cli_opts *o)
{
	char path[4200], pub[65], err[600];
	int rc;

	(void)c;
	if ((rc = key_path(o, path, sizeof path)))
		return rc;
	if (cj_anchor_key_public(path, pub, err, sizeof err))
		return fail_msg("%s", err);
	printf("%s\n", pub);
	return 0;
}

int
cmd_audit_anchor_export(cli *c, const cli_opts *o)
{
	const char *code = opt_get(o, "county"), *out = opt_get(o, "out");
	char path[4200], *text = NULL;
	FILE *f;
	int rc;

	if (!code)
		return usage_error(o->cmd, _("--county is required"));
	if ((rc = key_path(o, path, sizeof path)))
		return rc;
	if (cj_anchor_export(c->db, code, path, &text))
		return fail_db(c, NULL);
	if (!out) {
		fputs(text, stdout);
	} else if (!(f = fopen(out, "w")) || fputs(text, f) < 0 || fclose(f) != 0) {
		free(text);
		return fail_msg(_("cannot write %s"), out);
	} else {
		fprintf(stderr, _("anchor file of %s written to %s\n"), code, out);
	}
	free(text);
	return 0;
}

static void
print_finding(const char *line, void *payload)
{
	(void)payload;
	printf("%s\n", line);
}

/* One anchor read off a sheet, a voucher or a QR code (named by label). */
static int
check_one(cli *c, const char *label, const cj_anchor *a, FILE *info, long *findings)
{
	long found = 0;

	fprintf(info, _("%s: checking %s\n"), label, a->text);
	if (cj_anchor_check(c->db, a, print_finding, NULL, &found))
		return fail_db(c, NULL);
	if (!found && a->org[0])
		fprintf(info, _("%s: OK, the heads of the %lld villages of %s still hash to %.16s…\n"),
			label, (long long)a->seq, a->org, a->head);
	else if (!found)
		fprintf(info, _("%s: OK, link %lld of village %s's chain is still %.16s…\n"), label,
			(long long)a->seq, a->village, a->head);
	*findings += found;
	return 0;
}

int
anchor_verify(cli *c, const char *const *anchors, int nanchors, const char *const *sheets, int nsheets,
	      const char *key, FILE *info, long *findings)
{
	char path[4200], pub[65], err[600];
	const char *trusted = NULL;

	*findings = 0;
	/* when this office's key is here, anchor files must be signed by it */
	if (key)
		snprintf(path, sizeof path, "%s", key);
	if ((key || !cj_anchor_key_path(path, sizeof path, err, sizeof err)) &&
	    !cj_anchor_key_public(path, pub, err, sizeof err))
		trusted = pub;
	for (int i = 0; i < nanchors; i++) {
		long found = 0, held = 0;

		if (cj_anchor_check_file(c->db, anchors[i], trusted, print_finding, NULL, &found, &held))
			return fail_db(c, NULL);
		if (!found)
			fprintf(info, _("%s: OK, signature good, %ld anchored head(s) hold\n"), anchors[i], held);
		*findings += found;
	}
	for (int i = 0; i < nsheets; i++) {
		cj_anchor a;
		int rc;

		if (cj_sheet_anchor_read(sheets[i], &a, err, sizeof err)) {
			printf("%s\n", err);
			(*findings)++;
			continue;
		}
		if ((rc = check_one(c, sheets[i], &a, info, findings)))
			return rc;
	}
	return 0;
}

int
cmd_audit_anchor_verify(cli *c, const cli_opts *o)
{
	int na = 0, ns = 0, nq = 0, rc;
	const char **anchors = opt_all(o, "anchors", &na), **sheets = opt_all(o, "sheet", &ns);
	const char **qrs = opt_all(o, "qr", &nq);
	long findings = 0;

	if (!na && !ns && !nq)
		return usage_error(o->cmd, _("give --anchors FILE, --sheet FILE or --qr TEXT"));
	if ((rc = anchor_verify(c, anchors, na, sheets, ns, opt_get(o, "key"), stdout, &findings)))
		return rc;
	for (int i = 0; i < nq; i++) {
		cj_anchor a;

		if (cj_anchor_parse(qrs[i], &a)) {
			printf(_("--qr '%s': not an anchor (cunji-anchor-v1 village=… seq=… head=…, or org=… "
				 "heads=…)\n"), qrs[i]);
			findings++;
		} else if ((rc = check_one(c, "QR", &a, stdout, &findings))) {
			return rc;
		}
	}
	if (findings)
		printf(_("%ld finding(s)\n"), findings);
	return findings ? EXIT_REFUSED : 0;
}
