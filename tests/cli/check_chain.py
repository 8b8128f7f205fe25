#!/usr/bin/env python3
"""Recompute cunji's hash chains with nothing but Python and psql (docs/audit.md).

A second, independent implementation of the canonical encoding, for an
inspector and for the tests:

    check_chain.py CONNINFO            every chain the connection may read:
                                       each link's hash recomputed, the head
                                       compared; prints one line per chain
    check_chain.py --vectors           the test vectors of docs/audit.md

Exit 0 when every chain recomputes, 1 otherwise.  It does not check
vouchers against their lines (see voucher_hash below for the content hash,
which `cunji audit verify` recomputes too).
"""
import hashlib
import subprocess
import sys

NONE = b"18446744073709551615:"  # the length of no value
GENESIS = "0" * 64


def ns(value):
    """One field: its length in bytes (UTF-8), a colon, the bytes; None for NULL."""
    if value is None:
        return NONE
    b = str(value).encode("utf-8")
    return str(len(b)).encode() + b":" + b


def voucher_hash(village_id, date, kind, summary, attachments, reverses_id, lines,
                 negative_cash_reason=None):
    """The voucher's content hash (voucher.content_hash): lines are
    (account, debit_fen, credit_fen, summary, counterparty, fund_id, project_id),
    0 for no fund, project or reversed voucher."""
    e = ns("cunji-voucher-v1") + ns(village_id) + ns(date) + ns(kind) + ns(summary)
    e += ns(attachments) + ns(reverses_id) + ns(len(lines))
    for account, debit, credit, lsummary, counterparty, fund, project in lines:
        e += ns(account) + ns(debit) + ns(credit) + ns(lsummary) + ns(counterparty)
        e += ns(fund) + ns(project)
    if negative_cash_reason is not None:
        e += ns(negative_cash_reason)
    return hashlib.sha256(e).hexdigest()


def voucher_part(v):
    """A voucher in its link: id, number, external id, content hash, preparer,
    prepared by, reviewed by, posted by."""
    return b"".join(ns(x) for x in v)


def audit_part(a):
    """An audit record in its link: id, time (microseconds since 1970, UTC),
    login, table, operation, row key, old and new values (jsonb as PostgreSQL
    prints it)."""
    return b"".join(ns(x) for x in a)


def link_hash(prev, village_id, seq, kind, content):
    """SHA-256 of the previous hash (64 hex digits) and the link's encoding."""
    e = prev.encode() + ns("cunji-link-v1") + ns(village_id) + ns(seq) + ns(kind) + content
    return hashlib.sha256(e).hexdigest()


def vouchers_content(parts):
    return ns(len(parts)) + b"".join(parts)


def voucher_set_content(vouchers):
    """The content of a link of kind vouchers2 (schema 0040), column by column:
    vouchers are (id, number, external id, content hash, preparer, prepared by,
    reviewed by, posted by) in the link's order."""
    e = ns(len(vouchers))
    e += ns(",".join(str(v[0]) for v in vouchers))
    e += ns(",".join(str(v[1]) for v in vouchers))
    e += ns("".join(v[3] for v in vouchers))
    ext = [v for v in vouchers if v[2] is not None]
    e += ns(len(ext)) + b"".join(ns(v[0]) + ns(v[2]) for v in ext)
    who = [tuple(v[4:8]) for v in vouchers]
    if all(w == who[0] for w in who):
        who = who[:1]
    e += ns(len(who)) + b"".join(b"".join(ns(x) for x in w) for w in who)
    return e


def unescape(field):
    """A field of COPY's text format; None for \\N."""
    if field == "\\N":
        return None
    out, i = [], 0
    esc = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "\\": "\\"}
    while i < len(field):
        c = field[i]
        if c == "\\" and i + 1 < len(field):
            out.append(esc.get(field[i + 1], field[i + 1]))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def copy_rows(conninfo, query):
    text = subprocess.run(["psql", "-X", "-q", conninfo, "-c",
                           "SET TimeZone = 'UTC'", "-c",
                           f"COPY ({query}) TO STDOUT"],
                          check=True, capture_output=True, text=True).stdout
    return [[unescape(f) for f in line.split("\t")] for line in text.splitlines()]


def check(conninfo):
    vouchers = {(int(r[0]), int(r[1])): r[2:] for r in copy_rows(conninfo,
        "SELECT village_id, id, id, number, external_id, content_hash, preparer, "
        "prepared_by, reviewed_by, posted_by FROM cunji.voucher")}
    audits = {(int(r[0]), int(r[1])): r[1:] for r in copy_rows(conninfo,
        "SELECT village_id, id, (extract(epoch FROM at) * 1000000)::bigint, login, tbl, op, "
        "row_key::text, old::text, new::text FROM cunji.audit_log")}
    heads = {int(r[0]): (int(r[1]), r[2]) for r in copy_rows(conninfo,
        "SELECT village_id, seq, head FROM cunji.chain_head")}
    links = copy_rows(conninfo, "SELECT village_id, seq, kind, array_to_string(refs, ','), "
                      "hash FROM cunji.chain_link ORDER BY village_id, seq")
    bad, prev, last = 0, {}, {}
    for village, seq, kind, refs, stored in links:
        village, ids = int(village), [int(x) for x in refs.split(",") if x]
        if kind == "vouchers":
            content = vouchers_content([voucher_part(vouchers[(village, i)]) for i in ids
                                        if (village, i) in vouchers])
        elif kind == "vouchers2":
            content = voucher_set_content([vouchers[(village, i)] for i in ids
                                           if (village, i) in vouchers])
        else:
            content = b"".join(audit_part(audits[(village, i)]) for i in ids
                               if (village, i) in audits)
        got = link_hash(prev.get(village, GENESIS), village, seq, kind, content)
        if got != stored:
            print(f"chain {village}: link {seq} ({kind} {refs}) recomputes to {got}, "
                  f"stored {stored}")
            bad += 1
        prev[village] = stored
        last[village] = (int(seq), stored)
    for village, head in sorted(heads.items()):
        ok = last.get(village) == head
        bad += not ok
        print(f"chain {village}: {head[0]} links, head {head[1]} "
              f"{'recomputed' if ok else 'NOT the last link'}")
    return 1 if bad else 0


def vectors():
    """The test vectors of docs/audit.md."""
    print("ns('摘要') =", ns("摘要").decode())
    print("ns(NULL) =", NONE.decode())
    h = voucher_hash(13, "2025-03-05", "normal", "收到承包费", 0, 0,
                     [("101", 120000, 0, "收到承包费", None, 0, 0),
                      ("501001", 0, 120000, "收到承包费", "张三", 0, 0)])
    print("voucher content hash =", h)
    part = voucher_part(["4711", "1", None, h, "王会计", "wang", None, "wang"])
    l1 = link_hash(GENESIS, 13, 1, "vouchers", vouchers_content([part]))
    print("link 1 (vouchers) =", l1)
    a = audit_part(["9", "1764547200000000", "wang", "period_event", "INSERT",
                    '{"id": 3, "village_id": 13}', None,
                    '{"id": 3, "at": "2025-12-01T00:00:00+00:00", "action": "close"}'])
    print("link 2 (audit) =", link_hash(l1, 13, 2, "audit", a))
    v = ["4711", "1", None, h, "王会计", "wang", None, "wang"]
    w = ["4712", "2", "B-7", h, "王会计", "wang", None, "wang"]
    print("link 1 (vouchers2, one voucher) =",
          link_hash(GENESIS, 13, 1, "vouchers2", voucher_set_content([v])))
    print("link 1 (vouchers2, two vouchers, one with an external id) =",
          link_hash(GENESIS, 13, 1, "vouchers2", voucher_set_content([v, w])))
    x = w[:4] + ["李出纳", None, "zhao", "li"]
    print("link 1 (vouchers2, two vouchers, made by different people) =",
          link_hash(GENESIS, 13, 1, "vouchers2", voucher_set_content([v, x])))
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(vectors() if sys.argv[1] == "--vectors" else check(sys.argv[1]))
