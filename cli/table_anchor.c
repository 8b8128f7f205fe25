/*
 * table_anchor.c - the commands of the chains' anchors outside the database:
 * the office's signing key, the anchor file, and checking anchors and sheets
 *
 * SPDX-License-Identifier: MIT
 */
#include "cli.h"

#define KEY_OPT {"key", "FILE", N_("the office's private key (default: office-ed25519.pem in the embedded home)"), 0}

const cmd_spec cj_cmds_anchor[] = {
	{"audit key new", N_("make the bookkeeping office's Ed25519 key that signs anchor files"),
	 "[--key FILE] [--replace]",
	 N_("The private key is written with mode 0600 (PEM, PKCS#8) and its public half printed as "
	 "64 hex digits: give that to the townships and inspectors who keep the anchor files.  An "
	 "existing key is kept unless --replace."),
	 0, cmd_audit_key_new, {KEY_OPT, {"replace", NULL, N_("replace an existing key"), 0}}},
	{"audit key show", N_("print the public half of the office's key (64 hex digits)"), "[--key FILE]",
	 NULL, 0, cmd_audit_key_show, {KEY_OPT}},
	{"audit anchor export", N_("write the signed file of the villages' chain heads (an anchor file)"),
	 "--county CODE [--out FILE] [--key FILE]",
	 N_("One line per village of the county (or township, or village): its code, how many links its "
	 "chain has, the last link's SHA-256 and when it was added; signed with the office's key "
	 "(Ed25519).  Whoever keeps the file can later show that the history up to those links was "
	 "not rewritten: cunji audit anchor verify --anchors FILE.  Format: docs/audit.md."),
	 1, cmd_audit_anchor_export,
	 {{"county", "CODE", N_("the county (a township or village code works too)"), 0},
	  {"out", "FILE", N_("write here (default: stdout)"), 0}, KEY_OPT}},
	{"audit anchor verify", N_("check anchor files and printed sheets or vouchers against the chains"),
	 "[--anchors FILE]... [--sheet FILE]... [--qr TEXT]... [--key FILE]",
	 N_("An anchor file's signature must hold and, when the office's key is here, be by it; each "
	 "anchored head must still be the hash of that link of the village's chain.  A sheet or "
	 "voucher (PDF or XLSX) carries its village's head when it was made, in its QR code and "
	 "its document properties; the value checked is printed.  A township's or county's sheet "
	 "carries the heads of its villages at once.  --qr takes the text of a QR code read off a "
	 "paper copy (e.g. by a phone).  Exit 0 when every anchor holds, 1 with one line per "
	 "finding."),
	 1, cmd_audit_anchor_verify,
	 {{"anchors", "FILE", N_("an anchor file"), 1}, {"sheet", "FILE", N_("a disclosure sheet or printed voucher"), 1},
	  {"qr", "TEXT", N_("the text of a sheet's or voucher's QR code (cunji-anchor-v1 ..., or the "
			  "check page's URL holding it)"), 1},
	  KEY_OPT}},
	{NULL, NULL, NULL, NULL, 0, NULL, {{0}}},
};
