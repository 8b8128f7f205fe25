/*
 * anchor.h - anchors of the villages' hash chains outside the database:
 * the office's signing key, the signed anchor file a township or inspector
 * keeps, and the check of an anchor (from a file, or printed on a sheet)
 * against the chain as it is now
 *
 * An anchor says "village V's chain had head H after link S".  The chain
 * is append-only, so H must still be the hash of link S; a rewrite of the
 * village's history, even one that recomputes every link, changes it.
 * Format and plain-words meaning: docs/audit.md.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_LEDGER_ANCHOR_H
#define CUNJI_LEDGER_ANCHOR_H

#include <stddef.h>
#include <stdint.h>

#include <ledger/db.h>

/** The hash of link seq of a village's chain (seq 0: CJ_CHAIN_GENESIS); CJ_ENOTFOUND when it has fewer links. */
CJ_MUST_CHECK int cj_chain_head_at(cj_db *db, int village_id, int64_t seq, char head[65]);

/* ---- the office's Ed25519 key (OpenSSL) ---- */

/** Where the key is kept: <home>/office-ed25519.pem (the embedded default's home). */
CJ_MUST_CHECK int cj_anchor_key_path(char *buf, size_t size, char *err, size_t errlen);
/**
 * Make a new key at path (mode 0600; an existing key is kept: CJ_EEXISTS
 * unless replace) and give its public half as 64 hex digits.
 */
CJ_MUST_CHECK int cj_anchor_key_new(const char *path, int replace, char pub[65], char *err,
				    size_t errlen);
/** The public half of the key at path, 64 hex digits. */
CJ_MUST_CHECK int cj_anchor_key_public(const char *path, char pub[65], char *err, size_t errlen);

/* ---- the anchor file ---- */

/**
 * The signed anchor file of every village under org_code (a county, a
 * township or one village): text, malloc'd into *text.  Signed with the key
 * at key_path.
 */
CJ_MUST_CHECK int cj_anchor_export(cj_db *db, const char *org_code, const char *key_path,
				   char **text);

/** One finding of a check: printed as one line by the front-end. */
typedef void (*cj_anchor_finding_fn)(const char *line, void *payload);

/**
 * Check an anchor file: its signature (by the key written in it; trusted_pub,
 * when not NULL, is the office key it must be), then each village's anchored
 * head against link seq of its chain now.  Each problem is one call of fn
 * naming the village, seq and what differs; *findings counts them, *checked
 * counts the anchors that hold.  0 when the check ran (whatever it found).
 */
CJ_MUST_CHECK int cj_anchor_check_file(cj_db *db, const char *path, const char *trusted_pub,
				       cj_anchor_finding_fn fn, void *payload, long *findings,
				       long *checked);

/**
 * The anchor a sheet or voucher carries, in the text of its QR code (and
 * its document keywords):
 *   cunji-anchor-v1 village=<code> seq=<n> head=<64 hex> sheet=<kind> ...
 * (the sheet's identity follows: period=, voucher=).  A township's or
 * county's sheet carries its villages' heads at once (a group anchor):
 *   cunji-anchor-v1 org=<code> heads=<64 hex> villages=.201:57,.202:60 sheet=...
 * heads: SHA-256 of "village <code> seq <n> head <64 hex>\n", one line per
 * listed village in the listed order (villages whose chain has no link yet
 * are not listed); in the list, ".201" stands for <org code>201.  A QR code
 * too small for a long list holds "count=<n>" instead of villages= (only
 * the sheet's file can then be checked).
 */
#define CJ_ANCHOR_TEXT_MAX 16384
typedef struct cj_anchor {
	char village[40]; /* a village's anchor; "" for a group's */
	char org[40];     /* a group anchor's township or county; "" for a village's */
	int64_t seq;      /* the village's link; a group's: how many villages it lists */
	char head[65];    /* that link's hash; a group's: the heads' SHA-256 */
	char text[CJ_ANCHOR_TEXT_MAX]; /* the whole anchor text, as in the keywords */
} cj_anchor;

/** One village's head in a group anchor. */
typedef struct cj_anchor_head {
	char village[40];
	int64_t seq;
	char head[65];
} cj_anchor_head;

/**
 * The group anchor of a township or county (org) over the heads of its
 * villages (those with seq 0 are left out), followed by " " and ident (the
 * sheet's identity), into out.  CJ_EINVAL when it does not fit.
 */
CJ_MUST_CHECK int cj_anchor_group(const char *org, const cj_anchor_head *heads, size_t n,
				  const char *ident, cj_anchor *out);
/**
 * The text for a QR code of at most max bytes: the anchor's text, or a group
 * anchor's with its list replaced by count= when the list does not fit.
 */
void cj_anchor_qr_text(const cj_anchor *a, size_t max, char *buf, size_t size);

/**
 * The text for the QR code of a posted sheet: with base (the public check
 * page's address, cj_check_url_get; NULL or "": none) the URL
 * <base>/check?a=<the text, spaces as "+">, which a phone opens; else the
 * anchor's text.  At most max bytes: a group anchor's list gives way to
 * count= first (cj_anchor_qr_text); CJ_EINVAL when even that does not fit.
 */
CJ_MUST_CHECK int cj_anchor_qr_content(const cj_anchor *a, const char *base, size_t max, char *buf,
				       size_t size);

/**
 * Set (url) or clear (url NULL) the public address of the check page of a
 * county's or township's sheets (the setting check_url: http(s)://host[/path],
 * no query, no trailing "/"; a township's overrides its county's).  Admins
 * only: the database refuses anyone else.
 */
CJ_MUST_CHECK int cj_check_url_set(cj_db *db, const char *org_code, const char *url);
/** The check page's address for an organisation's sheets (its own setting,
 * its township's or county's); "" when none is set. */
CJ_MUST_CHECK int cj_check_url_get(cj_db *db, const char *org_code, char *buf, size_t size);

/** Find and parse the anchor text inside text (or inside the URL of a QR
 * code, <base>/check?a=...); CJ_EINVAL when there is none. */
CJ_MUST_CHECK int cj_anchor_parse(const char *text, cj_anchor *out);
/**
 * Check one anchor against the chain now (as cj_anchor_check_file does each
 * village); a group anchor: each listed village's link, then the heads'
 * digest.
 */
CJ_MUST_CHECK int cj_anchor_check(cj_db *db, const cj_anchor *a, cj_anchor_finding_fn fn, void *payload,
				  long *findings);

#endif
