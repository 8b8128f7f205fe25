/*
 * cmd_publish.c - cunji publish: keep a village's disclosure sheets as
 * published (what boards and `cunji serve --public` show); publish list
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>

#include <reports/publication.h>

#include "cli.h"

int
cmd_publish(cli *c, const cli_opts *o)
{
	const char *village = opt_get(o, "village"), *date = opt_get(o, "date");
	cj_span period;
	cj_date posted = {0};
	cj_pub_sheet s;
	char day[16];
	int rc;

	if (!village)
		return usage_error(o->cmd, _("--village is required"));
	if ((rc = arg_span(o, "period", &period, 1)))
		return rc;
	if (date && cj_date_parse(&posted, date))
		return usage_error(o->cmd, _("--date '%s' is not a date (YYYY-MM-DD)"), date);
	if (cj_pub_publish(c->db, village, period, posted, &s))
		return fail_db(c, NULL);
	cj_date_format(day, sizeof day, s.posted_on);
	printf(_("published sheet %lld: %s %s %s, 公开日期 %s, %ld voucher(s)\n"), (long long)s.id,
	       s.village, s.village_name, s.period_label, day, s.vouchers);
	return 0;
}

int
cmd_publish_list(cli *c, const cli_opts *o)
{
	const char *village = opt_get(o, "village");
	cj_pub_sheet *s = NULL;
	size_t n = 0;
	char day[16];

	if (cj_pub_list(c->db, 1, village, &s, &n))
		return fail_db(c, NULL);
	for (size_t i = 0; i < n; i++) {
		cj_date_format(day, sizeof day, s[i].posted_on);
		printf("%lld\t%s\t%s\t%s\t%s\t%s\t%s\t%ld%s\n", (long long)s[i].id, s[i].village,
		       s[i].village_name, s[i].period, day, s[i].published_at, s[i].published_by,
		       s[i].vouchers, s[i].superseded ? _("\t(superseded)") : "");
	}
	free(s);
	return 0;
}
