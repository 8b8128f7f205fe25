/*
 * anchor.c - anchors of the hash chains kept outside the database: the
 * office's Ed25519 key (OpenSSL), the signed anchor file, and the check of
 * an anchor against the chain now (docs/audit.md)
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <ledger/anchor.h>
#include <ledger/audit.h>
#include <ledger/buf.h>
#include <ledger/cluster.h>
#include <ledger/org.h>
#include <ledger/sql.h>
#include <ledger/i18n.h>

#define ANCHOR_MAGIC "cunji-anchors-v1"
#define FILE_MAX (16u << 20)

int
cj_chain_head_at(cj_db *db, int village_id, int64_t seq, char head[65])
{
	char vid[16], s[24];
	const char *params[2] = {vid, s};
	PGresult *res;
	int err;

	if (seq == 0) {
		memcpy(head, CJ_CHAIN_GENESIS, 65);
		return 0;
	}
	snprintf(vid, sizeof vid, "%d", village_id);
	snprintf(s, sizeof s, "%lld", (long long)seq);
	if ((err = cj_db_exec(db, &res, "SELECT hash FROM chain_link WHERE village_id = $1 AND seq = $2",
			      2, params)))
		return err;
	err = PQntuples(res) ? 0 : CJ_ENOTFOUND;
	if (!err)
		snprintf(head, 65, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	return err;
}

/* ---- the key ---- */

static void
hex(char *out, const unsigned char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

static int
unhex(unsigned char *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned v;

		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (unsigned char)v;
	}
	return s[2 * n] && s[2 * n] != '\n' && s[2 * n] != ' ' ? -1 : 0;
}

int
cj_anchor_key_path(char *buf, size_t size, char *err, size_t errlen)
{
	char home[4096];

	if (cj_cluster_home(home, sizeof home, err, errlen))
		return CJ_EREFUSED;
	if ((size_t)snprintf(buf, size, "%s/office-ed25519.pem", home) >= size) {
		snprintf(err, errlen, _("the home %s is too long a path"), home);
		return CJ_EINVAL;
	}
	return 0;
}

static int
public_hex(EVP_PKEY *k, char pub[65])
{
	unsigned char raw[32];
	size_t len = sizeof raw;

	if (EVP_PKEY_get_raw_public_key(k, raw, &len) != 1 || len != 32)
		return -1;
	hex(pub, raw, 32);
	return 0;
}

static EVP_PKEY *
load_key(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	EVP_PKEY *k;

	if (!f) {
		snprintf(err, errlen, _("no office key at %s (make one with: cunji audit key new)"), path);
		return NULL;
	}
	k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	if (!k || EVP_PKEY_get_id(k) != EVP_PKEY_ED25519) {
		EVP_PKEY_free(k);
		snprintf(err, errlen, _("%s is not an Ed25519 private key"), path);
		return NULL;
	}
	return k;
}

int
cj_anchor_key_new(const char *path, int replace, char pub[65], char *err, size_t errlen)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, NULL);
	EVP_PKEY *k = NULL;
	char tmp[4200];
	FILE *f = NULL;
	int fd, rc = CJ_ERROR;

	if (!replace && access(path, F_OK) == 0) {
		EVP_PKEY_free(k);
		EVP_PKEY_CTX_free(ctx);
		snprintf(err, errlen, _("%s already holds the office key (replacing it: --replace; "
			 "anchor files signed with it then need its public key to be checked)"), path);
		return CJ_EEXISTS;
	}
	if (!ctx || EVP_PKEY_keygen_init(ctx) != 1 || EVP_PKEY_keygen(ctx, &k) != 1 || public_hex(k, pub)) {
		snprintf(err, errlen, _("OpenSSL cannot make an Ed25519 key"));
		goto done;
	}
	/* written beside it with mode 0600 from the start, then renamed over */
	snprintf(tmp, sizeof tmp, "%s.part", path);
	unlink(tmp);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600)) < 0 || !(f = fdopen(fd, "w"))) {
		snprintf(err, errlen, _("cannot write %s: %s"), tmp, strerror(errno));
		if (fd >= 0)
			close(fd);
		rc = CJ_EIO;
		goto done;
	}
	if (PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL) != 1 || fclose(f) != 0 ||
	    rename(tmp, path) != 0) {
		f = NULL;
		unlink(tmp);
		snprintf(err, errlen, _("cannot write %s"), path);
		rc = CJ_EIO;
		goto done;
	}
	f = NULL;
	rc = 0;
done:
	if (f)
		fclose(f);
	EVP_PKEY_free(k);
	EVP_PKEY_CTX_free(ctx);
	return rc;
}

int
cj_anchor_key_public(const char *path, char pub[65], char *err, size_t errlen)
{
	EVP_PKEY *k = load_key(path, err, errlen);
	int rc;

	if (!k)
		return CJ_ENOTFOUND;
	rc = public_hex(k, pub) ? CJ_ERROR : 0;
	EVP_PKEY_free(k);
	return rc;
}

/* ---- the file ---- */

/* Each village's head and the time of its last link, in one snapshot. */
static const char export_sql[] =
	"SELECT to_char(l.at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')\n"
	"  FROM chain_link l WHERE l.village_id = $1 AND l.seq = $2";

int
cj_anchor_export(cj_db *db, const char *org_code, const char *key_path, char **out)
{
	char err[512], pub[65], sig_hex[129], now[32];
	unsigned char sig[64];
	size_t siglen = sizeof sig, n = 0;
	cj_chain_head *heads = NULL;
	EVP_MD_CTX *md = NULL;
	EVP_PKEY *k;
	cj_buf t = {0};
	time_t clock = time(NULL);
	struct tm tm;
	int rc;

	*out = NULL;
	if (!(k = load_key(key_path, err, sizeof err)))
		return cj_db_fail(db, CJ_ENOTFOUND, "%s", err);
	if (public_hex(k, pub)) {
		EVP_PKEY_free(k);
		return cj_db_fail(db, CJ_ERROR, _("%s: its public key cannot be read"), key_path);
	}
	if ((rc = cj_db_exec(db, NULL, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", 0, NULL)))
		goto done;
	if ((rc = cj_chain_heads(db, org_code, &heads, &n)))
		goto rollback;
	gmtime_r(&clock, &tm);
	strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
	cj__buf_printf(&t, "%s\norg %s\nmade %s\nkey ed25519 %s\n", ANCHOR_MAGIC, org_code, now, pub);
	for (size_t i = 0; i < n; i++) {
		char vid[16], seq[24], at[32] = "-";
		const char *params[2] = {vid, seq};
		PGresult *res;

		snprintf(vid, sizeof vid, "%d", heads[i].village_id);
		snprintf(seq, sizeof seq, "%lld", (long long)heads[i].seq);
		if (heads[i].seq > 0) {
			if ((rc = cj_db_exec(db, &res, export_sql, 2, params)))
				goto rollback;
			if (PQntuples(res))
				snprintf(at, sizeof at, "%s", PQgetvalue(res, 0, 0));
			PQclear(res);
		}
		cj__buf_printf(&t, "village %s seq %lld head %s at %s\n", heads[i].village_code,
		    (long long)heads[i].seq, heads[i].head, at);
	}
	if ((rc = cj_db_exec(db, NULL, "COMMIT", 0, NULL)))
		goto done;
	if (!cj__buf_ok(&t)) {
		rc = cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
		goto done;
	}
	if (!(md = EVP_MD_CTX_new()) || EVP_DigestSignInit(md, NULL, NULL, NULL, k) != 1 ||
	    EVP_DigestSign(md, sig, &siglen, (const unsigned char *)t.data, t.len) != 1) {
		rc = cj_db_fail(db, CJ_ERROR, _("OpenSSL cannot sign the anchor file"));
		goto done;
	}
	hex(sig_hex, sig, 64);
	cj__buf_printf(&t, "signature %s\n", sig_hex);
	if (!cj__buf_ok(&t)) {
		rc = cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
		goto done;
	}
	*out = t.data;
	t.data = NULL;
	goto done;
rollback:
	cj_db_rollback(db);
done:
	cj__buf_free(&t);
	free(heads);
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(k);
	return rc;
}

static void
finding(cj_anchor_finding_fn fn, void *payload, long *count, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void
finding(cj_anchor_finding_fn fn, void *payload, long *count, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	(*count)++;
	if (fn)
		fn(line, payload);
}

/*
 * Link seq of village code's chain now, into now; "" (and a finding) when
 * the village or the link is gone.  head, when not NULL, is what the anchor
 * says the link is: a different hash is a finding too.
 */
static int
link_now(cj_db *db, const char *code, int64_t seq, const char *head, char now[65],
	 cj_anchor_finding_fn fn, void *payload, long *findings)
{
	cj_chain_head h;
	cj_org v;
	int err = cj_org_find(db, code, &v);

	now[0] = '\0';
	if (err == CJ_ENOTFOUND || (!err && v.level != CJ_ORG_VILLAGE)) {
		finding(fn, payload, findings, _("village %s: anchored at link %lld, but there is no such "
			"village in these books"), code, (long long)seq);
		return 0;
	}
	if (err || (err = cj_chain_head_of(db, code, &h)))
		return err;
	if (h.seq < seq) {
		finding(fn, payload, findings, _("village %s: anchored at link %lld (head %.16s), but its "
			"chain now has only %lld links: links were removed"), code, (long long)seq,
			head ? head : "", (long long)h.seq);
		return 0;
	}
	if ((err = cj_chain_head_at(db, v.id, seq, now)) == CJ_ENOTFOUND) {
		now[0] = '\0';
		finding(fn, payload, findings, _("village %s: link %lld of its chain is missing"), code,
			(long long)seq);
		return 0;
	}
	if (err)
		return err;
	if (head && strcmp(now, head))
		finding(fn, payload, findings, _("village %s: link %lld of its chain is now %.16s, the anchor "
			"says %.16s: the history up to that link was rewritten"), code, (long long)seq, now,
			head);
	return 0;
}

/* The digest of a group anchor: one line per village, as in the anchor file. */
static int
heads_update(EVP_MD_CTX *md, const char *village, int64_t seq, const char *head)
{
	char line[160];
	int n = snprintf(line, sizeof line, "village %s seq %lld head %s\n", village, (long long)seq, head);

	return EVP_DigestUpdate(md, line, (size_t)n) == 1 ? 0 : -1;
}

static int
heads_final(EVP_MD_CTX *md, char out[65])
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	if (EVP_DigestFinal_ex(md, d, &n) != 1 || n != 32)
		return -1;
	hex(out, d, 32);
	return 0;
}

/* Each village of a group anchor's list at its link now, then their digest. */
static int
check_group(cj_db *db, const cj_anchor *a, cj_anchor_finding_fn fn, void *payload, long *findings)
{
	const char *p = strstr(a->text, " villages=");
	long before = *findings;
	char now[65], digest[65];
	EVP_MD_CTX *md;
	int err = 0;

	if (!p) {
		finding(fn, payload, findings, _("%s: this anchor (a QR code) holds only the digest of its %lld "
			"villages' heads: check the sheet's file instead (audit anchor verify --sheet FILE)"),
			a->org, (long long)a->seq);
		return 0;
	}
	if (!(md = EVP_MD_CTX_new()) || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(md);
		return cj_db_fail(db, CJ_ENOMEM, _("OpenSSL cannot compute SHA-256"));
	}
	for (p += strlen(" villages="); *p && *p != ' ' && !err;) {
		size_t n = strcspn(p, ", ");
		char item[64], code[128], *colon;
		long long seq;

		if (n >= sizeof item)
			n = sizeof item - 1;
		memcpy(item, p, n);
		item[n] = '\0';
		p += strcspn(p, ", ");
		p += *p == ',';
		if (!(colon = strchr(item, ':')) || sscanf(colon + 1, "%lld", &seq) != 1)
			continue; /* cj_anchor_parse let only well-formed lists through */
		*colon = '\0';
		snprintf(code, sizeof code, "%s%s", item[0] == '.' ? a->org : "",
			 item[0] == '.' ? item + 1 : item);
		if (!(err = link_now(db, code, seq, NULL, now, fn, payload, findings)) && now[0] &&
		    heads_update(md, code, seq, now))
			err = cj_db_fail(db, CJ_ENOMEM, _("OpenSSL cannot compute SHA-256"));
	}
	if (!err && heads_final(md, digest))
		err = cj_db_fail(db, CJ_ENOMEM, _("OpenSSL cannot compute SHA-256"));
	EVP_MD_CTX_free(md);
	if (!err && *findings == before && strcmp(digest, a->head))
		finding(fn, payload, findings, _("%s: the heads of its %lld villages at their anchored links "
			"now hash to %.16s, the anchor says %.16s: a village's history up to its anchored "
			"link was rewritten (its own sheets, or audit verify --anchors, name the village)"),
			a->org, (long long)a->seq, digest, a->head);
	return err;
}

int
cj_anchor_check(cj_db *db, const cj_anchor *a, cj_anchor_finding_fn fn, void *payload, long *findings)
{
	char now[65];

	if (a->org[0])
		return check_group(db, a, fn, payload, findings);
	return link_now(db, a->village, a->seq, a->head, now, fn, payload, findings);
}

int
cj_anchor_group(const char *org, const cj_anchor_head *heads, size_t n, const char *ident,
		cj_anchor *out)
{
	size_t olen = strlen(org), len;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	int64_t count = 0;
	int rc = CJ_ENOMEM;

	memset(out, 0, sizeof *out);
	if (olen >= sizeof out->org)
		goto done;
	memcpy(out->org, org, olen + 1);
	if (!md || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1)
		goto done;
	for (size_t i = 0; i < n; i++) {
		if (heads[i].seq <= 0)
			continue;
		if (heads_update(md, heads[i].village, heads[i].seq, heads[i].head))
			goto done;
		count++;
	}
	if (heads_final(md, out->head))
		goto done;
	out->seq = count;
	rc = CJ_EINVAL;
	len = (size_t)snprintf(out->text, sizeof out->text, "cunji-anchor-v1 org=%s heads=%s villages=", org,
			       out->head);
	for (size_t i = 0, k = 0; i < n && len < sizeof out->text; i++) {
		const cj_anchor_head *h = &heads[i];
		int prefixed = !strncmp(h->village, org, olen) && h->village[olen];

		if (h->seq > 0)
			len += (size_t)snprintf(out->text + len, sizeof out->text - len, "%s%s%s:%lld",
						k++ ? "," : "", prefixed ? "." : "",
						h->village + (prefixed ? olen : 0), (long long)h->seq);
	}
	if (len < sizeof out->text)
		len += (size_t)snprintf(out->text + len, sizeof out->text - len, " %s", ident);
	if (len < sizeof out->text)
		rc = 0;
done:
	EVP_MD_CTX_free(md);
	return rc;
}

void
cj_anchor_qr_text(const cj_anchor *a, size_t max, char *buf, size_t size)
{
	const char *list = strstr(a->text, " villages=");
	size_t before, after;

	if (strlen(a->text) <= max || !a->org[0] || !list) {
		snprintf(buf, size, "%s", a->text);
		return;
	}
	before = (size_t)(list - a->text);
	after = strcspn(list + 1, " ") + 1;
	snprintf(buf, size, "%.*s count=%lld%s", (int)before, a->text, (long long)a->seq,
		 list + after);
}

static int
read_all(const char *path, char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;

	*out = NULL;
	if (!f)
		return -1;
	if (!(buf = malloc(FILE_MAX + 1))) {
		fclose(f);
		return -1;
	}
	*len = fread(buf, 1, FILE_MAX, f);
	fclose(f);
	buf[*len] = '\0';
	*out = buf;
	return 0;
}

int
cj_anchor_check_file(cj_db *db, const char *path, const char *trusted_pub, cj_anchor_finding_fn fn,
		     void *payload, long *findings, long *checked)
{
	char *buf = NULL, *sigline, *key, *line, *save = NULL;
	unsigned char sig[64], pubraw[32];
	size_t len, signed_len;
	EVP_PKEY *pk = NULL;
	EVP_MD_CTX *md = NULL;
	int err = 0, good;

	*findings = *checked = 0;
	if (read_all(path, &buf, &len))
		return cj_db_fail(db, CJ_EIO, _("cannot read %s"), path);
	if (strncmp(buf, ANCHOR_MAGIC "\n", sizeof ANCHOR_MAGIC) || strlen(buf) != len ||
	    !(key = strstr(buf, "\nkey ed25519 ")) || !(sigline = strstr(buf, "\nsignature "))) {
		free(buf);
		return cj_db_fail(db, CJ_EINVAL, _("%s is not an anchor file of cunji (%s)"), path, ANCHOR_MAGIC);
	}
	signed_len = (size_t)(sigline - buf) + 1;
	if (unhex(pubraw, key + 13, 32) || unhex(sig, sigline + 11, 64)) {
		free(buf);
		return cj_db_fail(db, CJ_EINVAL, _("%s: its key or signature line is not hex"), path);
	}
	pk = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pubraw, 32);
	good = pk && (md = EVP_MD_CTX_new()) && EVP_DigestVerifyInit(md, NULL, NULL, NULL, pk) == 1 &&
	       EVP_DigestVerify(md, sig, 64, (const unsigned char *)buf, signed_len) == 1;
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(pk);
	if (!good)
		finding(fn, payload, findings, _("%s: the signature does not match its content: the file was "
			"changed after it was signed"), path);
	if (trusted_pub && strncmp(key + 13, trusted_pub, 64))
		finding(fn, payload, findings, _("%s: signed by key %.16s…, not by this office's key %.16s…"),
			path, key + 13, trusted_pub);
	buf[signed_len] = '\0';
	if ((err = cj_db_exec(db, NULL, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", 0, NULL))) {
		free(buf);
		return err;
	}
	for (line = strtok_r(buf, "\n", &save); line && !err; line = strtok_r(NULL, "\n", &save)) {
		cj_anchor a;
		long long seq;
		char code[40], head[65], at[40];
		long before = *findings;

		if (strncmp(line, "village ", 8))
			continue;
		if (sscanf(line, "village %39s seq %lld head %64s at %39s", code, &seq, head, at) != 4 ||
		    strlen(head) != 64) {
			finding(fn, payload, findings, _("%s: line '%s' is not an anchor"), path, line);
			continue;
		}
		memset(&a, 0, sizeof a);
		snprintf(a.village, sizeof a.village, "%s", code);
		a.seq = seq;
		memcpy(a.head, head, 65);
		err = cj_anchor_check(db, &a, fn, payload, findings);
		*checked += *findings == before;
	}
	if (err)
		cj_db_rollback(db);
	else
		err = cj_db_exec(db, NULL, "COMMIT", 0, NULL);
	free(buf);
	return err;
}

/* A group anchor's list: items [.]<digits>:<digits>, comma-separated; how many. */
static int
list_count(const char *p, int64_t *count)
{
	*count = 0;
	while (*p && *p != ' ') {
		size_t code = strspn(p + (*p == '.'), "0123456789") + (*p == '.'), seq;

		if (code == (size_t)(*p == '.') || p[code] != ':' || !(seq = strspn(p + code + 1, "0123456789")))
			return -1;
		p += code + 1 + seq;
		(*count)++;
		if (*p == ',')
			p++;
		else if (*p && *p != ' ')
			return -1;
	}
	return 0;
}

int
cj_anchor_qr_content(const cj_anchor *a, const char *base, size_t max, char *buf, size_t size)
{
	char text[CJ_ANCHOR_TEXT_MAX];
	size_t blen, len;

	if (!base || !*base) {
		cj_anchor_qr_text(a, max, buf, size);
		return strlen(buf) < size ? 0 : CJ_EINVAL;
	}
	/* "<base>/check?a=" then the text, whose characters (letters, digits,
	 * "-=.:,") stand in a query as they are, but the spaces */
	blen = strlen(base) + strlen("/check?a=");
	if (blen >= max || blen >= size)
		return CJ_EINVAL;
	cj_anchor_qr_text(a, max - blen, text, sizeof text);
	len = (size_t)snprintf(buf, size, "%s/check?a=", base);
	for (const char *p = text; *p && len + 4 < size; p++) {
		unsigned char ch = (unsigned char)*p;

		if (ch == ' ')
			buf[len++] = '+';
		else if ((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			 strchr("-=.:,_~", ch))
			buf[len++] = (char)ch;
		else
			len += (size_t)snprintf(buf + len, size - len, "%%%02X", ch);
	}
	buf[len] = '\0';
	return len <= max && len + 4 < size ? 0 : CJ_EINVAL;
}

int
cj_check_url_set(cj_db *db, const char *org_code, const char *url)
{
	static const char set_sql[] =
		"INSERT INTO setting AS s (org_id, key, value)\n"
		"SELECT id, 'check_url', $2 FROM org WHERE code = $1\n"
		"ON CONFLICT (org_id, key) DO UPDATE SET value = EXCLUDED.value RETURNING s.org_id";
	static const char clear_sql[] =
		"SELECT o.id, (SELECT count(*) FROM setting s WHERE s.org_id = o.id AND s.key = 'check_url')\n"
		"  FROM org o WHERE o.code = $1";
	static const char delete_sql[] =
		"DELETE FROM setting s USING org o\n"
		" WHERE o.code = $1 AND s.org_id = o.id AND s.key = 'check_url'";
	const char *params[2] = {org_code, url};
	PGresult *res;
	int err = cj_db_exec(db, &res, url ? set_sql : clear_sql, url ? 2 : 1, params);

	if (err)
		return err;
	if (!PQntuples(res))
		err = cj_db_fail(db, CJ_ENOTFOUND, _("no organisation has code %s"), org_code);
	PQclear(res);
	if (!err && !url)
		err = cj_db_exec(db, NULL, delete_sql, 1, params);
	return err;
}

int
cj_check_url_get(cj_db *db, const char *org_code, char *buf, size_t size)
{
	const char *params[1] = {org_code};
	PGresult *res;
	int err = cj_db_exec(db, &res, "SELECT coalesce(check_url(o.id), '') FROM org o WHERE o.code = $1",
			     1, params);

	buf[0] = '\0';
	if (err)
		return err;
	if (!PQntuples(res))
		err = cj_db_fail(db, CJ_ENOTFOUND, _("no organisation has code %s"), org_code);
	else
		snprintf(buf, size, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	return err;
}

static int
hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
	     : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* The anchor inside a check page's URL (...?a=cunji-anchor-v1+...), decoded
 * as a query value is ("+" a space, %XX a byte) into buf; NULL when text is
 * no such URL. */
static const char *
anchor_of_url(const char *text, char *buf, size_t size)
{
	const char *p = strstr(text, "a=cunji-anchor-v1");
	size_t n = 0;

	if (!p || (p != text && p[-1] != '?' && p[-1] != '&'))
		return NULL;
	for (p += 2; *p && *p != '&' && *p != '#' && n + 1 < size; p++) {
		if (*p == '+')
			buf[n++] = ' ';
		else if (*p == '%' && hexval(p[1]) >= 0 && hexval(p[2]) >= 0) {
			buf[n++] = (char)(hexval(p[1]) * 16 + hexval(p[2]));
			p += 2;
		} else
			buf[n++] = *p;
	}
	buf[n] = '\0';
	return buf;
}

int
cj_anchor_parse(const char *text, cj_anchor *out)
{
	char decoded[CJ_ANCHOR_TEXT_MAX];
	const char *p = strstr(text, "cunji-anchor-v1 "), *v, *s, *h, *l;
	size_t n;

	memset(out, 0, sizeof *out);
	if (!p && (text = anchor_of_url(text, decoded, sizeof decoded)))
		p = strstr(text, "cunji-anchor-v1 ");
	if (!p)
		return CJ_EINVAL;
	n = strcspn(p, "|\n");
	while (n && p[n - 1] == ' ')
		n--;
	if (n >= sizeof out->text)
		return CJ_EINVAL;
	memcpy(out->text, p, n);
	p = out->text;
	if ((v = strstr(p, " org="))) {
		int64_t listed;

		if (sscanf(v, " org=%39[0-9]", out->org) != 1 || !(h = strstr(p, " heads=")) ||
		    sscanf(h, " heads=%64[0-9a-f]", out->head) != 1 || strlen(out->head) != 64)
			return CJ_EINVAL;
		if ((l = strstr(p, " villages=")))
			return list_count(l + strlen(" villages="), &out->seq) ? CJ_EINVAL : 0;
		if (!(l = strstr(p, " count=")) || sscanf(l, " count=%" SCNd64, &listed) != 1 || listed < 0)
			return CJ_EINVAL;
		out->seq = listed;
		return 0;
	}
	if (!(v = strstr(p, " village=")) || !(s = strstr(p, " seq=")) || !(h = strstr(p, " head=")))
		return CJ_EINVAL;
	if (sscanf(v, " village=%39[0-9]", out->village) != 1 || sscanf(s, " seq=%" SCNd64, &out->seq) != 1 ||
	    sscanf(h, " head=%64[0-9a-f]", out->head) != 1 || strlen(out->head) != 64)
		return CJ_EINVAL;
	return 0;
}
