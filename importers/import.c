/*
 * import.c - voucher and opening-balance files into the books, in bulk
 *
 * The file is streamed once through a cj_sheet; C keeps only the rows of
 * the voucher being read and reference data that does not grow with the
 * file (the villages, funds and projects of the database).  For each row C
 * checks what needs no database (dates, amounts, codes, that the village,
 * fund and project exist) and resolves the codes to ids.  Consecutive rows
 * with the same village and 凭证号 are a fragment of a voucher; at its end C
 * numbers its lines, adds them up and computes its content hash
 * (cj_vhash, as cj_voucher_hash does, so a voucher imported here and the
 * same voucher posted by cj_post_batch compare equal).  Lines (and the problems found, as
 * records of their own) go to the server with COPY into a temporary table
 * while the file is read; the fragments' summaries go to a temporary file
 * and follow with a second COPY.  Then, in the same transaction, set-based
 * SQL does the rest:
 *
 *   merge      fragments of one voucher whose rows are not together in the
 *              file are merged, lines renumbered, the hash recomputed in SQL
 *              (rare: most files keep a voucher's rows together);
 *   checks     accounts (existing, leaf, active), balance, dates, periods
 *              open and at or after the books' start, external ids already
 *              posted; every problem of the file, in row order, through a
 *              cursor to cb.problem; then nothing is posted;
 *   posting    numbers and ids reserved (cj_numbers_reserve, as every path
 *              does), then one INSERT ... SELECT into voucher and one into
 *              voucher_line, whose statement
 *              triggers check every rule again (the database has the last
 *              word), and the file's row in import_log.
 *
 * Nothing is committed unless all of it succeeded; a killed import leaves
 * the books as they were.  A second import of the same file waits for the
 * first (an advisory lock on the file's hash) and then finds it in
 * import_log.
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include <importers/amount.h>
#include <importers/columns.h>
#include <importers/field.h>
#include <importers/import.h>
#include <importers/sheet.h>
#include <ledger/date.h>
#include <ledger/grow.h>
#include <ledger/money.h>
#include <ledger/numbering.h>
#include <ledger/sql.h>
#include <ledger/text.h>
#include <ledger/voucher.h>
#include <ledger/i18n.h>

#include "internal.h"

/* ------------------------------------------------------------------------ */
/* Columns */

enum {
	C_VILLAGE, C_DATE, C_VOUCHER, C_SUMMARY, C_ACCOUNT, C_DEBIT, C_CREDIT, C_BALANCE, C_SIDE,
	C_COUNTERPARTY, C_FUND, C_PROJECT, C_EXTERNAL, C_PREPARER, C_NCOLS
};

#define MAX_LINES 32000 /* a voucher's lines, as cj_voucher_check allows */
#define REQ CJ_COLUMN_REQUIRED
#define AMOUNT CJ_COLUMN_AMOUNT

/* Header names, Chinese first (the name messages use when a column is
 * missing); 村代码 is not required when the caller names the village. */
static const cj_column_spec voucher_columns[C_NCOLS] = {
	[C_VILLAGE] = {{"村代码", "village", "村编码", "village_code", "单位代码", NULL}, REQ},
	[C_DATE] = {{"日期", "date", "凭证日期", "记账日期", NULL}, REQ},
	[C_VOUCHER] = {{"凭证号", "voucher", "凭证编号", "voucher_no", NULL}, REQ},
	[C_SUMMARY] = {{"摘要", "summary", NULL}, REQ},
	[C_ACCOUNT] = {{"科目代码", "account", "科目编码", "会计科目代码", "account_code", NULL}, REQ},
	[C_DEBIT] = {{"借方金额", "debit", "借方", NULL}, REQ | AMOUNT},
	[C_CREDIT] = {{"贷方金额", "credit", "贷方", NULL}, REQ | AMOUNT},
	[C_COUNTERPARTY] = {{"往来单位", "counterparty", "往来单位名称", "对方单位", NULL}, 0},
	[C_FUND] = {{"资金", "fund", "资金代码", "专项资金", NULL}, 0},
	[C_PROJECT] = {{"项目", "project", "项目代码", NULL}, 0},
	[C_EXTERNAL] = {{"外部编号", "external_id", NULL}, 0},
	/* the clerk's name, kept beside the voucher (source_preparer, 0026) */
	[C_PREPARER] = {{"制单人", "preparer", "制单", NULL}, 0},
};

/* Balances: on their sides (借方余额, 贷方余额) or one 期初余额 with 方向;
 * read_header checks which. */
static const cj_column_spec opening_columns[C_NCOLS] = {
	[C_VILLAGE] = {{"村代码", "village", "村编码", "village_code", "单位代码", NULL}, REQ},
	[C_DATE] = {{"日期", "date", "期初日期", NULL}, 0},
	[C_SUMMARY] = {{"摘要", "summary", NULL}, 0},
	[C_ACCOUNT] = {{"科目代码", "account", "科目编码", "会计科目代码", "account_code", NULL}, REQ},
	[C_DEBIT] = {{"借方余额", "debit", "期初借方余额", "期初借方", "借方", "年初借方余额", NULL},
		     AMOUNT},
	[C_CREDIT] = {{"贷方余额", "credit", "期初贷方余额", "期初贷方", "贷方", "年初贷方余额", NULL},
		      AMOUNT},
	[C_BALANCE] = {{"期初余额", "balance", "余额", "年初余额", NULL}, AMOUNT},
	[C_SIDE] = {{"方向", "side", "余额方向", "借贷方向", NULL}, 0},
	[C_COUNTERPARTY] = {{"往来单位", "counterparty", "往来单位名称", "对方单位", NULL}, 0},
	[C_FUND] = {{"资金", "fund", "资金代码", "专项资金", NULL}, 0},
	[C_PROJECT] = {{"项目", "project", "项目代码", NULL}, 0},
};
#undef REQ
#undef AMOUNT

/* ------------------------------------------------------------------------ */
/* SQL */

/* Reference data read before the file (it does not grow with the file). */
static const char villages_sql[] =
	"SELECT o.code, o.id, o.level, coalesce(to_char(b.start_period, 'YYYY-MM'), ''),\n"
	"       coalesce(b.chart, '')\n"
	"  FROM org o LEFT JOIN village_books b ON b.village_id = o.id";
static const char funds_sql[] = "SELECT village_id, code, id FROM fund";
static const char projects_sql[] = "SELECT village_id, code, id FROM project";
static const char sides_sql[] =
	"SELECT chart, code, normal_side FROM chart_template WHERE length(code) = 3";

/* The lines of the file, and each problem C found as a record of its own
 * (emsg set): one COPY stream, in file order. */
static const char line_table_sql[] =
	"CREATE TEMP TABLE cj_import_line (\n"
	"    rn bigint NOT NULL, vseq integer, line_no integer, village_id integer, account text,\n"
	"    debit bigint, credit bigint, summary text, counterparty text, fund_id bigint,\n"
	"    project_id bigint, ecol smallint, emsg text\n"
	") ON COMMIT DROP";
static const char line_copy_sql[] = "COPY cj_import_line FROM STDIN";

/* One record per fragment (a run of rows with the same village and 凭证号). */
static const char voucher_table_sql[] =
	"CREATE TEMP TABLE cj_import_voucher (\n"
	"    vseq integer NOT NULL, village text NOT NULL, village_id integer, vno text NOT NULL,\n"
	"    first_rn bigint NOT NULL, last_rn bigint NOT NULL, n integer NOT NULL, d bigint,\n"
	"    c bigint, vdate date, vdate2 date, period date, ext1 text, ext2 text, summary text,\n"
	"    hash text,\n"
	"    ok boolean NOT NULL, ext text, seq integer, src_preparer text,\n"
	"    existing_id bigint, existing_hash text, existing_no text\n"
	") ON COMMIT DROP";
static const char voucher_copy_sql[] =
	"COPY cj_import_voucher (vseq, village, village_id, vno, first_rn, last_rn, n, d, c, vdate,\n"
	"                        vdate2, period, ext1, ext2, summary, hash, ok, ext, seq,\n"
	"                        src_preparer) FROM STDIN";

/* A voucher whose rows are not together in the file: its fragments. */
static const char frag_sql[] =
	"CREATE TEMP TABLE cj_import_frag ON COMMIT DROP AS\n"
	"SELECT village_id, vno, period AS month, min(vseq) AS vseq\n"
	"  FROM cj_import_voucher\n"
	" WHERE village_id IS NOT NULL AND vdate IS NOT NULL GROUP BY 1, 2, 3 HAVING count(*) > 1";

/* Merge fragments: lines renumbered in file order under the first fragment,
 * one record for the voucher, its hash computed as cj_voucher_hash does
 * (every field length-prefixed by hash_field; $1 kind). */
static const char merge_lines_sql[] =
	"UPDATE cj_import_line l SET vseq = x.nvseq, line_no = x.nline\n"
	"  FROM (SELECT l2.rn, f.vseq AS nvseq,\n"
	"               row_number() OVER (PARTITION BY f.vseq ORDER BY l2.rn) AS nline\n"
	"          FROM cj_import_line l2 JOIN cj_import_voucher v ON v.vseq = l2.vseq\n"
	"          JOIN cj_import_frag f ON f.village_id = v.village_id AND f.vno = v.vno\n"
	"                                AND f.month = v.period\n"
	"         WHERE l2.emsg IS NULL) x\n"
	" WHERE l.rn = x.rn AND l.emsg IS NULL";
static const char merge_vouchers_sql[] =
	"WITH m AS (\n"
	"    DELETE FROM cj_import_voucher v USING cj_import_frag f\n"
	"     WHERE v.village_id = f.village_id AND v.vno = f.vno\n"
	"       AND v.period = f.month RETURNING v.*, f.vseq AS nvseq)\n"
	"INSERT INTO cj_import_voucher (vseq, village, village_id, vno, first_rn, last_rn, n, d, c,\n"
	"                               vdate, vdate2, period, ext1, ext2, summary, ok, ext,\n"
	"                               src_preparer)\n"
	"SELECT nvseq, min(village), min(village_id), min(vno), min(first_rn), max(last_rn), sum(n),\n"
	"       sum(d), sum(c), min(vdate), max(vdate2), min(period), min(ext1), max(ext2),\n"
	"       (array_agg(summary ORDER BY first_rn) FILTER (WHERE summary IS NOT NULL))[1],\n"
	"       bool_and(ok), (array_agg(ext ORDER BY first_rn))[1],\n"
	"       (array_agg(src_preparer ORDER BY first_rn) FILTER (WHERE src_preparer IS NOT NULL))[1]\n"
	"  FROM m GROUP BY nvseq";
static const char merge_hash_sql[] =
	"UPDATE cj_import_voucher v SET hash = h.hash\n"
	"  FROM (SELECT v2.vseq, encode(sha256(convert_to(\n"
	"           '16:cunji-voucher-v1' || hash_field(v2.village_id::text)\n"
	"           || hash_field(to_char(v2.vdate, 'YYYY-MM-DD')) || hash_field($1)\n"
	"           || hash_field(coalesce(v2.summary, $2)) || '1:0' || '1:0' || hash_field(v2.n::text)\n"
	"           || string_agg(hash_field(l.account) || hash_field(l.debit::text)\n"
	"                         || hash_field(l.credit::text)\n"
	"                         || hash_field(coalesce(l.summary, v2.summary, $2))\n"
	"                         || hash_field(l.counterparty)\n"
	"                         || hash_field(coalesce(l.fund_id, 0)::text)\n"
	"                         || hash_field(coalesce(l.project_id, 0)::text), '' ORDER BY l.line_no),\n"
	"           'UTF8')), 'hex') AS hash\n"
	"          FROM cj_import_voucher v2 JOIN cj_import_frag f ON f.vseq = v2.vseq\n"
	"          JOIN cj_import_line l ON l.vseq = v2.vseq AND l.emsg IS NULL\n"
	"         WHERE v2.ok GROUP BY v2.vseq, v2.village_id, v2.vdate, v2.summary, v2.n) h\n"
	" WHERE v.vseq = h.vseq";

/* Accounts the file names (the pairs C collected: $2 villages, $3 codes)
 * that are missing, parents or inactive.  $1 kind. */
static const char accounts_sql[] =
	"CREATE TEMP TABLE cj_import_badacct ON COMMIT DROP AS\n"
	"SELECT k.village_id, k.account,\n"
	"       CASE WHEN a.code IS NULL\n"
	"              THEN format('account %s does not exist in village %s', k.account,\n"
	"                          village_code(k.village_id))\n"
	"            WHEN NOT a.is_leaf THEN format('account %s %s has sub-accounts; %s', a.code,\n"
	"              a.name, CASE WHEN $1 = 'opening' THEN 'give the balances of its sub-accounts '\n"
	"              'only (a 科目余额表 repeats them in its parent rows)' ELSE 'post to one of them' END)\n"
	"            ELSE format('account %s %s is inactive', a.code, a.name) END AS msg\n"
	"  FROM unnest($2::int[], $3::text[]) k(village_id, account)\n"
	"  LEFT JOIN account a ON a.village_id = k.village_id AND a.code = k.account\n"
	" WHERE a.code IS NULL OR NOT a.is_leaf OR NOT a.active";

/* Is any month the file posts into closed?  $1 villages, $2 months (YYYY-MM). */
static const char closed_sql[] =
	"SELECT 1 FROM unnest($1::int[], $2::text[]) k(village_id, month)\n"
	" WHERE EXISTS (SELECT 1 FROM period_state p WHERE p.village_id = k.village_id\n"
	"                  AND p.period = to_date(k.month, 'YYYY-MM') AND p.closed)\n"
	"    OR EXISTS (SELECT 1 FROM fiscal_year f WHERE f.village_id = k.village_id\n"
	"                  AND f.year = left(k.month, 4)::integer)\n"
	" LIMIT 1";

/* The checks of whole vouchers, once split ones are merged. */
static const char voucher_problem_sql[] =
	"SELECT 1 FROM cj_import_voucher v LEFT JOIN village_books b ON b.village_id = v.village_id\n"
	" WHERE v.ok AND (v.n < 2 OR v.d <> v.c OR v.vdate <> v.vdate2 OR v.ext1 <> v.ext2\n"
	"                 OR v.summary IS NULL OR v.vdate < b.start_period)\n"
	" LIMIT 1";

static const char mismatch_sql[] =
	"SELECT 1 FROM cj_import_voucher WHERE existing_hash <> hash LIMIT 1";

static const char dup_ext_sql[] =
	"SELECT 1 FROM cj_import_voucher WHERE ok GROUP BY village_id, ext HAVING count(*) > 1 LIMIT 1";

static const char opening_exists_sql[] =
	"SELECT 1 FROM cj_import_voucher v\n"
	" WHERE EXISTS (SELECT 1 FROM voucher x WHERE x.village_id = v.village_id\n"
	"                  AND x.kind = 'opening' AND x.external_id IS DISTINCT FROM v.ext)\n"
	" LIMIT 1";

/* Vouchers whose external id is already posted in their village. */
static const char existing_sql[] =
	"UPDATE cj_import_voucher v\n"
	"   SET existing_id = x.id, existing_hash = x.content_hash,\n"
	"       existing_no = to_char(x.period, 'YYYY-MM') || '-' || x.number\n"
	"  FROM voucher x\n"
	" WHERE x.village_id = v.village_id AND x.external_id = v.ext AND x.external_id IS NOT NULL";
static const char any_external_sql[] =
	"SELECT 1 FROM voucher x\n"
	" WHERE x.village_id IN (SELECT DISTINCT village_id FROM cj_import_voucher)\n"
	"   AND x.external_id IS NOT NULL LIMIT 1";

/*
 * Every problem, as (row, column, message), in row order.  $1 kind.  The
 * same problem on many rows (a village code that does not exist, the same
 * bad amount) is one message on its first row naming the others; column
 * numbers are the C_ enum.
 */
static const char errors_sql[] =
	"DECLARE cj_import_errors NO SCROLL CURSOR FOR\n"
	"WITH vname AS (\n"
	"    SELECT v.*, b.start_period,\n"
	"           CASE WHEN $1 = 'opening' THEN format('village %s', v.village)\n"
	"                ELSE format('凭证号 %s of village %s', v.vno, v.village) END AS what\n"
	"      FROM cj_import_voucher v LEFT JOIN village_books b ON b.village_id = v.village_id),\n"
	"vbad AS (\n"
	"    SELECT * FROM vname v\n"
	"     WHERE v.ok AND (v.n < 2 OR v.d <> v.c OR v.vdate <> v.vdate2 OR v.ext1 <> v.ext2\n"
	"                     OR v.summary IS NULL OR v.vdate < v.start_period\n"
	"                     OR v.existing_hash <> v.hash)),\n"
	"rowlist AS (\n"
	"    SELECT vseq, CASE WHEN count(*) = 1 THEN 'row ' ELSE 'rows ' END\n"
	"           || array_to_string((array_agg(rn ORDER BY rn))[1:12], ', ')\n"
	"           || CASE WHEN count(*) > 12 THEN format(', … (%s rows)', count(*)) ELSE '' END AS rows\n"
	"      FROM cj_import_line WHERE emsg IS NULL AND vseq IN (SELECT vseq FROM vbad)\n"
	"     GROUP BY vseq),\n"
	"problem AS (\n"
	"    SELECT rn, ecol AS col, emsg AS msg FROM cj_import_line WHERE emsg IS NOT NULL\n"
	"    UNION ALL\n"
	"    SELECT l.rn, 4, b.msg FROM cj_import_line l\n"
	"      JOIN cj_import_badacct b ON b.village_id = l.village_id AND b.account = l.account\n"
	"     WHERE l.emsg IS NULL),\n"
	"grouped AS (\n"
	"    SELECT min(rn) AS rn, col, msg, count(*) AS n,\n"
	"           array_to_string((array_agg(rn ORDER BY rn))[2:9], ', ') AS more\n"
	"      FROM problem GROUP BY col, msg)\n"
	"SELECT rn, col, msg || CASE WHEN n = 1 THEN ''\n"
	"                           ELSE format(' (also on row%s %s%s)', CASE WHEN n > 2 THEN 's' ELSE '' END,\n"
	"                                       more, CASE WHEN n > 9 THEN format(', … %s rows in all', n)\n"
	"                                                  ELSE '' END) END\n"
	"  FROM grouped\n"
	"UNION ALL\n"
	"SELECT v.first_rn, -1, format('%s (%s): ', v.what, r.rows) || CASE\n"
	"         WHEN v.vdate <> v.vdate2 THEN format('its rows have different dates (%s and %s); '\n"
	"              'a voucher has one date', v.vdate, v.vdate2)\n"
	"         WHEN v.ext1 <> v.ext2 THEN format('its rows have different external ids (%s and %s)',\n"
	"              v.ext1, v.ext2)\n"
	"         WHEN v.vdate < v.start_period THEN format('dated %s, before the books of village %s '\n"
	"              'start (%s)', v.vdate, v.village, to_char(v.start_period, 'YYYY-MM'))\n"
	"         WHEN v.summary IS NULL THEN 'none of its rows has a 摘要 (summary)'\n"
	"         WHEN v.n < 2 THEN 'a voucher needs at least two lines'\n"
	"         WHEN v.d <> v.c THEN format('unbalanced: debits %s, credits %s (difference %s)',\n"
	"              fen_text(v.d), fen_text(v.c), fen_text(v.d - v.c))\n"
	"         WHEN $1 = 'opening' THEN format('the village already has opening balances (voucher %s) '\n"
	"              'and they differ; they are posted once (a correction is a voucher of its own)',\n"
	"              v.existing_no)\n"
	"         ELSE format('external id %s was already posted as voucher %s with different content; '\n"
	"              'refused (a correction is a red reversal: cunji void)', v.ext, v.existing_no) END\n"
	"       || coalesce(adj.hint, '')\n"
	"  FROM vbad v JOIN rowlist r USING (vseq)\n"
	/* the same 凭证号 right before or after it in another month: one
	 * voucher with a date typed wrong is two vouchers of a row each */
	"  LEFT JOIN LATERAL (SELECT format('; the same 凭证号 is on row %s, dated %s: a date typed wrong?',\n"
	"                                  w.first_rn, w.vdate) AS hint\n"
	"                      FROM cj_import_voucher w\n"
	"                     WHERE w.village_id = v.village_id AND w.vno = v.vno\n"
	"                       AND w.period <> v.period\n"
	"                       AND (w.first_rn = v.last_rn + 1 OR w.last_rn + 1 = v.first_rn)\n"
	"                     LIMIT 1) adj ON true\n"
	"UNION ALL\n"
	"SELECT v.first_rn, -1, format('%s: period %s of village %s is closed', v.what,\n"
	"                              to_char(v.period, 'YYYY-MM'), v.village)\n"
	"  FROM vname v\n"
	" WHERE v.ok AND v.existing_id IS NULL AND v.vdate = v.vdate2 AND v.vdate >= v.start_period\n"
	"   AND (v.village_id, v.period) IN (\n"
	"        SELECT p.village_id, p.period FROM period_state p WHERE p.closed\n"
	"        UNION ALL\n"
	"        SELECT f.village_id, make_date(f.year, m, 1) FROM fiscal_year f,\n"
	"               generate_series(1, 12) m)\n"
	"UNION ALL\n"
	"SELECT min(v.first_rn), -1, format('external id %s of village %s is on more than one voucher '\n"
	"       '(凭证号 %s)', v.ext, v.village, string_agg(v.vno, ', ' ORDER BY v.first_rn))\n"
	"  FROM vname v WHERE v.ok GROUP BY v.village, v.ext HAVING count(*) > 1\n"
	"UNION ALL\n"
	"SELECT v.first_rn, -1, format('village %s already has opening balances (voucher %s); they '\n"
	"       'are posted once', v.village, to_char(x.period, 'YYYY-MM') || '-' || x.number)\n"
	"  FROM vname v\n"
	"  JOIN LATERAL (SELECT x.period, x.number FROM voucher x\n"
	"                 WHERE x.village_id = v.village_id AND x.kind = 'opening'\n"
	"                   AND x.external_id IS DISTINCT FROM v.ext LIMIT 1) x ON true\n"
	" WHERE $1 = 'opening' AND v.ok\n"
	" ORDER BY 1, 2, 3";

static const char fetch_sql[] = "FETCH 500 FROM cj_import_errors";

static const char counter_table_sql[] =
	"CREATE TEMP TABLE cj_import_counter (village_id integer, period date, base integer,\n"
	"                                     n integer, lines bigint, debit bigint) ON COMMIT DROP";

/* The months the staging path numbers: the vouchers not posted before. */
static const char groups_sql[] =
	"SELECT village_id, to_char(period, 'YYYY-MM'), count(*), sum(n), sum(d)\n"
	"  FROM cj_import_voucher WHERE existing_id IS NULL GROUP BY 1, 2";

/* Each month's numbers, for the summary: $1 villages, $2 months, $3 bases,
 * $4 vouchers, $5 lines, $6 debits. */
static const char counter_insert_sql[] =
	"INSERT INTO cj_import_counter\n"
	"SELECT * FROM unnest($1::int[], $2::date[], $3::int[], $4::int[], $5::bigint[], $6::bigint[])";

/*
 * $1 kind, $2 the default summary; the ids, one drawn for each
 * fragment read and found by its vseq: from $3 on when they follow each
 * other (as they do unless another session drew ids at the same moment),
 * else in the array $4.  The preparer is the session's login (the column's
 * default).  A voucher's number in its
 * village and month is the next after those handed out, in date order then
 * file order: seq as C gave it while reading, or (the second form) counted
 * here when C could not (vouchers merged, some already posted, a month's
 * dates out of order in the file).
 */
static const char insert_voucher_sql[] =
	"INSERT INTO voucher (village_id, id, period, number, voucher_date, kind, summary,\n"
	"                     attachments, external_id, content_hash, source_number, source_preparer)\n"
	"SELECT v.village_id, coalesce(($4::bigint[])[v.vseq], $3::bigint + v.vseq - 1), k.period,\n"
	"       k.base + v.seq, v.vdate, $1, coalesce(v.summary, $2), 0, v.ext, v.hash,\n"
	"       CASE WHEN $1 <> 'opening' THEN v.vno END, v.src_preparer\n"
	"  FROM cj_import_voucher v\n"
	"  JOIN cj_import_counter k ON k.village_id = v.village_id\n"
	"                          AND k.period = v.period\n"
	" WHERE v.existing_id IS NULL";
static const char insert_voucher_counted_sql[] =
	"INSERT INTO voucher (village_id, id, period, number, voucher_date, kind, summary,\n"
	"                     attachments, external_id, content_hash, source_number, source_preparer)\n"
	"SELECT v.village_id, coalesce(($4::bigint[])[v.vseq], $3::bigint + v.vseq - 1), k.period,\n"
	"       k.base + row_number() OVER (PARTITION BY v.village_id, k.period\n"
	"                                   ORDER BY v.vdate, v.first_rn),\n"
	"       v.vdate, $1, coalesce(v.summary, $2), 0, v.ext, v.hash,\n"
	"       CASE WHEN $1 <> 'opening' THEN v.vno END, v.src_preparer\n"
	"  FROM cj_import_voucher v\n"
	"  JOIN cj_import_counter k ON k.village_id = v.village_id\n"
	"                          AND k.period = v.period\n"
	" WHERE v.existing_id IS NULL\n"
	" ORDER BY v.village_id, v.vseq";

/* $1 the default summary, $2 and $3 the ids (insert_voucher_sql's $3 and $4) */
static const char insert_line_sql[] =
	"INSERT INTO voucher_line (village_id, voucher_id, line_no, period, account_code, debit_fen,\n"
	"                          credit_fen, summary, counterparty, fund_id, project_id)\n"
	"SELECT v.village_id, coalesce(($3::bigint[])[v.vseq], $2::bigint + v.vseq - 1), l.line_no,\n"
	"       v.period, l.account, l.debit,\n"
	"       l.credit, coalesce(l.summary, v.summary, $1), l.counterparty, l.fund_id, l.project_id\n"
	"  FROM cj_import_line l JOIN cj_import_voucher v USING (vseq)\n"
	" WHERE v.existing_id IS NULL";

/* $1 kind, $2 file name, $3 hash, $4 encoding, $5 rows, $6 vouchers, $7 existing,
 * $8 lines, $9 villages, $10 debits, $11 the drafts' batch (NULL: posted) */
static const char log_sql[] =
	"INSERT INTO import_log (kind, file_name, file_hash, encoding, nrows, vouchers, existing, lines,\n"
	"                        villages, debit_fen, batch_id)\n"
	"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id";

/* Where review is required (0015's setting) the file's vouchers become
 * drafts (schema 0016) instead: one batch, reviewed and posted as a whole
 * (cunji voucher review/post --batch).  Is it required anywhere at all?
 * Then the file takes the staging path, and once staged, do its villages
 * require it? */
static const char review_anywhere_sql[] =
	"SELECT EXISTS (SELECT 1 FROM setting WHERE key = 'review_required' AND value = 'true')";
static const char review_staged_sql[] =
	"SELECT coalesce(bool_or(review_required(v)), false)\n"
	"  FROM (SELECT DISTINCT village_id FROM cj_import_voucher WHERE existing_id IS NULL) s(v)";

/* A draft id for each voucher to save, in date then file order (the order
 * post_drafts() numbers them in), and the batch. */
static const char draft_ids_sql[] =
	"CREATE TEMP TABLE cj_import_draft ON COMMIT DROP AS\n"
	"SELECT vseq, nextval('draft_id_seq') AS id\n"
	"  FROM (SELECT vseq FROM cj_import_voucher WHERE existing_id IS NULL\n"
	"         ORDER BY village_id, vdate, first_rn) v";
static const char draft_batch_sql[] = "SELECT nextval('draft_batch_seq')";
/* The drafts go in bulk (schema 0031): the draft tables' row triggers stand
 * aside and one statement trigger checks and audits each INSERT as a whole.
 * The setting is the switch; draft_bulk_begin() records the transaction as
 * the file's, without which the database refuses the switch. */
static const char draft_bulk_on_sql[] =
	"SELECT draft_bulk_begin(), set_config('cunji.draft_bulk', 'on', true)";
static const char draft_bulk_off_sql[] =
	"SELECT draft_bulk_end(), set_config('cunji.draft_bulk', 'off', true)";

/* $1 kind, $2 the default summary, $3 the batch.  The database records the
 * preparer (session_user) and checks the drafts as 0016 says. */
static const char insert_draft_sql[] =
	"INSERT INTO draft_voucher (village_id, id, batch_id, voucher_date, kind, summary, attachments,\n"
	"                           external_id)\n"
	"SELECT v.village_id, d.id, $3, v.vdate, $1, coalesce(v.summary, $2), 0, v.ext\n"
	"  FROM cj_import_voucher v JOIN cj_import_draft d USING (vseq)\n"
	" ORDER BY d.id";
/* $1 the default summary */
static const char insert_draft_line_sql[] =
	"INSERT INTO draft_line (village_id, draft_id, line_no, account_code, debit_fen, credit_fen,\n"
	"                        summary, counterparty, fund_id, project_id)\n"
	"SELECT v.village_id, d.id, l.line_no, l.account, l.debit, l.credit,\n"
	"       coalesce(l.summary, v.summary, $1), l.counterparty, l.fund_id, l.project_id\n"
	"  FROM cj_import_line l JOIN cj_import_voucher v USING (vseq) JOIN cj_import_draft d USING (vseq)\n"
	" WHERE l.emsg IS NULL\n"
	" ORDER BY d.id, l.line_no";
/* What was saved, per village (no numbers yet); $1 as summary_sql's */
static const char draft_summary_sql[] =
	"SELECT o.code, o.name, count(*) FILTER (WHERE v.existing_id IS NULL),\n"
	"       count(*) FILTER (WHERE $1 AND v.existing_id IS NOT NULL),\n"
	"       coalesce(sum(v.n) FILTER (WHERE v.existing_id IS NULL), 0),\n"
	"       coalesce(sum(v.d) FILTER (WHERE v.existing_id IS NULL), 0), '', ''\n"
	"  FROM cj_import_voucher v JOIN org o ON o.id = v.village_id\n"
	" GROUP BY o.code, o.name ORDER BY o.code";

/* What was posted, per village, from the months numbered (counters: rows
 * of village_id, period, base, n, lines, debit; a few per village, a row per
 * chunk for a month that spans chunks) and the vouchers skipped as posted
 * before (existing: village_id, existing). */
#define SUMMARY_SQL(counters, existing) \
	"WITH c AS (" counters "),\n" \
	"k AS (\n" \
	"    SELECT village_id, sum(n) AS vouchers, sum(lines) AS lines, sum(debit) AS debit,\n" \
	"           (array_agg(to_char(period, 'YYYY-MM') || '-' || (base + 1)\n" \
	"                      ORDER BY period, base))[1] AS first,\n" \
	"           (array_agg(to_char(period, 'YYYY-MM') || '-' || (base + n)\n" \
	"                      ORDER BY period DESC, base DESC))[1] AS last\n" \
	"      FROM c GROUP BY 1),\n" \
	"e AS (" existing ")\n" \
	"SELECT o.code, o.name, coalesce(k.vouchers, 0), coalesce(e.existing, 0), coalesce(k.lines, 0),\n" \
	"       coalesce(k.debit, 0), coalesce(k.first, ''), coalesce(k.last, '')\n" \
	"  FROM k FULL JOIN e USING (village_id) JOIN org o ON o.id = village_id\n" \
	" ORDER BY o.code"

/* The staging path's; $1: whether external ids already posted were looked up. */
static const char summary_sql[] =
	SUMMARY_SQL("SELECT * FROM cj_import_counter",
		    "SELECT village_id, count(*) AS existing FROM cj_import_voucher\n"
		    "     WHERE $1 AND existing_id IS NOT NULL GROUP BY 1");
/* The direct path's: its months as arrays (no temporary table, which a
 * transaction to be prepared may not touch); it skips no voucher. */
static const char direct_summary_sql[] =
	SUMMARY_SQL("SELECT * FROM unnest($1::int[], $2::date[], $3::int[], $4::int[], $5::bigint[],\n"
		    "                     $6::bigint[]) AS c(village_id, period, base, n, lines, debit)",
		    "SELECT NULL::integer AS village_id, 0::bigint AS existing WHERE false");

static const char logged_sql[] =
	"SELECT id, to_char(imported_at, 'YYYY-MM-DD HH24:MI'), vouchers, coalesce(batch_id, 0)\n"
	"  FROM import_log WHERE kind = $1 AND file_hash = $2";

/* ------------------------------------------------------------------------ */
/* Reference data */

typedef struct village_ref {
	char code[40];
	int id;
	int is_village, has_books;
	cj_period start;
	char chart[16];
	/* while reading: the village's last fragment (its month and 凭证号, in
	 * order while each is past the one before) and its numbering (the
	 * fragments of a month in date order, each the next number) */
	int order_set;
	cj_period order_month;
	char order_vno[48];
	int seq_n;
	cj_period seq_month;
	cj_date seq_date;
	/* the direct path: the village's group in the chunk being filled, and
	 * the latest date of its month in the chunks sealed before (one month
	 * is enough: a village's months only go forward on the direct path, a
	 * month going back gives up as maybe_split) */
	unsigned chunk_gen;
	size_t chunk_group;
	int lane_set, lane; /* the lane (connection) that posts it */
	int sealed_set;
	cj_period sealed_month;
	cj_date sealed_last;
} village_ref;

typedef struct tag_ref { /* a fund or a project */
	int village_id;
	char code[48];
	int64_t id;
} tag_ref;

typedef struct side_ref {
	char chart[16];
	char code[8];
	char side;
} side_ref;

/* ------------------------------------------------------------------------ */
/* The voucher fragment being read: its rows, strings in an arena */

#define NOSTR ((size_t)-1)

typedef struct frow {
	size_t rn;
	int ok;
	int has_date;
	cj_date date;
	size_t account, summary, counterparty, ext; /* arena offsets, NOSTR for none */
	int64_t debit, credit;
	int64_t fund_id, project_id;
} frow;

typedef struct fragment {
	char village[64];
	char vno[1024];
	char preparer[1024]; /* the first 制单人 of its rows, "" when none */
	village_ref *v; /* NULL: unknown village */
	frow *rows;
	size_t n, cap;
	char *arena;
	size_t alen, acap;
	size_t dropped; /* rows past MAX_LINES */
	int has_month;  /* the month of its first dated row */
	cj_period month;
} fragment;

/* A set of (village id, short text) pairs: the accounts and the months the
 * file uses.  It grows with the villages and charts of the database, not
 * with the rows of the file. */
typedef struct pair {
	int village_id; /* 0: empty slot */
	char key[16];
} pair;

typedef struct pairset {
	pair *slots;
	size_t n, cap;
} pairset;

/* A growing buffer of COPY text. */
typedef struct gbuf {
	char *p;
	size_t len, cap;
} gbuf;

/* A village's month whose vouchers the import numbers (on the direct path,
 * in one chunk). */
typedef struct cgroup {
	int village_id;
	village_ref *v; /* the direct path's */
	cj_period month;
	cj_date last; /* the latest date of its vouchers */
	int n;        /* vouchers */
	int64_t lines, debit;
	int64_t base; /* numbers handed out before (cj_numbers_reserve) */
} cgroup;

struct direct;

/* ------------------------------------------------------------------------ */
/* The import in progress */

typedef struct imp {
	cj_db *db;
	const cj_import_opts *o;
	cj_import_result *r;
	int opening;
	const char *kind;
	const char *name;
	cj_sheet *sheet;
	cj_columns cols;             /* the file's columns (cols.at[k] -1: none) */
	/* reference data, sorted for bsearch */
	village_ref *villages;
	size_t nvillages;
	tag_ref *funds, *projects;
	size_t nfunds, nprojects;
	side_ref *sides;
	size_t nsides;
	/* COPY text for the lines (sent in chunks) and the vouchers (a temp file) */
	gbuf copy;
	FILE *vfile;
	char vbuf[65536];            /* vouchers' records on their way to vfile */
	size_t vlen;
	int oom;
	size_t local_errors;
	int vseq;
	fragment frag;
	char scratch[C_NCOLS][1024]; /* the current row's fields, trimmed */
	pairset accounts, months;    /* (village, account) and (village, YYYY-MM) seen */
	cj_vhash hash;               /* the fragment's content, hashed */
	/* while each village's fragments come in (month, 凭证号) order, no
	 * voucher can be split across the file (village_ref.order_*) */
	int maybe_split;
	int any_ext;                 /* some row has an 外部编号 */
	int voucher_problem;         /* a fragment that is a whole voucher has a problem */
	int any_existing;            /* external ids already posted were looked up */
	int seq_bad; /* a village's month is not in date order: SQL numbers them */
	/* the direct path (see "The direct path" below); NULL when staging */
	struct direct *d;
	int abandon;  /* the direct path gives the file to the staging path */
	int lanes;    /* the direct path's connections (lanes_for) */
	int review;   /* some county or township requires review: drafts maybe */
	int no_notes; /* the notes were given by an attempt before */
	int noted;    /* this attempt gave notes */
} imp;

static int
fail(imp *m, int status, const char *fmt, ...) CJ_PRINTF(3, 4);
static void give_up(imp *m, const char *fmt, ...) CJ_PRINTF(2, 3);
static void direct_voucher(imp *m, int64_t debit, const char *summary, const char *ext,
			   const char *hash);
static void direct_pair(imp *m, int month, village_ref *v, const char *key);

static int
fail(imp *m, int status, const char *fmt, ...)
{
	char msg[900];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return cj_db_fail(m->db, status, "%s", msg);
}

static void
progress(imp *m, const char *phase, uint64_t done, uint64_t total)
{
	if (m->o->cb.progress)
		m->o->cb.progress(phase, done, total, m->o->cb.payload);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------------------ */
/* COPY text: into the line buffer, or (vouchers) the temporary file */

/* Where put() writes: a growing buffer, or (g NULL) a file through m->vbuf. */
typedef struct sink {
	imp *m;
	FILE *f;
	gbuf *g;
} sink;

/* Append; -1 when out of memory. */
static int
gbuf_put(gbuf *g, const char *s, size_t n)
{
	if (g->len + n + 1 > g->cap && cj_grow((void **)&g->p, &g->cap, g->len + n + 1, 1))
		return -1;
	memcpy(g->p + g->len, s, n);
	g->len += n;
	return 0;
}

static void
put(sink *o, const char *s, size_t n)
{
	imp *m = o->m;

	if (o->g) {
		if (gbuf_put(o->g, s, n))
			m->oom = 1;
	} else {
		if (m->vlen + n > sizeof m->vbuf) {
			if (m->vlen && fwrite(m->vbuf, 1, m->vlen, o->f) != m->vlen)
				m->oom = 1;
			m->vlen = 0;
		}
		if (n > sizeof m->vbuf) {
			if (fwrite(s, 1, n, o->f) != n)
				m->oom = 1;
			return;
		}
		memcpy(m->vbuf + m->vlen, s, n);
		m->vlen += n;
	}
}

/* A text field in COPY's text format (NULL as \N), then a tab or newline. */
static void
put_text(sink *o, const char *s, int last)
{
	if (!s) {
		put(o, "\\N", 2);
	} else {
		const char *run = s;
		for (; *s; s++) {
			const char *esc;
			switch (*s) {
			case '\\': esc = "\\\\"; break;
			case '\t': esc = "\\t"; break;
			case '\n': esc = "\\n"; break;
			case '\r': esc = "\\r"; break;
			default: continue;
			}
			put(o, run, (size_t)(s - run));
			put(o, esc, 2);
			run = s + 1;
		}
		put(o, run, (size_t)(s - run));
	}
	put(o, last ? "\n" : "\t", 1);
}

static void
put_i64(sink *o, int64_t v, int null, int last)
{
	char b[32];
	size_t n;

	if (null) {
		put_text(o, NULL, last);
		return;
	}
	n = cj_i64_text(b, v);
	b[n++] = last ? '\n' : '\t';
	put(o, b, n);
}

static int
flush_copy(imp *m, int force)
{
	PGconn *conn = cj_db_conn(m->db);

	if (m->oom)
		return fail(m, CJ_ENOMEM, "out of memory (or no room for a temporary file)");
	if (!m->copy.len || (!force && m->copy.len < 65536))
		return 0;
	if (PQputCopyData(conn, m->copy.p, (int)m->copy.len) != 1)
		return fail(m, CJ_EDB, "COPY: %s", PQerrorMessage(conn));
	m->copy.len = 0;
	return 0;
}

/* A problem found in C: one record (row, column, message) among the lines. */
static void
local_error(imp *m, size_t row, int col, const char *fmt, ...) CJ_PRINTF(4, 5);

static void
local_error(imp *m, size_t row, int col, const char *fmt, ...)
{
	sink o = {m, NULL, &m->copy};
	char msg[1400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (m->d) { /* the staging path will list it */
		give_up(m, _("row %zu: %s"), row, msg);
		m->local_errors++;
		return;
	}
	put_i64(&o, (int64_t)row, 0, 0);
	for (int i = 0; i < 10; i++)
		put_text(&o, NULL, 0);
	put_i64(&o, col, 0, 0);
	put_text(&o, msg, 1);
	m->local_errors++;
}

/* ------------------------------------------------------------------------ */
/* Fields */

/* ------------------------------------------------------------------------ */
/* The header */

static void
note(imp *m, const char *fmt, ...) CJ_PRINTF(2, 3);

static void
note(imp *m, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	if (!m->o->cb.note || m->no_notes)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	m->o->cb.note(msg, m->o->cb.payload);
	m->noted = 1;
}

static void
report(imp *m, size_t row, const char *column, const char *fmt, ...) CJ_PRINTF(4, 5);

/* A problem for cb.problem, counted. */
static void
report(imp *m, size_t row, const char *column, const char *fmt, ...)
{
	char msg[2048];
	cj_problem p = {m->name, row, column, msg};
	va_list ap;

	if (m->d) { /* the staging path will report it */
		give_up(m, _("a problem with the file"));
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	m->r->nproblems++;
	if (m->o->cb.problem)
		m->o->cb.problem(&p, m->o->cb.payload);
}

static void
header_problem(const cj_problem *p, void *payload)
{
	report(payload, p->row, p->column, "%s", p->message);
}

/* Map the header row's columns; CJ_EINVAL (reported) when it cannot be used. */
static int
read_header(imp *m)
{
	const cj_columns *c = &m->cols;
	size_t row = cj_sheet_row(m->sheet);
	char missing[512], ignored[1024], which[300];
	cj_problems header;
	int bad;

	cj_problems_init(&header, m->name);
	cj_columns_find(&m->cols, m->opening ? opening_columns : voucher_columns, C_NCOLS,
			m->sheet, CJ_COLUMNS_STRICT, &header);
	cj_columns_missing(c, m->o->village ? 1u << C_VILLAGE : 0, missing, sizeof missing);
	if (m->opening && c->at[C_DEBIT] < 0 && c->at[C_CREDIT] < 0 && c->at[C_BALANCE] < 0) {
		size_t used = strlen(missing);
		snprintf(missing + used, sizeof missing - used,
			 "%s借方余额 and 贷方余额, or 期初余额 (debit and credit, or balance)",
			 used ? ", " : "");
	}
	if (missing[0])
		cj_problems_add(&header, row, NULL, NULL, _("the header lacks the column%s %s%s"),
				strchr(missing, ',') ? "s" : "", missing,
				cj_sheet_which(m->sheet, which, sizeof which));
	if (m->opening && c->at[C_BALANCE] >= 0 && (c->at[C_DEBIT] >= 0 || c->at[C_CREDIT] >= 0))
		cj_problems_add(&header, row, NULL, NULL,
				_("give either 借方余额 and 贷方余额 or 期初余额, not both"));
	if (m->opening && c->at[C_SIDE] >= 0 && c->at[C_BALANCE] < 0)
		cj_problems_add(&header, row, c->title[C_SIDE], NULL,
				_("a 方向 column goes with a single 期初余额 column"));
	bad = cj_problems_count(&header) > 0;
	if (!bad) {
		if (row > 1)
			note(m, _("%s: the header is row %zu; the rows above it are not read"), m->name,
			     row);
		cj_columns_ignored(c, m->sheet, ignored, sizeof ignored);
		if (ignored[0])
			note(m, "%s: ignoring column%s %s", m->name, strchr(ignored, ',') ? "s" : "",
			     ignored);
	}
	/* through report(), which counts them and lets the direct path give up */
	{
		cj_import_cb forward = {NULL, NULL, NULL, NULL};
		forward.problem = header_problem;
		forward.payload = m;
		cj_problems_send(&header, &forward);
	}
	cj_problems_dispose(&header);
	return bad ? CJ_EINVAL : 0;
}

/* ------------------------------------------------------------------------ */

/* ------------------------------------------------------------------------ */
/* Reference data lookups */

static int
village_cmp(const void *a, const void *b)
{
	return strcmp(((const village_ref *)a)->code, ((const village_ref *)b)->code);
}

static int
tag_cmp(const void *a, const void *b)
{
	const tag_ref *x = a, *y = b;

	if (x->village_id != y->village_id)
		return x->village_id < y->village_id ? -1 : 1;
	return strcmp(x->code, y->code);
}

static village_ref *
find_village(const imp *m, const char *code)
{
	village_ref key;

	if (strlen(code) >= sizeof key.code)
		return NULL;
	strcpy(key.code, code);
	return bsearch(&key, m->villages, m->nvillages, sizeof key, village_cmp);
}

static const tag_ref *
find_tag(const tag_ref *tags, size_t n, int village_id, const char *code)
{
	tag_ref key;

	if (strlen(code) >= sizeof key.code)
		return NULL;
	key.village_id = village_id;
	strcpy(key.code, code);
	return bsearch(&key, tags, n, sizeof key, tag_cmp);
}

/* The normal side of an account, from its first-level code in the chart. */
static char
normal_side(const imp *m, const village_ref *v, const char *account)
{
	for (size_t i = 0; i < m->nsides; i++)
		if (!strcmp(m->sides[i].chart, v->chart) && !strncmp(m->sides[i].code, account, 3))
			return m->sides[i].side;
	return 0;
}

static int
load_refs(imp *m)
{
	PGresult *res = NULL;
	int err, n;

	err = cj_db_exec(m->db, &res, villages_sql, 0, NULL);
	if (err)
		return err;
	n = PQntuples(res);
	m->villages = calloc(n ? (size_t)n : 1, sizeof *m->villages);
	if (!m->villages) {
		PQclear(res);
		return fail(m, CJ_ENOMEM, "out of memory");
	}
	for (int i = 0; i < n; i++) {
		village_ref *v = &m->villages[m->nvillages];
		if (strlen(PQgetvalue(res, i, 0)) >= sizeof v->code)
			continue;
		strcpy(v->code, PQgetvalue(res, i, 0));
		v->id = atoi(PQgetvalue(res, i, 1));
		v->is_village = !strcmp(PQgetvalue(res, i, 2), "village");
		v->has_books = PQgetvalue(res, i, 3)[0] != '\0';
		if (v->has_books && cj_period_parse(&v->start, PQgetvalue(res, i, 3)))
			v->has_books = 0;
		snprintf(v->chart, sizeof v->chart, "%s", PQgetvalue(res, i, 4));
		m->nvillages++;
	}
	PQclear(res);
	qsort(m->villages, m->nvillages, sizeof *m->villages, village_cmp);

	for (int pass = 0; pass < 2; pass++) {
		tag_ref **tags = pass ? &m->projects : &m->funds;
		size_t *ntags = pass ? &m->nprojects : &m->nfunds;
		err = cj_db_exec(m->db, &res, pass ? projects_sql : funds_sql, 0, NULL);
		if (err)
			return err;
		n = PQntuples(res);
		*tags = calloc(n ? (size_t)n : 1, sizeof **tags);
		if (!*tags) {
			PQclear(res);
			return fail(m, CJ_ENOMEM, "out of memory");
		}
		for (int i = 0; i < n; i++) {
			tag_ref *t = &(*tags)[*ntags];
			if (strlen(PQgetvalue(res, i, 1)) >= sizeof t->code)
				continue;
			t->village_id = atoi(PQgetvalue(res, i, 0));
			strcpy(t->code, PQgetvalue(res, i, 1));
			t->id = strtoll(PQgetvalue(res, i, 2), NULL, 10);
			(*ntags)++;
		}
		PQclear(res);
		qsort(*tags, *ntags, sizeof **tags, tag_cmp);
	}

	if (m->opening) {
		err = cj_db_exec(m->db, &res, sides_sql, 0, NULL);
		if (err)
			return err;
		n = PQntuples(res);
		m->sides = calloc(n ? (size_t)n : 1, sizeof *m->sides);
		if (!m->sides) {
			PQclear(res);
			return fail(m, CJ_ENOMEM, "out of memory");
		}
		for (int i = 0; i < n; i++) {
			side_ref *s = &m->sides[m->nsides++];
			snprintf(s->chart, sizeof s->chart, "%s", PQgetvalue(res, i, 0));
			snprintf(s->code, sizeof s->code, "%s", PQgetvalue(res, i, 1));
			s->side = PQgetvalue(res, i, 2)[0];
		}
		PQclear(res);
	}
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Pair sets (open addressing; keys are short: account codes, months) */

static uint64_t
pair_hash(int village_id, const char *key)
{
	uint64_t h = 1469598103934665603ULL ^ (uint64_t)(unsigned)village_id;

	for (; *key; key++)
		h = (h ^ (unsigned char)*key) * 1099511628211ULL;
	return h;
}

/* Add a pair: 1 when it is new, 0 when it was there (or cannot be), -1
 * when out of memory. */
static int
pair_add(pairset *s, int village_id, const char *key)
{
	size_t i;

	if (strlen(key) >= sizeof s->slots[0].key || village_id == 0)
		return 0;
	if (s->n * 2 >= s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		pair *slots = calloc(cap, sizeof *slots);
		if (!slots)
			return -1;
		for (size_t k = 0; k < s->cap; k++) {
			if (!s->slots[k].village_id)
				continue;
			i = pair_hash(s->slots[k].village_id, s->slots[k].key) & (cap - 1);
			while (slots[i].village_id)
				i = (i + 1) & (cap - 1);
			slots[i] = s->slots[k];
		}
		free(s->slots);
		s->slots = slots;
		s->cap = cap;
	}
	i = pair_hash(village_id, key) & (s->cap - 1);
	while (s->slots[i].village_id) {
		if (s->slots[i].village_id == village_id && !strcmp(s->slots[i].key, key))
			return 0;
		i = (i + 1) & (s->cap - 1);
	}
	s->slots[i].village_id = village_id;
	strcpy(s->slots[i].key, key);
	s->n++;
	return 1;
}

/* The set as two array literals for unnest($1::int[], $2::text[]). */
static int
pair_arrays(const pairset *s, char **ids, char **keys)
{
	size_t cap = 16 + s->n * 36;
	char *a = malloc(cap), *b = malloc(cap);
	size_t na = 0, nb = 0;

	*ids = a;
	*keys = b;
	if (!a || !b)
		return -1;
	a[na++] = '{';
	b[nb++] = '{';
	for (size_t i = 0; i < s->cap; i++) {
		if (!s->slots[i].village_id)
			continue;
		na += (size_t)snprintf(a + na, cap - na, "%s%d", na > 1 ? "," : "",
				       s->slots[i].village_id);
		/* keys are digits and '-' only: no quoting needed */
		nb += (size_t)snprintf(b + nb, cap - nb, "%s%s", nb > 1 ? "," : "", s->slots[i].key);
	}
	snprintf(a + na, cap - na, "}");
	snprintf(b + nb, cap - nb, "}");
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Fragments */

static size_t
keep_str(imp *m, const char *s)
{
	fragment *f = &m->frag;
	size_t n, at;

	if (!s || !*s)
		return NOSTR;
	n = strlen(s) + 1;
	if (f->alen + n > f->acap && cj_grow((void **)&f->arena, &f->acap, f->alen + n, 1)) {
		m->oom = 1;
		return NOSTR;
	}
	at = f->alen;
	memcpy(f->arena + at, s, n);
	f->alen += n;
	return at;
}

static const char *
str_at(const imp *m, size_t at)
{
	return at == NOSTR ? NULL : m->frag.arena + at;
}

/* snprintf(dst, size, "%.*s", max, src), without the formatting machinery,
 * which shows in a profile of a county's file: at most max bytes of src
 * and at most size - 1 (size > 0). */
static void
text_copy(char *dst, size_t size, const char *src, size_t max)
{
	size_t n = strnlen(src, max < size - 1 ? max : size - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* The content hash of a fragment that is a whole voucher: what
 * cj_voucher_hash gives the same voucher.  Nonzero when out of memory. */
static int
fragment_hash(imp *m, int village_id, const char *date, const char *summary, char hex[65])
{
	const fragment *f = &m->frag;

	cj_vhash_head(&m->hash, village_id, date, m->opening ? "opening" : "normal", summary, 0, 0,
		      f->n);
	for (size_t i = 0; i < f->n; i++) {
		const frow *r = &f->rows[i];
		const char *ls = str_at(m, r->summary);
		cj_vhash_line(&m->hash, str_at(m, r->account), r->debit, r->credit, ls ? ls : summary,
			      str_at(m, r->counterparty), r->fund_id, r->project_id);
	}
	return cj_vhash_end(&m->hash, NULL, hex);
}

static int
date_cmp(const cj_date *a, const cj_date *b)
{
	if (a->year != b->year)
		return a->year < b->year ? -1 : 1;
	if (a->month != b->month)
		return a->month < b->month ? -1 : 1;
	return (a->day > b->day) - (a->day < b->day);
}

/*
 * The fragment is complete: its lines go into the COPY stream, numbered in
 * file order, and its summary record into the vouchers' file, with the
 * content hash when every row of it is good.
 */
static void
flush_fragment(imp *m)
{
	fragment *f = &m->frag;
	sink lines = {m, NULL, &m->copy}, vo = {m, m->vfile, NULL};
	int ok = f->v != NULL && !f->dropped, overflow = 0, seq = 0;
	int64_t d = 0, c = 0;
	const char *summary = NULL, *ext1 = NULL, *ext2 = NULL;
	const cj_date *d1 = NULL, *d2 = NULL;
	char date1[16] = "", date2[16] = "", ext[1100], hash[65] = "";
	int vseq;

	if (!f->n)
		return;
	vseq = ++m->vseq;
	for (size_t i = 0; i < f->n; i++) {
		const frow *r = &f->rows[i];
		const char *e = str_at(m, r->ext);

		ok &= r->ok;
		if (__builtin_add_overflow(d, r->debit, &d) || __builtin_add_overflow(c, r->credit, &c))
			overflow = 1;
		if (!summary)
			summary = str_at(m, r->summary);
		if (e && (!ext1 || strcmp(e, ext1) < 0))
			ext1 = e;
		if (e && (!ext2 || strcmp(e, ext2) > 0))
			ext2 = e;
		if (r->has_date) {
			if (!d1 || date_cmp(&r->date, d1) < 0)
				d1 = &r->date;
			if (!d2 || date_cmp(&r->date, d2) > 0)
				d2 = &r->date;
		}
	}
	if (overflow) {
		local_error(m, f->rows[0].rn, -1, _("the amounts of 凭证号 %s add up to more than can be "
			    "counted"), f->vno);
		ok = 0;
	}
	if (m->opening && !summary)
		summary = "期初余额";
	if (d1) {
		cj_date_format(date1, sizeof date1, *d1);
		cj_date_format(date2, sizeof date2, *d2);
	} else {
		ok = 0;
	}
	/* without an 外部编号, the month and the number in the file */
	if (ext1) {
		text_copy(ext, sizeof ext, ext1, SIZE_MAX);
	} else if (m->opening) {
		snprintf(ext, sizeof ext, "opening@%.7s", date1);
	} else {
		size_t n = strnlen(date1, 7);
		memcpy(ext, date1, n);
		ext[n] = '/';
		text_copy(ext + n + 1, sizeof ext - n - 1, f->vno, SIZE_MAX);
	}
	/* the checks of a whole voucher; they count only when no voucher is
	 * split across the file (then SQL repeats them after merging) */
	if (ok && (f->n < 2 || d != c || strcmp(date1, date2) || (ext1 && strcmp(ext1, ext2)) ||
		   !summary || cj_period_cmp(cj_period_of(*d1), f->v->start) < 0))
		m->voucher_problem = 1;
	if (ok) {
		char month[8];
		text_copy(month, sizeof month, date1, 7);
		int added = pair_add(&m->months, f->v->id, month);
		if (added < 0)
			m->oom = 1;
		else if (added && m->d)
			direct_pair(m, 1, f->v, month);
	}
	if (ok && summary && !strcmp(date1, date2) && f->n <= MAX_LINES &&
	    fragment_hash(m, f->v->id, date1, summary, hash))
		m->oom = 1;
	/* its number in its village and month, when the file gives them in date order */
	if (f->v && d1) {
		village_ref *v = f->v;
		cj_period month = cj_period_of(*d1);
		if (!v->seq_n || cj_period_cmp(month, v->seq_month)) {
			v->seq_month = month;
			v->seq_n = 0;
		} else if (date_cmp(d1, &v->seq_date) < 0) {
			m->seq_bad = 1;
		}
		v->seq_date = *d1;
		seq = ++v->seq_n;
	}

	if (m->d) {
		if (!ok || m->oom)
			give_up(m, _("a problem in 凭证号 %s of village %s"), f->vno, f->village);
		else if (m->voucher_problem || !hash[0])
			give_up(m, _("凭证号 %s of village %s does not pass its checks"), f->vno, f->village);
		else if (m->maybe_split)
			give_up(m, _("village %s's vouchers are not in order of month and 凭证号 (at %s)"),
				f->village, f->vno);
		else
			direct_voucher(m, d, summary, ext, hash);
		goto done;
	}

	/* the lines, numbered in file order */
	for (size_t i = 0; i < f->n; i++) {
		const frow *r = &f->rows[i];

		put_i64(&lines, (int64_t)r->rn, 0, 0);
		put_i64(&lines, vseq, 0, 0);
		put_i64(&lines, (int64_t)i + 1, 0, 0);
		put_i64(&lines, f->v ? f->v->id : 0, !f->v, 0);
		put_text(&lines, str_at(m, r->account), 0);
		put_i64(&lines, r->debit, 0, 0);
		put_i64(&lines, r->credit, 0, 0);
		put_text(&lines, str_at(m, r->summary), 0);
		put_text(&lines, str_at(m, r->counterparty), 0);
		put_i64(&lines, r->fund_id, !r->fund_id, 0);
		put_i64(&lines, r->project_id, !r->project_id, 0);
		put_text(&lines, NULL, 0);
		put_text(&lines, NULL, 1);
	}
	/* the voucher's record */
	put_i64(&vo, vseq, 0, 0);
	put_text(&vo, f->village, 0);
	put_i64(&vo, f->v ? f->v->id : 0, !f->v, 0);
	put_text(&vo, f->vno, 0);
	put_i64(&vo, (int64_t)f->rows[0].rn, 0, 0);
	put_i64(&vo, (int64_t)f->rows[f->n - 1].rn, 0, 0);
	put_i64(&vo, (int64_t)f->n, 0, 0);
	put_i64(&vo, d, overflow, 0);
	put_i64(&vo, c, overflow, 0);
	put_text(&vo, d1 ? date1 : NULL, 0);
	put_text(&vo, d1 ? date2 : NULL, 0);
	if (d1) {
		char period[16];
		text_copy(period, sizeof period, date1, 8);
		strcat(period, "01");
		put_text(&vo, period, 0);
	} else {
		put_text(&vo, NULL, 0);
	}
	put_text(&vo, ext1, 0);
	put_text(&vo, ext2, 0);
	put_text(&vo, m->opening ? (summary ? summary : "期初余额") : summary, 0);
	put_text(&vo, hash[0] ? hash : NULL, 0);
	put_text(&vo, ok ? "t" : "f", 0);
	put_text(&vo, d1 ? ext : NULL, 0);
	put_i64(&vo, seq, !seq, 0);
	put_text(&vo, f->preparer[0] ? f->preparer : NULL, 1);
done:
	f->n = 0;
	f->alen = 0;
	f->dropped = 0;
}

/* ------------------------------------------------------------------------ */
/* A data row */

#define SOURCE_MAX 200 /* characters of a 凭证号 or 制单人 kept (0026) */

static size_t
utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* 凭证号 in order: numbers by value, anything else as text. */
static int
vno_cmp(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la && lb && strspn(a, "0123456789") == la && strspn(b, "0123456789") == lb) {
		while (la > 1 && *a == '0')
			a++, la--;
		while (lb > 1 && *b == '0')
			b++, lb--;
		if (la != lb)
			return la < lb ? -1 : 1;
	}
	return strcmp(a, b);
}

/*
 * A fragment starts: is its (month, 凭证号) past the previous one of its
 * village?  Files list each village's vouchers by month and number (one
 * village after another, or all of them interleaved by date), so this holds
 * and no voucher can be split; otherwise SQL looks for split vouchers after
 * the file is read.
 */
static void
check_order(imp *m, village_ref *v, cj_period month, const char *vno)
{
	if (v->order_set) {
		int c = cj_period_cmp(month, v->order_month);
		if (c < 0 || (c == 0 && vno_cmp(vno, v->order_vno) <= 0))
			m->maybe_split = 1;
	}
	if (strlen(vno) >= sizeof v->order_vno)
		m->maybe_split = 1; /* not kept: let SQL look */
	v->order_set = 1;
	v->order_month = month;
	snprintf(v->order_vno, sizeof v->order_vno, "%s", vno);
}

/* The row's field k, trimmed, or NULL when the file has no such column. */
static const char *
field(imp *m, int k)
{
	return m->cols.at[k] >= 0 ? m->scratch[k] : NULL;
}

/* Parse an amount column; 0 (empty is zero), or -1 when reported. */
static int
amount(imp *m, size_t row, int k, int64_t *fen)
{
	const char *text = field(m, k);
	cj_money v;
	int rc;

	*fen = 0;
	if (!text || !text[0])
		return 0;
	rc = cj_amount_parse(&v, text, m->cols.unit[k]);
	if (rc == CJ_EOVERFLOW || (!rc && (v.fen > CJ_MONEY_LINE_MAX || v.fen < -CJ_MONEY_LINE_MAX))) {
		local_error(m, row, k, _("'%s' is too large an amount (a line carries at most "
				       "100,000,000,000.00 yuan)"),
			    text);
		return -1;
	}
	if (rc) {
		local_error(m, row, k,
			    m->cols.unit[k] == CJ_UNIT_WAN
				    ? _("'%s' is not an amount in 万元 (e.g. 1.2345, at most six decimals)")
				    : _("'%s' is not an amount (e.g. 1200, 1,200.50, (300.00) for a negative)"),
			    text);
		return -1;
	}
	*fen = v.fen;
	return 0;
}

/* A village's 统计用区划代码 (cj_org_code_check): 12 digits. */
static int
village_code_ok(const char *s)
{
	return strlen(s) == 12 && strspn(s, "0123456789") == 12;
}

/* Resolve a fund or project code of the row's village; 0 for none. */
static int
tag(imp *m, size_t row, int k, const village_ref *v, int64_t *id)
{
	const char *code = field(m, k);
	const tag_ref *t;

	*id = 0;
	if (!code || !code[0] || !v)
		return 0;
	t = k == C_FUND ? find_tag(m->funds, m->nfunds, v->id, code)
			: find_tag(m->projects, m->nprojects, v->id, code);
	if (!t) {
		local_error(m, row, k,
			    k == C_FUND ? _("fund '%s' does not exist in village %s (cunji fund list)")
					: _("project '%s' does not exist in village %s (cunji project list)"),
			    code, v->code);
		return -1;
	}
	*id = t->id;
	return 0;
}

static void
data_row(imp *m)
{
	size_t row = cj_sheet_row(m->sheet);
	int bad = 0, amount_bad = 0, has_date = 0, has_bal = 0, rc;
	int64_t debit = 0, credit = 0, bal = 0, fund_id = 0, project_id = 0;
	cj_date date = {0, 0, 0};
	char account[1024], why[200];
	const char *vno, *vcode;
	village_ref *v = NULL;
	fragment *f = &m->frag;
	frow *r;

	for (int k = 0; k < C_NCOLS; k++) {
		m->scratch[k][0] = '\0';
		if (m->cols.at[k] < 0)
			continue;
		if (cj_field_trim(m->scratch[k], sizeof m->scratch[k],
			      cj_sheet_field(m->sheet, (size_t)m->cols.at[k]))) {
			local_error(m, row, k, _("longer than %zu bytes"), sizeof m->scratch[k] - 1);
			bad = 1;
			m->scratch[k][0] = '\0';
		} else if (cj_text_check(m->scratch[k], why, sizeof why)) {
			local_error(m, row, k, "%s", why);
			bad = 1;
			m->scratch[k][0] = '\0';
		}
	}
	/* the paper's 凭证号 and 制单人 are kept on the voucher (0026) */
	{
		static const int kept[] = {C_VOUCHER, C_PREPARER};
		for (size_t i = 0; i < 2; i++)
			if (field(m, kept[i]) && utf8_chars(field(m, kept[i])) > SOURCE_MAX) {
				local_error(m, row, kept[i], _("longer than %d characters"), SOURCE_MAX);
				bad = 1;
			}
	}
	/* village */
	vcode = field(m, C_VILLAGE);
	if ((!vcode || !vcode[0]) && m->o->village)
		vcode = m->o->village;
	if (!vcode[0]) {
		local_error(m, row, C_VILLAGE, _("is empty"));
		bad = 1;
	} else if (!village_code_ok(vcode)) {
		local_error(m, row, C_VILLAGE, _("'%s' is not a village code (12 digits, e.g. "
			    "360925100201)"), vcode);
		bad = 1;
	} else if (!(v = find_village(m, vcode))) {
		local_error(m, row, C_VILLAGE, _("'%s': no village has this code"), vcode);
		bad = 1;
	} else if (!v->is_village || !v->has_books) {
		local_error(m, row, C_VILLAGE, _("'%s' is not a village with books"), vcode);
		bad = 1;
		v = NULL;
	}
	/* date: required for vouchers; opening balances default to the books' start */
	if (field(m, C_DATE) && (field(m, C_DATE)[0] || !m->opening)) {
		if (!field(m, C_DATE)[0]) {
			local_error(m, row, C_DATE, _("is empty"));
			bad = 1;
		} else if ((rc = cj_field_date_in(field(m, C_DATE), cj_sheet_date_system(m->sheet),
						  &date)) != 0) {
			if (rc == CJ_EOVERFLOW)
				local_error(m, row, C_DATE, _("'%s' is outside the books' dates (%s)"),
					    field(m, C_DATE), cj_books_range_text(why, sizeof why));
			else
				local_error(m, row, C_DATE, _("'%s' is not a date (2025-03-05, 2025/3/5)"),
					    field(m, C_DATE));
			bad = 1;
		} else {
			has_date = 1;
		}
	} else if (m->opening && v) {
		date.year = v->start.year;
		date.month = v->start.month;
		date.day = 1;
		has_date = 1;
	}
	/* voucher number */
	vno = m->opening ? "期初" : field(m, C_VOUCHER);
	if (!vno[0]) {
		local_error(m, row, C_VOUCHER, _("is empty"));
		bad = 1;
	}
	/* account */
	text_copy(account, sizeof account, field(m, C_ACCOUNT), SIZE_MAX);
	cj_field_ascii_digits(account);
	if (!account[0]) {
		local_error(m, row, C_ACCOUNT, _("is empty"));
		bad = 1;
	} else if (strspn(account, "0123456789") != strlen(account) || strlen(account) < 3 ||
		   strlen(account) > 15) {
		local_error(m, row, C_ACCOUNT, _("'%s' is not an account code (3 to 15 digits, e.g. 102001)"),
			    field(m, C_ACCOUNT));
		bad = 1;
		account[0] = '\0';
	}
	/* fund and project */
	if (tag(m, row, C_FUND, v, &fund_id))
		bad = 1;
	if (tag(m, row, C_PROJECT, v, &project_id))
		bad = 1;
	/* amounts */
	if (m->cols.at[C_BALANCE] >= 0) {
		const char *side = field(m, C_SIDE);
		if (amount(m, row, C_BALANCE, &bal))
			amount_bad = 1;
		has_bal = 1;
		if (side && side[0]) {
			if (!strcmp(side, "借") || !strcmp(side, "D") || !strcasecmp(side, "debit")) {
				debit = bal;
				has_bal = 0;
			} else if (!strcmp(side, "贷") || !strcmp(side, "C") ||
				   !strcasecmp(side, "credit")) {
				credit = bal;
				has_bal = 0;
			} else if (!strcmp(side, "平")) {
				if (bal) {
					local_error(m, row, C_SIDE, _("'平' (settled) with a balance of %s"),
						    field(m, C_BALANCE));
					amount_bad = 1;
				}
				has_bal = 0;
				bal = 0;
			} else {
				local_error(m, row, C_SIDE, _("'%s' is not 借, 贷 or 平"), side);
				bad = 1;
			}
		}
		if (has_bal && !amount_bad && bal) {
			/* a balance in the account's normal direction */
			char s = v && account[0] ? normal_side(m, v, account) : 0;
			if (s == 'D')
				debit = bal;
			else if (s == 'C')
				credit = bal;
			else if (v && account[0]) {
				local_error(m, row, C_ACCOUNT, _("'%s' is not under a first-level account of "
					    "the chart; give 方向"), field(m, C_ACCOUNT));
				bad = 1;
			}
		}
	} else {
		if (amount(m, row, C_DEBIT, &debit))
			amount_bad = 1;
		if (amount(m, row, C_CREDIT, &credit))
			amount_bad = 1;
	}
	if (m->opening) {
		/* a negative balance sits on the other side */
		if (debit < 0 && credit == 0) {
			credit = -debit;
			debit = 0;
		} else if (credit < 0 && debit == 0) {
			debit = -credit;
			credit = 0;
		}
		if (debit && credit && !amount_bad) {
			local_error(m, row, C_DEBIT, _("both %s and %s hold a balance; give one, on its side"),
				    m->cols.title[C_DEBIT], m->cols.title[C_CREDIT]);
			bad = 1;
		}
		if (!bad && !amount_bad && !debit && !credit)
			return; /* a zero balance: nothing to post */
	} else if (!amount_bad) {
		if (debit < 0 || credit < 0) {
			int k = debit < 0 ? C_DEBIT : C_CREDIT;
			local_error(m, row, k,
				    _("'%s' is negative; voucher amounts are positive (a posted voucher "
				    "is corrected by a red reversal: cunji void)"),
				    field(m, k));
			bad = 1;
		} else if (debit && credit) {
			local_error(m, row, C_DEBIT, _("both %s and %s hold an amount; a line has one side"),
				    m->cols.title[C_DEBIT], m->cols.title[C_CREDIT]);
			bad = 1;
		} else if (!debit && !credit) {
			local_error(m, row, C_DEBIT, _("neither %s nor %s holds an amount"),
				    m->cols.title[C_DEBIT], m->cols.title[C_CREDIT]);
			bad = 1;
		}
	}
	bad |= amount_bad;
	if (!vcode[0] || !vno[0])
		return; /* no voucher to put it in; the problem is reported */

	if (v && account[0]) {
		int added = pair_add(&m->accounts, v->id, account);
		if (added < 0)
			m->oom = 1;
		else if (added && m->d)
			direct_pair(m, 0, v, account);
	}
	if (field(m, C_EXTERNAL) && field(m, C_EXTERNAL)[0])
		m->any_ext = 1;

	/* a new village, 凭证号 or month ends the fragment (clerks number
	 * vouchers per month: 凭证号 1 of March follows 凭证号 1 of February) */
	if (f->n && (strcmp(f->village, vcode) || strcmp(f->vno, vno) ||
		     (has_date && f->has_month && cj_period_cmp(cj_period_of(date), f->month))))
		flush_fragment(m);
	if (!f->n) {
		text_copy(f->village, sizeof f->village, vcode, 63);
		text_copy(f->vno, sizeof f->vno, vno, SIZE_MAX);
		f->preparer[0] = '\0';
		f->v = v;
		f->has_month = 0;
		if (v && has_date)
			check_order(m, v, cj_period_of(date), vno);
	}
	if (has_date && !f->has_month) {
		f->has_month = 1;
		f->month = cj_period_of(date);
	}
	if (f->n >= MAX_LINES) {
		if (!f->dropped++)
			local_error(m, row, C_VOUCHER, _("凭证号 %s has more than %d lines"), vno,
				    MAX_LINES);
		return;
	}
	if (f->n == f->cap && cj_grow((void **)&f->rows, &f->cap, f->n + 1, sizeof *f->rows)) {
		m->oom = 1;
		return;
	}
	r = &f->rows[f->n++];
	memset(r, 0, sizeof *r);
	r->rn = row;
	r->ok = !bad;
	r->has_date = has_date;
	r->date = date;
	r->debit = debit;
	r->credit = credit;
	r->fund_id = fund_id;
	r->project_id = project_id;
	r->account = keep_str(m, account[0] ? account : NULL);
	r->summary = keep_str(m, field(m, C_SUMMARY));
	r->counterparty = keep_str(m, field(m, C_COUNTERPARTY));
	r->ext = keep_str(m, field(m, C_EXTERNAL));
	if (r->account == NOSTR)
		r->ok = 0;
	/* the voucher keeps its first 制单人 (0026: source_preparer) */
	if (field(m, C_PREPARER) && field(m, C_PREPARER)[0] && !f->preparer[0])
		snprintf(f->preparer, sizeof f->preparer, "%s", field(m, C_PREPARER));
}

/* ------------------------------------------------------------------------ */
/* The file's hash */

static int
file_hash(imp *m, const char *path)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	FILE *f = fopen(path, "rb");
	char *buf = malloc(1 << 20);
	size_t n;
	int err = 0;

	if (!ctx || !buf) {
		err = fail(m, CJ_ENOMEM, "out of memory");
	} else if (!f) {
		err = fail(m, CJ_EIO, "%s: %s", m->name, strerror(errno));
	} else {
		EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
		while ((n = fread(buf, 1, 1 << 20, f)) > 0)
			EVP_DigestUpdate(ctx, buf, n);
		if (ferror(f))
			err = fail(m, CJ_EIO, "%s: read error", m->name);
		EVP_DigestFinal_ex(ctx, md, &mdlen);
		for (unsigned int i = 0; i < mdlen && i < 32; i++)
			snprintf(m->r->file_hash + 2 * i, 3, "%02x", md[i]);
	}
	if (f)
		fclose(f);
	free(buf);
	EVP_MD_CTX_free(ctx);
	return err;
}

/* ------------------------------------------------------------------------ */

/* ------------------------------------------------------------------------ */
/* The steps */

static int
exec(imp *m, const char *sql, int nparams, const char *const *params)
{
	return cj_db_exec(m->db, NULL, sql, nparams, params);
}

/* The COPYs run on db: the import's connection, or (the direct path) the
 * connection of the lane that posts the chunk. */
static int
end_copy(cj_db *db, int err)
{
	PGconn *conn = cj_db_conn(db);
	PGresult *res;

	if (PQputCopyEnd(conn, err ? "import stopped" : NULL) != 1 && !err)
		err = cj_db_fail(db, CJ_EDB, _("COPY: %s"), PQerrorMessage(conn));
	while ((res = PQgetResult(conn)) != NULL) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK && !err) {
			const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
			err = cj_db_fail(db, CJ_EDB, _("COPY: %s"), msg ? msg : PQerrorMessage(conn));
		}
		PQclear(res);
	}
	return err;
}

static int
begin_copy(cj_db *db, const char *sql)
{
	PGconn *conn = cj_db_conn(db);
	PGresult *res = PQexec(conn, sql);

	if (PQresultStatus(res) != PGRES_COPY_IN) {
		const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
		int err = cj_db_fail(db, CJ_EDB, _("COPY: %s"), msg ? msg : PQerrorMessage(conn));
		PQclear(res);
		return err;
	}
	PQclear(res);
	return 0;
}

/*
 * Read the header and every data row into fragments.  The staging path sends
 * its COPY text as it grows; the direct path stops as soon as it gives up,
 * and then reports nothing (the staging path will).
 */
static int
read_rows(imp *m)
{
	int rc, err = 0, header_done = 0;
	uint64_t last_progress = 0;

	/* title rows (单位名称, 期间) above the header are passed over */
	rc = cj_columns_seek(m->sheet, m->opening ? opening_columns : voucher_columns, C_NCOLS,
			     m->o->village ? 1u << C_VILLAGE : 0);
	if (rc < 0) {
		report(m, 0, NULL, "%s", cj_sheet_error(m->sheet));
		return CJ_EINVAL;
	}
	while ((rc = cj_sheet_next(m->sheet)) == 1) {
		if (!header_done) {
			header_done = 1;
			if (read_header(m)) {
				err = CJ_EINVAL;
				break;
			}
			cj_sheet_header(m->sheet);
			continue;
		}
		m->r->rows++;
		data_row(m);
		if (m->d ? m->abandon || m->oom : (err = flush_copy(m, 0)) != 0)
			break;
		if (cj_sheet_bytes_read(m->sheet) - last_progress > (1u << 20)) {
			last_progress = cj_sheet_bytes_read(m->sheet);
			progress(m, "reading", last_progress, cj_sheet_size(m->sheet));
		}
	}
	if (!err && !m->abandon && rc < 0) {
		report(m, 0, NULL, "%s", cj_sheet_error(m->sheet));
		err = CJ_EINVAL;
	}
	if (!err && !m->abandon && !header_done) {
		report(m, 0, NULL, "the file is empty");
		err = CJ_EINVAL;
	} else if (!err && !m->abandon && !m->r->rows) {
		report(m, 0, NULL, "no rows after the header");
		err = CJ_EINVAL;
	}
	if (!err && !m->abandon)
		flush_fragment(m);
	if (m->d && (err || m->abandon || m->oom)) {
		give_up(m, _("the file could not be read as it is"));
		return 0;
	}
	progress(m, "reading", cj_sheet_size(m->sheet), cj_sheet_size(m->sheet));
	return err;
}

/* Stream the file: lines (and problems) with one COPY as it is read, then
 * the vouchers' records from their temporary file with another. */
static int
stage(imp *m)
{
	PGconn *conn = cj_db_conn(m->db);
	int err = 0;
	char chunk[65536];
	size_t n;

	if ((err = exec(m, line_table_sql, 0, NULL)) || (err = exec(m, voucher_table_sql, 0, NULL)))
		return err;
	m->vfile = tmpfile();
	if (!m->vfile)
		return fail(m, CJ_EIO, "cannot create a temporary file: %s", strerror(errno));
	if ((err = begin_copy(m->db, line_copy_sql)))
		return err;
	err = read_rows(m);
	if (!err)
		err = flush_copy(m, 1);
	err = end_copy(m->db, err);
	if (err)
		return err;

	/* the vouchers */
	if (m->vlen && fwrite(m->vbuf, 1, m->vlen, m->vfile) != m->vlen)
		return fail(m, CJ_EIO, "temporary file: %s", strerror(errno));
	m->vlen = 0;
	if (fflush(m->vfile) || fseek(m->vfile, 0, SEEK_SET))
		return fail(m, CJ_EIO, "temporary file: %s", strerror(errno));
	if ((err = begin_copy(m->db, voucher_copy_sql)))
		return err;
	while ((n = fread(chunk, 1, sizeof chunk, m->vfile)) > 0)
		if (PQputCopyData(conn, chunk, (int)n) != 1) {
			err = fail(m, CJ_EDB, "COPY: %s", PQerrorMessage(conn));
			break;
		}
	if (!err && ferror(m->vfile))
		err = fail(m, CJ_EIO, "temporary file: read error");
	return end_copy(m->db, err);
}

/* Vouchers whose rows are not together in the file: merge their fragments. */
static int
merge_fragments(imp *m)
{
	const char *params[2] = {m->kind, m->opening ? "期初余额" : NULL};
	PGresult *res;
	int err, any;

	err = exec(m, frag_sql, 0, NULL);
	if (err)
		return err;
	err = cj_db_exec(m->db, &res, "SELECT count(*) FROM cj_import_frag", 0, NULL);
	if (err)
		return err;
	any = strcmp(PQgetvalue(res, 0, 0), "0") != 0;
	PQclear(res);
	if (!any)
		return 0;
	err = exec(m, merge_lines_sql, 0, NULL);
	if (!err)
		err = exec(m, merge_vouchers_sql, 0, NULL);
	if (!err)
		err = exec(m, merge_hash_sql, 2, params);
	return err;
}

/* Every problem, through a cursor (bounded memory), to cb.problem. */
static int
list_errors(imp *m)
{
	const char *params[1] = {m->kind};
	PGresult *res = NULL;
	int err;

	err = exec(m, errors_sql, 1, params);
	while (!err) {
		int n;
		err = cj_db_exec(m->db, &res, fetch_sql, 0, NULL);
		if (err)
			break;
		n = PQntuples(res);
		for (int i = 0; i < n; i++) {
			size_t rn = (size_t)strtoull(PQgetvalue(res, i, 0), NULL, 10);
			int col = atoi(PQgetvalue(res, i, 1));
			const char *raw = PQgetvalue(res, i, 2), *also = strstr(raw, " (also on row");
			char msg[1024], more[256] = "";

			/* the texts the checks made in SQL, in the reader's language */
			snprintf(msg, sizeof msg, "%.*s", also ? (int)(also - raw) : (int)strlen(raw), raw);
			snprintf(more, sizeof more, "%s", also ? also : "");
			cj_db_translate(msg, sizeof msg);
			cj_db_translate(more, sizeof more);
			snprintf(msg + strlen(msg), sizeof msg - strlen(msg), "%s", more);
			if (col >= 0 && col < C_NCOLS)
				report(m, rn, m->cols.title[col][0] ? m->cols.title[col]
								   : m->cols.specs[col].names[0],
				       "%s", msg);
			else
				report(m, rn, NULL, "%s", msg);
		}
		PQclear(res);
		res = NULL;
		if (n < 500)
			break;
	}
	if (!err)
		err = exec(m, "CLOSE cj_import_errors", 0, NULL);
	return err;
}

static int
read_summary(imp *m, const char *sql, int nparams, const char *const *params)
{
	PGresult *res;
	int err = cj_db_exec(m->db, &res, sql, nparams, params);
	int n;

	if (err)
		return err;
	n = PQntuples(res);
	m->r->villages = calloc(n ? (size_t)n : 1, sizeof *m->r->villages);
	if (!m->r->villages) {
		PQclear(res);
		return fail(m, CJ_ENOMEM, "out of memory");
	}
	m->r->nvillages = (size_t)n;
	for (int i = 0; i < n; i++) {
		cj_import_village *v = &m->r->villages[i];
		snprintf(v->code, sizeof v->code, "%s", PQgetvalue(res, i, 0));
		snprintf(v->name, sizeof v->name, "%s", PQgetvalue(res, i, 1));
		v->vouchers = (size_t)strtoull(PQgetvalue(res, i, 2), NULL, 10);
		v->existing = (size_t)strtoull(PQgetvalue(res, i, 3), NULL, 10);
		v->lines = (size_t)strtoull(PQgetvalue(res, i, 4), NULL, 10);
		v->debit_fen = strtoll(PQgetvalue(res, i, 5), NULL, 10);
		snprintf(v->first, sizeof v->first, "%s", PQgetvalue(res, i, 6));
		snprintf(v->last, sizeof v->last, "%s", PQgetvalue(res, i, 7));
		m->r->vouchers += v->vouchers;
		m->r->existing += v->existing;
		m->r->lines += v->lines;
		m->r->debit_fen += v->debit_fen;
	}
	PQclear(res);
	return 0;
}

/* Is this file in import_log already?  Fills the result when it is. */
static int
already(imp *m, int *found)
{
	const char *params[2] = {m->opening ? "opening" : "vouchers", m->r->file_hash};
	PGresult *res;
	int err = cj_db_exec(m->db, &res, logged_sql, 2, params);

	*found = 0;
	if (err)
		return err;
	if (PQntuples(res) > 0) {
		*found = 1;
		m->r->already_imported = 1;
		m->r->import_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
		snprintf(m->r->imported_at, sizeof m->r->imported_at, "%s", PQgetvalue(res, 0, 1));
		m->r->vouchers = (size_t)strtoull(PQgetvalue(res, 0, 2), NULL, 10);
		m->r->batch_id = strtoll(PQgetvalue(res, 0, 3), NULL, 10);
	}
	PQclear(res);
	return 0;
}

/* Does the query return a row? */
static int
any_row(cj_db *db, const char *sql, int nparams, const char *const *params, int *found)
{
	PGresult *res;
	int err = cj_db_exec(db, &res, sql, nparams, params);

	*found = 0;
	if (err)
		return err;
	*found = PQntuples(res) > 0 && strcmp(PQgetvalue(res, 0, 0), "0");
	PQclear(res);
	return 0;
}

/* The boolean the query returns. */
static int
ask(cj_db *db, const char *sql, int *yes)
{
	PGresult *res;
	int err = cj_db_exec(db, &res, sql, 0, NULL);

	*yes = 0;
	if (err)
		return err;
	*yes = PQntuples(res) > 0 && !strcmp(PQgetvalue(res, 0, 0), "t");
	PQclear(res);
	return 0;
}

/*
 * Check what needs the books; CJ_EINVAL (every problem reported) when the
 * file has problems.  Each check is a cheap yes or no; only a file with
 * problems pays for the query that lists them all.
 */
static int
check(imp *m)
{
	char *ids = NULL, *keys = NULL;
	const char *params[3];
	int err = 0, found, problems = m->local_errors > 0 || m->voucher_problem;

	if (m->maybe_split) {
		err = merge_fragments(m);
		if (!err)
			err = any_row(m->db, voucher_problem_sql, 0, NULL, &found);
		if (err)
			return err;
		problems |= found;
	}
	/* accounts */
	if (pair_arrays(&m->accounts, &ids, &keys))
		err = fail(m, CJ_ENOMEM, "out of memory");
	params[0] = m->kind;
	params[1] = ids;
	params[2] = keys;
	if (!err)
		err = exec(m, accounts_sql, 3, params);
	if (!err)
		err = any_row(m->db, "SELECT count(*) FROM cj_import_badacct", 0, NULL, &found);
	problems |= !err && found;
	free(ids);
	free(keys);
	/* closed months */
	if (!err && pair_arrays(&m->months, &ids, &keys))
		err = fail(m, CJ_ENOMEM, "out of memory");
	params[0] = ids;
	params[1] = keys;
	if (!err)
		err = any_row(m->db, closed_sql, 2, params, &found);
	problems |= !err && found;
	free(ids);
	free(keys);
	/* external ids already posted, or twice in the file */
	if (!err)
		err = any_row(m->db, any_external_sql, 0, NULL, &found);
	if (!err && found) {
		m->any_existing = 1;
		err = exec(m, existing_sql, 0, NULL);
		if (!err)
			err = any_row(m->db, mismatch_sql, 0, NULL, &found);
		problems |= !err && found;
	}
	if (!err && (m->any_ext || m->maybe_split)) {
		err = any_row(m->db, dup_ext_sql, 0, NULL, &found);
		problems |= !err && found;
	}
	if (!err && m->opening) {
		err = any_row(m->db, opening_exists_sql, 0, NULL, &found);
		problems |= !err && found;
	}
	if (!err && problems)
		err = list_errors(m);
	if (!err && m->r->nproblems)
		err = CJ_EINVAL;
	return err;
}

/* Append "," (unless first) and a number to an array literal being built. */
static int
array_i64(gbuf *g, int64_t v)
{
	char b[32];
	size_t n = 0;

	if (g->len > 1)
		b[n++] = ',';
	n += cj_i64_text(b + n, v);
	return gbuf_put(g, b, n);
}

/* Reserve the numbers of ng months (and nids ids into ids) on db, and (the
 * staging path: in_table) note each month's numbers in cj_import_counter for
 * the summary; the direct path keeps them in its lanes. */
static int
number_groups(imp *m, cj_db *db, cgroup *g, size_t ng, int64_t *ids, size_t nids, int in_table)
{
	cj_numbers *nums = calloc(ng ? ng : 1, sizeof *nums);
	gbuf a[6];
	const char *p[6];
	int err = 0, bad = 0;

	memset(a, 0, sizeof a);
	if (!nums)
		return cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
	for (size_t i = 0; i < ng; i++) {
		nums[i].village_id = g[i].village_id;
		nums[i].month = g[i].month;
		nums[i].count = g[i].n;
	}
	err = cj_numbers_reserve(db, nums, ng, ids, nids);
	for (size_t i = 0; !err && i < ng; i++)
		g[i].base = nums[i].base;
	if (err || !in_table) {
		free(nums);
		return err;
	}
	for (int k = 0; k < 6; k++)
		bad |= gbuf_put(&a[k], "{", 1);
	for (size_t i = 0; !err && i < ng; i++) {
		char month[16];
		int n = snprintf(month, sizeof month, "%s%04d-%02d-01", a[1].len > 1 ? "," : "",
				 g[i].month.year, g[i].month.month);
		bad |= array_i64(&a[0], g[i].village_id) | gbuf_put(&a[1], month, (size_t)n) |
		       array_i64(&a[2], g[i].base) | array_i64(&a[3], g[i].n) |
		       array_i64(&a[4], g[i].lines) | array_i64(&a[5], g[i].debit);
	}
	for (int k = 0; k < 6; k++) {
		bad |= gbuf_put(&a[k], "}", 2); /* with the terminating NUL */
		p[k] = a[k].p;
	}
	if (!err && bad)
		err = fail(m, CJ_ENOMEM, "out of memory");
	if (!err)
		err = exec(m, counter_insert_sql, 6, p);
	for (int k = 0; k < 6; k++)
		free(a[k].p);
	free(nums);
	return err;
}

/* The staging path's months to number, from the vouchers it staged. */
static int
staged_groups(imp *m, cgroup **out, size_t *nout)
{
	PGresult *res;
	int err = cj_db_exec(m->db, &res, groups_sql, 0, NULL);
	int n;

	*out = NULL;
	*nout = 0;
	if (err)
		return err;
	n = PQntuples(res);
	*out = calloc(n ? (size_t)n : 1, sizeof **out);
	if (!*out) {
		PQclear(res);
		return fail(m, CJ_ENOMEM, "out of memory");
	}
	for (int i = 0; i < n; i++) {
		cgroup *g = &(*out)[i];
		g->village_id = atoi(PQgetvalue(res, i, 0));
		if (cj_period_parse(&g->month, PQgetvalue(res, i, 1)))
			err = fail(m, CJ_ERROR, "a month the database gave: %s", PQgetvalue(res, i, 1));
		g->n = atoi(PQgetvalue(res, i, 2));
		g->lines = strtoll(PQgetvalue(res, i, 3), NULL, 10);
		g->debit = strtoll(PQgetvalue(res, i, 4), NULL, 10);
	}
	*nout = (size_t)n;
	PQclear(res);
	return err;
}

/* Where review is required: the staged vouchers saved as one batch of
 * drafts (m->r->batch_id) instead of posted. */
static int
save_drafts(imp *m)
{
	PGresult *res;
	char batch[24];
	const char *params[3] = {m->kind, m->opening ? "期初余额" : "", batch};
	const char *sp[1] = {m->any_existing ? "t" : "f"};
	int err = cj_db_exec(m->db, &res, draft_batch_sql, 0, NULL);

	if (err)
		return err;
	m->r->batch_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	snprintf(batch, sizeof batch, "%" PRId64, m->r->batch_id);
	err = exec(m, draft_ids_sql, 0, NULL);
	if (!err)
		err = exec(m, draft_bulk_on_sql, 0, NULL);
	if (!err)
		err = exec(m, insert_draft_sql, 3, params);
	progress(m, "saving drafts", 3, 4);
	if (!err)
		err = exec(m, insert_draft_line_sql, 1, params + 1);
	if (!err)
		err = exec(m, draft_bulk_off_sql, 0, NULL);
	if (!err)
		err = read_summary(m, draft_summary_sql, 1, sp);
	return err;
}

static int
post(imp *m)
{
	cgroup *groups = NULL;
	size_t ng = 0, nids = (size_t)m->vseq;
	int64_t *ids = calloc(nids ? nids : 1, sizeof *ids);
	gbuf idtext = {NULL, 0, 0};
	char first[24] = "";
	int dense = 1;
	const char *params[4];
	int err = 0;

	if (!ids)
		return fail(m, CJ_ENOMEM, "out of memory");
	if (m->review) {
		int found;
		err = ask(m->db, review_staged_sql, &found);
		if (!err && found) {
			free(ids);
			return save_drafts(m);
		}
	}
	if (!err)
		err = exec(m, counter_table_sql, 0, NULL);
	if (!err)
		err = staged_groups(m, &groups, &ng);
	/* an id for each fragment read, found by its vseq */
	if (!err)
		err = number_groups(m, m->db, groups, ng, ids, nids, 1);
	for (size_t i = 1; !err && dense && i < nids; i++)
		dense = ids[i] == ids[0] + (int64_t)i;
	if (!err && dense) {
		cj_i64_text(first, nids ? ids[0] : 1);
	} else if (!err) {
		int bad = gbuf_put(&idtext, "{", 1);
		for (size_t i = 0; i < nids; i++)
			bad |= array_i64(&idtext, ids[i]);
		if (bad | gbuf_put(&idtext, "}", 2))
			err = fail(m, CJ_ENOMEM, "out of memory");
	}
	params[0] = m->kind;
	params[1] = m->opening ? "期初余额" : "";
	params[2] = first[0] ? first : NULL;
	params[3] = idtext.p;
	/* C numbered the vouchers unless they were merged, some are already
	 * posted, or a month's dates were out of order */
	if (!err)
		err = exec(m, m->maybe_split || m->any_existing || m->seq_bad ? insert_voucher_counted_sql
									      : insert_voucher_sql,
			   4, params);
	progress(m, "posting", 3, 4);
	params[0] = m->opening ? "期初余额" : "";
	params[1] = params[2];
	params[2] = params[3];
	if (!err)
		err = exec(m, insert_line_sql, 3, params);
	if (!err) {
		const char *sp[1] = {m->any_existing ? "t" : "f"};
		err = read_summary(m, summary_sql, 1, sp);
	}
	free(groups);
	free(ids);
	free(idtext.p);
	return err;
}

/* ------------------------------------------------------------------------ */
/*
 * The direct path
 *
 * A county's file usually lists each village's vouchers by month and
 * 凭证号 (one village after another, or interleaved by date) and has no
 * problem in it.  For such a file the staging tables are pure cost: here C
 * sends the vouchers and lines straight into voucher and voucher_line with
 * binary COPY while it goes on reading, in chunks of about CHUNK_LINES lines
 * (cut between any two vouchers; a village's month may span chunks, each
 * chunk numbering its part after the chunks before, in date order then
 * file order: number_by_date).  A worker thread owns
 * the connection meanwhile.  For each chunk it asks the books what C cannot
 * know (the accounts, whether a month is closed or already has imported
 * vouchers), reserves the chunk's voucher numbers and ids (cj_numbers_reserve,
 * as every path does), and sends the two COPYs; their statement triggers check every rule, as for
 * any posting.  Anything out of the ordinary (a problem in a row or a
 * voucher, a voucher split across the file, a month's dates going back
 * past the end of a chunk, a month with vouchers imported before, a chunk over CHUNK_MAX_BYTES, any
 * refusal by the database: an 外部编号 posted before or given twice is one,
 * by the unique index of external ids) and the direct path gives up, saying
 * why: the transaction is rolled back and the file is read again through
 * the staging path, which lists every problem or handles the case.  Both paths
 * post the same vouchers with the same numbers and content hashes.
 */

#define CHUNK_LINES 24000
#define CHUNK_MAX_BYTES ((size_t)64 << 20) /* vouchers this big (KB-long texts): stage */


typedef struct vslot { /* a voucher in a chunk, for numbering by date */
	size_t at;     /* its record in chunk.vouchers */
	uint32_t group;
	uint32_t day;  /* yyyymmdd */
	uint32_t k;    /* its place in the chunk */
} vslot;

typedef struct chunk {
	gbuf vouchers;   /* per voucher: u32 group, u32 size, its COPY binary tuple */
	gbuf lines;      /* per line: u32 size, its COPY binary tuple */
	gbuf accounts;   /* "village_id \t code \n" first seen while this chunk filled */
	gbuf months;     /* "village_id \t YYYY-MM \n" likewise */
	cgroup *groups;
	size_t ngroups, gcap;
	vslot *slots; /* one per voucher */
	size_t slotcap;
	int64_t *ids;  /* the worker's: the vouchers' ids, drawn for the chunk */
	size_t idcap;
	int unordered; /* some village's dates go back within a month */
	int nvouchers;
	size_t nlines;
} chunk;

/* A connection of the direct path, its worker and its two chunks.  Lane 0
 * posts on the import's own connection; a parallel import (opts.jobs) opens
 * one more per lane and gives each village to one lane, so that a village's
 * numbers, counters and totals stay on one connection. */
typedef struct lane {
	struct direct *d;
	cj_db *db;
	pthread_t worker;
	int started;   /* its worker runs */
	int used;      /* it posted something */
	chunk ch[2];
	int fill;      /* the chunk C is filling */
	unsigned gen;  /* and its generation (village_ref.chunk_gen) */
	int busy[2];   /* sealed, not yet posted */
	int queue[2];  /* sealed chunks in order */
	int nqueued;
	cgroup *posted; /* the months it numbered, for the summary */
	size_t nposted, postedcap;
} lane;

typedef struct direct {
	imp *m;
	pthread_mutex_t mu; /* one for every lane */
	pthread_cond_t cv;
	lane *lanes;
	int nlanes;
	int next_lane; /* the lane of the next village seen */
	int finished;  /* C has read the file */
	int stop;      /* a worker gave up (or C did) */
	char why[200]; /* why */
} direct;

/* Binary COPY: the server takes integers and dates as they are instead of
 * parsing text (date_in is not cheap), a tenth of the COPY's time.  Each
 * tuple starts with the id, then (vouchers) the number, which the worker
 * writes in once it has reserved them. */
static const char direct_voucher_copy_sql[] =
	"COPY voucher (id, number, village_id, period, voucher_date, kind, summary, attachments,\n"
	"              external_id, content_hash, source_number, source_preparer)\n"
	"FROM STDIN WITH (FORMAT binary)";
static const char direct_line_copy_sql[] =
	"COPY voucher_line (voucher_id, village_id, line_no, period, account_code, debit_fen,\n"
	"                   credit_fen, summary, counterparty, fund_id, project_id)\n"
	"FROM STDIN WITH (FORMAT binary)";
#define VOUCHER_FIELDS 12
#define LINE_FIELDS 11
/* Row-level security refuses COPY FROM into voucher and voucher_line (schema
 * 0015); the COPYs run as cunji_import, a role that may only insert into
 * them and is not bound by the policies; the statement trigger
 * voucher_after_insert (voucher_access before schema 0037) checks that the
 * session's login may post in each village and each kind of voucher.  A
 * server where the role
 * cannot bypass the policies refuses the COPY, and the staging path, whose
 * INSERT ... SELECT the policies check, takes the file. */
static const char direct_as_importer_sql[] = "SET ROLE cunji_import";
static const char direct_as_login_sql[] = "RESET ROLE";

/* What the chunk needs from the books, as a count of what is wrong: accounts
 * ($1 villages, $2 codes) missing, parents or inactive; months ($3 villages,
 * $4 YYYY-MM), each asked once, the first time the file uses it, closed or
 * with an external id of this file's form ("YYYY-MM/凭证号") posted before.
 * external_id is in the "C" collation (0009), so the range is exactly the
 * ids that start with "YYYY-MM/". */
static const char direct_check_sql[] =
	"SELECT (SELECT count(*) FROM unnest($1::int[], $2::text[]) k(village_id, code)\n"
	"         WHERE NOT EXISTS (SELECT 1 FROM account a WHERE a.village_id = k.village_id\n"
	"                              AND a.code = k.code AND a.is_leaf AND a.active))\n"
	"     + (SELECT count(*) FROM unnest($3::int[], $4::text[]) g(village_id, month)\n"
	"         WHERE EXISTS (SELECT 1 FROM period_state p WHERE p.village_id = g.village_id\n"
	"                          AND p.period = to_date(g.month, 'YYYY-MM') AND p.closed)\n"
	"            OR EXISTS (SELECT 1 FROM fiscal_year f WHERE f.village_id = g.village_id\n"
	"                          AND f.year = left(g.month, 4)::integer)\n"
	"            OR EXISTS (SELECT 1 FROM voucher x WHERE x.village_id = g.village_id\n"
	"                          AND x.external_id >= g.month || '/'\n"
	"                          AND x.external_id < g.month || '0'))";

/* The direct path cannot take this file: say why once (the first reason),
 * for result->staged_why; the staging path reads the file again. */
static void
give_up(imp *m, const char *fmt, ...)
{
	va_list ap;

	if (!m->abandon) {
		va_start(ap, fmt);
		vsnprintf(m->r->staged_why, sizeof m->r->staged_why, fmt, ap);
		va_end(ap);
	}
	m->abandon = 1;
}

static void
chunk_reset(chunk *c)
{
	c->vouchers.len = c->lines.len = c->accounts.len = c->months.len = 0;
	c->ngroups = 0;
	c->nvouchers = 0;
	c->nlines = 0;
	c->unordered = 0;
}

static void
chunk_free(chunk *c)
{
	free(c->vouchers.p);
	free(c->lines.p);
	free(c->accounts.p);
	free(c->months.p);
	free(c->groups);
	free(c->slots);
	free(c->ids);
}

/* The village's lane: the next one, the first time it is seen. */
static lane *
lane_of(direct *d, village_ref *v)
{
	if (!v->lane_set) {
		v->lane_set = 1;
		v->lane = d->next_lane;
		d->next_lane = (d->next_lane + 1) % d->nlanes;
	}
	return &d->lanes[v->lane];
}

/* An account or a month the file uses, first seen now: the chunk being
 * filled for its village asks about it. */
static void
direct_pair(imp *m, int month, village_ref *v, const char *key)
{
	lane *l = lane_of(m->d, v);
	chunk *c = &l->ch[l->fill];
	gbuf *g = month ? &c->months : &c->accounts;
	char b[24];
	size_t n = cj_i64_text(b, v->id);

	b[n++] = '\t';
	if (gbuf_put(g, b, n) || gbuf_put(g, key, strlen(key)) || gbuf_put(g, "\n", 1))
		m->oom = 1;
}

static uint64_t
be_get(const char *p, int bytes)
{
	uint64_t v = 0;

	for (int i = 0; i < bytes; i++)
		v = v << 8 | (unsigned char)p[i];
	return v;
}

static void
be_set(char *p, uint64_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		p[i] = (char)(v >> (8 * (bytes - 1 - i)));
}

static int
slot_cmp(const void *a, const void *b)
{
	const vslot *x = a, *y = b;

	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return (x->k > y->k) - (x->k < y->k);
}

/* A month's vouchers are numbered in date order, then file order.  C gave
 * them their numbers in file order; where a village's dates go back within
 * a month of this chunk, the numbers are put right here (the numbers sit
 * in each record after the group, the size, the field count and the id).
 * Across the end of a chunk they cannot be: direct_voucher gives up. */
static void
number_by_date(chunk *c)
{
	uint32_t group = UINT32_MAX, number = 0;

	qsort(c->slots, (size_t)c->nvouchers, sizeof *c->slots, slot_cmp);
	for (int i = 0; i < c->nvouchers; i++) {
		const vslot *s = &c->slots[i];
		number = s->group == group ? number + 1 : 1;
		group = s->group;
		be_set(c->vouchers.p + s->at + 8 + 18, number, 4);
	}
}

/* Hand the chunk C filled to the lane's worker, and wait until the lane's
 * other one is free to fill. */
static void
seal_chunk(imp *m, lane *l)
{
	direct *d = m->d;
	chunk *c = &l->ch[l->fill];

	if (c->unordered)
		number_by_date(c);
	for (size_t i = 0; i < c->ngroups; i++) {
		village_ref *v = c->groups[i].v;
		v->sealed_set = 1;
		v->sealed_month = c->groups[i].month;
		v->sealed_last = c->groups[i].last;
	}

	pthread_mutex_lock(&d->mu);
	l->busy[l->fill] = 1;
	l->queue[l->nqueued++] = l->fill;
	pthread_cond_broadcast(&d->cv);
	l->fill ^= 1;
	l->gen++;
	while (l->busy[l->fill] && !d->stop)
		pthread_cond_wait(&d->cv, &d->mu);
	if (d->stop)
		give_up(m, "%s", d->why);
	pthread_mutex_unlock(&d->mu);
	if (!m->abandon)
		chunk_reset(&l->ch[l->fill]);
}

/* COPY binary fields (network byte order), appended to a chunk buffer. */
static void
be_put(imp *m, gbuf *g, uint64_t v, int bytes)
{
	/* written in place: a memcpy call per field cost more than the field */
	if (g->len + (size_t)bytes + 1 > g->cap &&
	    cj_grow((void **)&g->p, &g->cap, g->len + (size_t)bytes + 1, 1)) {
		m->oom = 1;
		return;
	}
	for (int i = 0; i < bytes; i++)
		g->p[g->len + (size_t)i] = (char)(v >> (8 * (bytes - 1 - i)));
	g->len += (size_t)bytes;
}

static void
bin_int(imp *m, gbuf *g, int64_t v, int bytes) /* a smallint, integer or bigint field */
{
	be_put(m, g, (uint64_t)bytes, 4);
	be_put(m, g, (uint64_t)v, bytes);
}

static void
bin_text(imp *m, gbuf *g, const char *s) /* NULL: SQL NULL */
{
	size_t n = s ? strlen(s) : 0;

	be_put(m, g, s ? (uint64_t)n : (uint64_t)0xffffffffu, 4);
	if (s && gbuf_put(g, s, n))
		m->oom = 1;
}

/* A date field: days since 2000-01-01 (the civil-from-days inverse, as in
 * Howard Hinnant's date algorithms). */
static void
bin_date(imp *m, gbuf *g, int year, int month, int day)
{
	int y = year - (month <= 2);
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	int64_t days = (int64_t)era * 146097 + doe - 719468; /* since 1970-01-01 */

	bin_int(m, g, days - 10957, 4); /* 2000-01-01 is day 10957 */
}

/* Start a tuple: room for its size (filled by bin_end), its field count. */
static size_t
bin_begin(imp *m, gbuf *g, int fields)
{
	size_t at = g->len;

	be_put(m, g, 0, 4);
	be_put(m, g, (uint64_t)fields, 2);
	return at;
}

static void
bin_end(gbuf *g, size_t at)
{
	uint32_t n = (uint32_t)(g->len - at - 4);

	if (at + 4 <= g->len)
		for (int i = 0; i < 4; i++)
			g->p[at + (size_t)i] = (char)(n >> (8 * (3 - i)));
}

/* A whole voucher, every check C can make passed: into the chunk. */
static void
direct_voucher(imp *m, int64_t debit, const char *summary, const char *ext, const char *hash)
{
	const fragment *f = &m->frag;
	village_ref *v = f->v;
	lane *l = lane_of(m->d, v);
	chunk *c = &l->ch[l->fill];
	cj_period month = v->seq_month; /* the voucher's, set by flush_fragment */
	cgroup *g;
	size_t at;
	int k;

	if (c->nlines >= CHUNK_LINES) {
		seal_chunk(m, l);
		if (m->abandon)
			return;
		c = &l->ch[l->fill];
	}
	if (c->vouchers.len + c->lines.len > CHUNK_MAX_BYTES) {
		give_up(m, _("vouchers too big for a chunk"));
		return;
	}
	/* the village's month in this chunk: numbered after the chunks before */
	if (v->chunk_gen != l->gen || cj_period_cmp(c->groups[v->chunk_group].month, month)) {
		if (cj_grow((void **)&c->groups, &c->gcap, c->ngroups + 1, sizeof *c->groups)) {
			give_up(m, _("out of memory"));
			return;
		}
		v->chunk_gen = l->gen;
		v->chunk_group = c->ngroups++;
		g = &c->groups[v->chunk_group];
		memset(g, 0, sizeof *g);
		g->village_id = v->id;
		g->v = v;
		g->month = month;
		g->last = v->seq_date;
	}
	g = &c->groups[v->chunk_group];
	if (v->sealed_set && !cj_period_cmp(v->sealed_month, month) &&
	    date_cmp(&v->seq_date, &v->sealed_last) < 0) {
		give_up(m, _("village %s's dates go back within a month, across two chunks (at 凭证号 %s)"),
			f->village, f->vno);
		return;
	}
	if (date_cmp(&v->seq_date, &g->last) < 0)
		c->unordered = 1;
	else
		g->last = v->seq_date;
	if (cj_grow((void **)&c->slots, &c->slotcap, (size_t)c->nvouchers + 1, sizeof *c->slots)) {
		give_up(m, _("out of memory"));
		return;
	}
	k = c->nvouchers++;
	c->slots[k].at = c->vouchers.len;
	c->slots[k].group = (uint32_t)v->chunk_group;
	c->slots[k].day = (uint32_t)(v->seq_date.year * 10000 + v->seq_date.month * 100 +
				     v->seq_date.day);
	c->slots[k].k = (uint32_t)k;
	be_put(m, &c->vouchers, v->chunk_group, 4);
	at = bin_begin(m, &c->vouchers, VOUCHER_FIELDS);
	bin_int(m, &c->vouchers, k, 8);     /* the id: k of the chunk's block */
	bin_int(m, &c->vouchers, ++g->n, 4); /* the number: after the group's base */
	bin_int(m, &c->vouchers, v->id, 4);
	bin_date(m, &c->vouchers, month.year, month.month, 1);
	bin_date(m, &c->vouchers, v->seq_date.year, v->seq_date.month, v->seq_date.day);
	bin_text(m, &c->vouchers, "normal");
	bin_text(m, &c->vouchers, summary);
	bin_int(m, &c->vouchers, 0, 4);
	bin_text(m, &c->vouchers, ext);
	bin_text(m, &c->vouchers, hash);
	bin_text(m, &c->vouchers, m->opening ? NULL : f->vno);
	bin_text(m, &c->vouchers, f->preparer[0] ? f->preparer : NULL);
	bin_end(&c->vouchers, at);
	for (size_t i = 0; i < f->n; i++) {
		const frow *r = &f->rows[i];
		const char *ls = str_at(m, r->summary);

		at = bin_begin(m, &c->lines, LINE_FIELDS);
		bin_int(m, &c->lines, k, 8);
		bin_int(m, &c->lines, v->id, 4);
		bin_int(m, &c->lines, (int64_t)i + 1, 2);
		bin_date(m, &c->lines, month.year, month.month, 1);
		bin_text(m, &c->lines, str_at(m, r->account));
		bin_int(m, &c->lines, r->debit, 8);
		bin_int(m, &c->lines, r->credit, 8);
		bin_text(m, &c->lines, ls ? ls : summary);
		bin_text(m, &c->lines, str_at(m, r->counterparty));
		if (r->fund_id)
			bin_int(m, &c->lines, r->fund_id, 8);
		else
			bin_text(m, &c->lines, NULL);
		if (r->project_id)
			bin_int(m, &c->lines, r->project_id, 8);
		else
			bin_text(m, &c->lines, NULL);
		bin_end(&c->lines, at);
	}
	g->lines += (int64_t)f->n;
	c->nlines += f->n;
	if (__builtin_add_overflow(g->debit, debit, &g->debit))
		give_up(m, _("village %s's debits in a month add up to more than can be counted"),
			f->village);
	if (m->oom)
		give_up(m, _("out of memory"));
}

/* A pair list ("village_id \t key \n" ...) as two array literals' items. */
static int
pair_items(const gbuf *list, gbuf *ids, gbuf *keys)
{
	int bad = 0;

	for (const char *p = list->p, *end = p ? p + list->len : NULL; p && p < end;) {
		const char *tab = memchr(p, '\t', (size_t)(end - p));
		const char *nl = memchr(tab, '\n', (size_t)(end - tab));
		if (ids->len > 1)
			bad |= gbuf_put(ids, ",", 1) | gbuf_put(keys, ",", 1);
		bad |= gbuf_put(ids, p, (size_t)(tab - p));
		bad |= gbuf_put(keys, tab + 1, (size_t)(nl - tab - 1)); /* digits and '-' only */
		p = nl + 1;
	}
	return bad;
}

/* Array literals for direct_check_sql: the chunk's new accounts (0, 1)
 * and months (2, 3). */
#define CHUNK_ARRAYS 4

static int
chunk_arrays(const chunk *c, gbuf a[CHUNK_ARRAYS])
{
	int bad = 0;

	for (int i = 0; i < CHUNK_ARRAYS; i++)
		bad |= gbuf_put(&a[i], "{", 1);
	bad |= pair_items(&c->accounts, &a[0], &a[1]);
	bad |= pair_items(&c->months, &a[2], &a[3]);
	for (int i = 0; i < CHUNK_ARRAYS; i++)
		bad |= gbuf_put(&a[i], "}", 2); /* with the terminating NUL */
	return bad ? -1 : 0;
}

/* One binary COPY of the chunk's tuples, each given its id (and, for
 * vouchers, its number) on the way: the first field (after the field count
 * and its length) holds k, the second (vouchers) the number in its group. */
static int
send_records(cj_db *db, const char *sql, const gbuf *g, const chunk *c, int vouchers)
{
	static const char header[19] = "PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0";
	PGconn *conn = cj_db_conn(db);
	char out[65536];
	size_t n = sizeof header;
	int err = begin_copy(db, sql);

	memcpy(out, header, sizeof header);
	for (const char *p = g->p, *end = g->p + g->len; !err && p < end;) {
		size_t group = vouchers ? (size_t)be_get(p, 4) : 0, len;
		char *t;

		p += vouchers ? 4 : 0;
		len = (size_t)be_get(p, 4);
		p += 4;
		if (n + len + 2 > sizeof out) {
			if (PQputCopyData(conn, out, (int)n) != 1)
				err = cj_db_fail(db, CJ_EDB, _("COPY: %s"), PQerrorMessage(conn));
			n = 0;
		}
		if (len + 2 > sizeof out) { /* a huge voucher's tuple: patched in place */
			t = (char *)p;
		} else {
			t = out + n;
			memcpy(t, p, len);
			n += len;
		}
		/* field count (2), length (4), id (8), length (4), number (4) */
		be_set(t + 6, (uint64_t)c->ids[be_get(t + 6, 8)], 8);
		if (vouchers)
			be_set(t + 18, (uint64_t)(c->groups[group].base + (int64_t)be_get(t + 18, 4)), 4);
		if (t == p && !err && PQputCopyData(conn, t, (int)len) != 1)
			err = cj_db_fail(db, CJ_EDB, _("COPY: %s"), PQerrorMessage(conn));
		p += len;
	}
	if (!err) {
		out[n++] = (char)0xff; /* the trailer: a field count of -1 */
		out[n++] = (char)0xff;
		if (PQputCopyData(conn, out, (int)n) != 1)
			err = cj_db_fail(db, CJ_EDB, _("COPY: %s"), PQerrorMessage(conn));
	}
	return end_copy(db, err);
}

/* The lane's worker: checks, numbers, ids, then the two COPYs, on the
 * lane's connection.  Nonzero: give up. */
static int
post_chunk(imp *m, lane *l, chunk *c)
{
	gbuf a[CHUNK_ARRAYS];
	const char *p[CHUNK_ARRAYS];
	int err, found = 0;

	if (!c->nvouchers)
		return 0;
	l->used = 1;
	memset(a, 0, sizeof a);
	err = chunk_arrays(c, a) ? CJ_ENOMEM : 0;
	for (int i = 0; i < CHUNK_ARRAYS && !err; i++)
		p[i] = a[i].p;
	if (!err && (c->accounts.len || c->months.len))
		err = any_row(l->db, direct_check_sql, 4, p, &found);
	if (!err && found)
		err = CJ_EINVAL; /* the staging path will say what */
	for (int i = 0; i < CHUNK_ARRAYS; i++)
		free(a[i].p);
	if (!err && (cj_grow((void **)&c->ids, &c->idcap, (size_t)c->nvouchers, sizeof *c->ids) ||
		     cj_grow((void **)&l->posted, &l->postedcap, l->nposted + c->ngroups,
			     sizeof *l->posted)))
		err = cj_db_fail(l->db, CJ_ENOMEM, _("out of memory"));
	if (!err)
		err = number_groups(m, l->db, c->groups, c->ngroups, c->ids, (size_t)c->nvouchers, 0);
	if (!err)
		err = cj_db_exec(l->db, NULL, direct_as_importer_sql, 0, NULL);
	if (!err)
		err = send_records(l->db, direct_voucher_copy_sql, &c->vouchers, c, 1);
	if (!err)
		err = send_records(l->db, direct_line_copy_sql, &c->lines, c, 0);
	if (!err)
		err = cj_db_exec(l->db, NULL, direct_as_login_sql, 0, NULL);
	if (!err) {
		memcpy(l->posted + l->nposted, c->groups, c->ngroups * sizeof *c->groups);
		l->nposted += c->ngroups;
	}
	return err;
}

static void *
worker_main(void *arg)
{
	lane *l = arg;
	direct *d = l->d;

	for (;;) {
		int b, err;

		pthread_mutex_lock(&d->mu);
		while (!l->nqueued && !d->finished && !d->stop)
			pthread_cond_wait(&d->cv, &d->mu);
		if (!l->nqueued || d->stop) {
			pthread_mutex_unlock(&d->mu);
			return NULL;
		}
		b = l->queue[0];
		l->queue[0] = l->queue[1];
		l->nqueued--;
		pthread_mutex_unlock(&d->mu);

		err = post_chunk(d->m, l, &l->ch[b]);

		pthread_mutex_lock(&d->mu);
		l->busy[b] = 0;
		if (err && !d->stop) {
			d->stop = 1;
			if (err == CJ_EINVAL)
				snprintf(d->why, sizeof d->why, _("the books: an account the village lacks, "
					 "a closed month, or a month with vouchers imported before"));
			else
				snprintf(d->why, sizeof d->why, _("the database: %s"), cj_db_errmsg(l->db));
		}
		pthread_cond_broadcast(&d->cv);
		pthread_mutex_unlock(&d->mu);
	}
}

/* What an import's transaction sets, on each of its connections: JIT
 * compiling the big set-based statements (and the triggers' queries over a
 * huge statement) costs a second or more each and buys nothing; sorts and
 * hashes of a county's year fit in memory; the staging tables have no
 * statistics, and hash joins are right for them. */
static int
txn_settings(cj_db *db)
{
	int err = cj_db_exec(db, NULL, "SET LOCAL jit = off", 0, NULL);

	if (!err)
		err = cj_db_exec(db, NULL, "SET LOCAL work_mem = '128MB'", 0, NULL);
	if (!err)
		err = cj_db_exec(db, NULL, "SET LOCAL enable_mergejoin = off", 0, NULL);
	return err;
}

/* n lanes: lane 0 on the import's connection (in its transaction), each
 * other one on a connection of its own, in a transaction begun here. */
static int
lanes_open(imp *m, direct *d, int n)
{
	d->m = m;
	d->lanes = calloc((size_t)n, sizeof *d->lanes);
	if (!d->lanes)
		return fail(m, CJ_ENOMEM, "out of memory");
	d->nlanes = n;
	for (int k = 0; k < n; k++) {
		lane *l = &d->lanes[k];
		int err = 0;

		l->d = d;
		l->gen = 1; /* village_ref.chunk_gen 0: no group yet */
		if (k == 0) {
			l->db = m->db;
			continue;
		}
		if ((err = cj_db_clone(m->db, &l->db)))
			return err;
		if (!(err = cj_db_begin(l->db)))
			err = txn_settings(l->db);
		if (err)
			return cj_db_fail_from(m->db, l->db, err);
	}
	return 0;
}

/* Roll back what is still open on the lanes' own connections, close them. */
static void
lanes_close(direct *d)
{
	for (int k = 0; k < d->nlanes; k++) {
		lane *l = &d->lanes[k];
		if (k > 0 && l->db) {
			cj_db_rollback(l->db);
			cj_db_close(l->db);
		}
		chunk_free(&l->ch[0]);
		chunk_free(&l->ch[1]);
		free(l->posted);
	}
	free(d->lanes);
	d->lanes = NULL;
	d->nlanes = 0;
}

/*
 * Read the file and post it on the direct path, over d's lanes.  m->abandon
 * set: it gave up (the caller rolls back and stages); otherwise the
 * vouchers are in, not committed, and the lanes hold what the summary needs.
 */
static int
direct_run(imp *m, direct *d)
{
	pthread_mutex_init(&d->mu, NULL);
	pthread_cond_init(&d->cv, NULL);
	m->d = d;
	for (int k = 0; k < d->nlanes; k++) {
		lane *l = &d->lanes[k];
		if (pthread_create(&l->worker, NULL, worker_main, l)) {
			give_up(m, _("no thread to post with"));
			break;
		}
		l->started = 1;
	}
	if (!m->abandon)
		read_rows(m);
	for (int k = 0; k < d->nlanes && !m->abandon; k++)
		if (d->lanes[k].ch[d->lanes[k].fill].nvouchers)
			seal_chunk(m, &d->lanes[k]);
	pthread_mutex_lock(&d->mu);
	d->finished = 1;
	if (m->abandon)
		d->stop = 1;
	pthread_cond_broadcast(&d->cv);
	pthread_mutex_unlock(&d->mu);
	progress(m, "posting", 3, 4);
	for (int k = 0; k < d->nlanes; k++)
		if (d->lanes[k].started)
			pthread_join(d->lanes[k].worker, NULL);
	if (d->stop)
		give_up(m, "%s", d->why);
	m->d = NULL;
	pthread_cond_destroy(&d->cv);
	pthread_mutex_destroy(&d->mu);
	return 0;
}

/* The summary of what the lanes posted (direct_summary_sql). */
static int
direct_summary(imp *m, const direct *d)
{
	gbuf a[6];
	const char *p[6];
	int bad = 0, err;

	memset(a, 0, sizeof a);
	for (int k = 0; k < 6; k++)
		bad |= gbuf_put(&a[k], "{", 1);
	for (int k = 0; k < d->nlanes; k++)
		for (size_t i = 0; i < d->lanes[k].nposted; i++) {
			const cgroup *g = &d->lanes[k].posted[i];
			char month[16];
			int n = snprintf(month, sizeof month, "%s%04d-%02d-01", a[1].len > 1 ? "," : "",
					 g->month.year, g->month.month);
			bad |= array_i64(&a[0], g->village_id) | gbuf_put(&a[1], month, (size_t)n) |
			       array_i64(&a[2], g->base) | array_i64(&a[3], g->n) |
			       array_i64(&a[4], g->lines) | array_i64(&a[5], g->debit);
		}
	for (int k = 0; k < 6; k++) {
		bad |= gbuf_put(&a[k], "}", 2); /* with the terminating NUL */
		p[k] = a[k].p;
	}
	err = bad ? fail(m, CJ_ENOMEM, "out of memory") : read_summary(m, direct_summary_sql, 6, p);
	for (int k = 0; k < 6; k++)
		free(a[k].p);
	return err;
}

/*
 * Commit the lanes' transactions in two phases (ledger/lib/twophase.c): each
 * is prepared, lane 0 (which holds import_log) first; the deferred checks
 * run at PREPARE, and a refusal there rolls every lane back.  Once all are
 * prepared the decision is recorded, then each is committed.  On return
 * no lane is in a transaction but those lanes_close rolls back.
 */
static int
commit_lanes(imp *m, direct *d, const char *prefix)
{
	char msg[1024];
	int err = 0;

	for (int k = 0; k < d->nlanes && !err; k++)
		if ((err = cj_2pc_prepare(d->lanes[k].db, prefix, k)) && k > 0)
			cj_db_fail_from(m->db, d->lanes[k].db, err);
	if (!err)
		err = cj_2pc_decide(m->db, prefix, d->nlanes);
	if (err) {
		snprintf(msg, sizeof msg, "%s", cj_db_errmsg(m->db));
		for (int k = 1; k < d->nlanes; k++)
			cj_db_rollback(d->lanes[k].db); /* those not prepared */
		if (cj_2pc_finish(m->db, prefix, d->nlanes, 0))
			note(m, "%s; cunji db recover rolls back what is left", cj_db_errmsg(m->db));
		return fail(m, err, "%s", msg);
	}
	err = cj_2pc_finish(m->db, prefix, d->nlanes, 1);
	if (err)
		return fail(m, err, "the import is decided, but not all of it is committed yet (%s); "
			    "cunji db recover commits the rest", cj_db_errmsg(m->db));
	return 0;
}

/* One attempt in one transaction (on the direct path, one per lane),
 * committed (unless a dry run) or rolled back: the direct path, or the
 * staging path.  The direct path may give up (m->abandon, nothing done). */
static int
attempt(imp *m, int direct_path)
{
	cj_db *db = m->db;
	cj_import_result *r = m->r;
	direct d;
	char num[6][32], prefix[CJ_2PC_PREFIX_MAX + 1];
	const char *lparams[11];
	char batch[24];
	int nlanes = direct_path ? m->lanes : 1;
	int two_phase = nlanes > 1 && !m->o->dry_run;
	int err, found = 0, in_txn = 0, locked = 0;

	memset(&d, 0, sizeof d);
	snprintf(prefix, sizeof prefix, "cunji-import-%s", r->file_hash);
	/* the coordinator's lock first: cj_db_recover leaves this import's
	 * prepared transactions to it while it lives */
	if (two_phase) {
		if ((err = cj_2pc_lock(db, prefix)))
			return err;
		locked = 1;
	}
	/* one transaction; a second import of the same file waits here */
	err = cj_db_begin(db);
	if (err)
		goto done;
	in_txn = 1;
	err = txn_settings(db);
	if (!err)
		err = cj_file_lock(db, r->file_hash);
	if (!err)
		err = already(m, &found);
	if (err || found)
		goto done;
	err = load_refs(m);
	if (!err && direct_path) {
		err = lanes_open(m, &d, nlanes);
		if (!err)
			err = direct_run(m, &d);
		if (err || m->abandon)
			goto done;
		err = direct_summary(m, &d);
	} else if (!err) {
		err = stage(m);
		if (!err) {
			progress(m, "checking", 1, 4);
			err = check(m);
		}
		if (!err) {
			progress(m, "posting", 2, 4);
			err = post(m);
		}
	}
	if (err)
		goto done;
	snprintf(num[0], sizeof num[0], "%zu", r->rows);
	snprintf(num[1], sizeof num[1], "%zu", r->vouchers);
	snprintf(num[2], sizeof num[2], "%zu", r->existing);
	snprintf(num[3], sizeof num[3], "%zu", r->lines);
	snprintf(num[4], sizeof num[4], "%zu", r->nvillages);
	snprintf(num[5], sizeof num[5], "%" PRId64, r->debit_fen);
	lparams[0] = m->opening ? "opening" : "vouchers";
	lparams[1] = m->name;
	lparams[2] = r->file_hash;
	lparams[3] = r->encoding;
	for (int i = 0; i < 6; i++)
		lparams[4 + i] = num[i];
	snprintf(batch, sizeof batch, "%" PRId64, r->batch_id);
	lparams[10] = r->batch_id ? batch : NULL;
	if (m->o->dry_run) {
		/* what COMMIT would check (cash and bank, the counters, every
		 * voucher with lines) runs now, so the dry run refuses what the
		 * real run would; then everything is rolled back */
		for (int k = 1; k < d.nlanes && !err; k++)
			if ((err = cj__check_deferred(d.lanes[k].db)) != 0)
				cj_db_fail_from(m->db, d.lanes[k].db, err);
		if (!err)
			err = cj__check_deferred(db);
	} else {
		PGresult *res;
		err = cj_db_exec(db, &res, log_sql, 11, lparams);
		if (err)
			goto done;
		r->import_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
		PQclear(res);
		progress(m, "committing", 4, 4);
		if (two_phase) {
			err = commit_lanes(m, &d, prefix);
			in_txn = 0; /* prepared, or rolled back */
		} else {
			err = cj_db_commit(db);
			if (!err)
				in_txn = 0;
		}
	}
done:
	if (in_txn)
		cj_db_rollback(db);
	lanes_close(&d);
	if (locked)
		cj_2pc_unlock(db, prefix);
	return err;
}

/* Free what an attempt allocated. */
static void
imp_release(imp *m)
{
	cj_sheet_close(m->sheet);
	m->sheet = NULL;
	if (m->vfile)
		fclose(m->vfile);
	m->vfile = NULL;
	free(m->copy.p);
	free(m->villages);
	free(m->funds);
	free(m->projects);
	free(m->sides);
	free(m->frag.rows);
	free(m->frag.arena);
	free(m->accounts.slots);
	free(m->months.slots);
	cj_vhash_free(&m->hash);
}

#define MAX_LANES 16

/* How many connections the direct path posts over: opts.jobs, or one per
 * CPU; more than one needs as many prepared transactions of the server
 * (max_prepared_transactions, 0 by default in PostgreSQL). */
static int
lanes_for(imp *m)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int jobs = m->o->jobs > 0 ? m->o->jobs : cpus > 0 ? (int)cpus : 1, slots;

	if (jobs > MAX_LANES)
		jobs = MAX_LANES;
	if (jobs == 1)
		return 1;
	if (cj_2pc_slots(m->db, &slots)) {
		cj_db_fail(m->db, 0, "%s", "");
		slots = 0;
	}
	if (slots < jobs)
		note(m, "the server allows %d prepared transaction%s (max_prepared_transactions): "
			"importing over %d connection%s instead of %d",
		     slots, slots == 1 ? "" : "s", slots > 1 ? slots : 1, slots > 1 ? "s" : "", jobs);
	return slots < jobs ? (slots > 1 ? slots : 1) : jobs;
}

static int
run(cj_db *db, const char *path, const cj_import_opts *opts, cj_import_result *r, int opening)
{
	static const cj_import_opts none;
	imp m;
	char err_text[600];
	int err;
	double t0 = now();

	memset(r, 0, sizeof *r);
	memset(&m, 0, sizeof m);
	m.db = db;
	m.o = opts ? opts : &none;
	m.r = r;
	m.opening = opening;
	m.kind = opening ? "opening" : "normal";
	m.name = m.o->name ? m.o->name : path;

	err = file_hash(&m, path);
	if (err)
		return err;
	if (cj_sheet_open_in(&m.sheet, path, m.o->sheet, err_text, sizeof err_text))
		return fail(&m, CJ_EIO, "%s: %s", m.name, err_text);
	snprintf(r->encoding, sizeof r->encoding, "%s", cj_sheet_encoding(m.sheet));

	/* Temporary tables get their own buffers, sized before the session first
	 * uses one; a session that already has keeps what it has. */
	if (cj_db_exec(db, NULL, "SET temp_buffers = '256MB'", 0, NULL))
		cj_db_fail(db, 0, "%s", ""); /* not an error: the session keeps its size */

	{
		int found = 0;
		if (ask(db, review_anywhere_sql, &found))
			return fail(&m, CJ_EDB, "%s", cj_db_errmsg(db));
		m.review = found;
	}
	r->staged = opening || m.o->staged || m.review;
	if (m.review && !opening && !m.o->staged)
		snprintf(r->staged_why, sizeof r->staged_why, "%s",
			 _("review is required in some county or township: the vouchers of its "
			 "villages are saved as drafts"));
	if (!r->staged)
		m.lanes = lanes_for(&m);
	/* prepared transactions a crashed import left hold their locks: settle
	 * them first (cunji's schema check does too) */
	if (m.lanes > 1 && cj_db_recover(db, NULL, NULL))
		cj_db_fail(db, 0, "%s", "");
	err = attempt(&m, !r->staged);
	if (!err && m.abandon) {
		/* the direct path gave up: read the file again, staged */
		cj_import_result keep = *r;
		imp fresh;

		imp_release(&m);
		memset(r, 0, sizeof *r);
		memcpy(r->encoding, keep.encoding, sizeof r->encoding);
		memcpy(r->file_hash, keep.file_hash, sizeof r->file_hash);
		memcpy(r->staged_why, keep.staged_why, sizeof r->staged_why);
		r->staged = 1;
		memset(&fresh, 0, sizeof fresh);
		fresh.db = db;
		fresh.o = m.o;
		fresh.r = r;
		fresh.opening = opening;
		fresh.kind = m.kind;
		fresh.name = m.name;
		fresh.no_notes = m.noted; /* the first reading gave them */
		fresh.review = m.review;
		cj_db_fail(db, 0, "%s", ""); /* what the direct path met is in staged_why */
		m = fresh;
		if (cj_sheet_open_in(&m.sheet, path, m.o->sheet, err_text, sizeof err_text))
			err = fail(&m, CJ_EIO, "%s: %s", m.name, err_text);
		else
			err = attempt(&m, 0);
	}
	if (err == CJ_EINVAL && !r->nproblems) /* a database refusal, not the file's problems */
		err = CJ_ERROR;
	if (err && err != CJ_EINVAL) {
		/* say which file; the database's message names the voucher */
		char msg[1100];
		snprintf(msg, sizeof msg, "%s", cj_db_errmsg(db));
		if (strncmp(msg, m.name, strlen(m.name)))
			cj_db_fail(db, err, "%s: %s", m.name, msg);
	}
	if (err == CJ_EINVAL)
		cj_db_fail(db, err, _("%s: %zu problem%s; nothing was imported"), m.name, r->nproblems,
			   r->nproblems == 1 ? "" : "s");
	imp_release(&m);
	r->seconds = now() - t0;
	return err;
}

int
cj_import_vouchers(cj_db *db, const char *path, const cj_import_opts *opts,
		   cj_import_result *result)
{
	return run(db, path, opts, result, 0);
}

int
cj_import_opening(cj_db *db, const char *path, const cj_import_opts *opts,
		  cj_import_result *result)
{
	return run(db, path, opts, result, 1);
}

void
cj_import_result_dispose(cj_import_result *result)
{
	if (!result)
		return;
	free(result->villages);
	result->villages = NULL;
	result->nvillages = 0;
}
