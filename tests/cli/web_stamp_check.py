#!/usr/bin/env python3
"""Kept pages and a login's scope, over HTTP (test_web_stamp.sh).

web_stamp_check.py BASE_URL V1 V3
st_bk (password pw-st_bk) sees the township of V1 (周口村) and V3 (石门村).  A village's
voucher list and statements, asked for twice (the second is the kept copy), show V3 in
their village chooser; once the scope is narrowed to V1 they no longer do; once V1 is
removed too they show nothing of V1.  The scope is changed with the cunji tool (CUNJI_BIN,
CUNJI_DB).  Prints failures; exits 1 on any.
"""
import http.client
import os
import re
import subprocess
import sys
import urllib.parse

base, V1, V3 = sys.argv[1:4]
u = urllib.parse.urlparse(base)
passed = failed = 0


def check(what, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {what} {detail}"[:2000])


cookies = {}


def req(method, path, fields=None):
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
    h = {}
    body = None
    if fields is not None:
        body = urllib.parse.urlencode(fields).encode()
        h["Content-Type"] = "application/x-www-form-urlencoded"
    if cookies:
        h["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    c.request(method, path, body=body, headers=h)
    r = c.getresponse()
    text = r.read().decode("utf-8", "replace")
    for k, v in r.getheaders():
        if k.lower() == "set-cookie":
            name, val = v.split(";", 1)[0].split("=", 1)
            cookies[name] = val
    c.close()
    return r.status, text


def cunji(*args):
    p = subprocess.run([os.environ["CUNJI_BIN"], "--db", os.environ["CUNJI_DB"], *args],
                       capture_output=True, text=True)
    check(f"cunji {' '.join(args)}", p.returncode == 0, p.stderr)


req("GET", "/login")
status, _ = req("POST", "/login", {"csrf": cookies.get("cj_pre", ""), "login": "st_bk",
                                   "password": "pw-st_bk"})
check("st_bk logs in", status == 303, status)
pages = [f"/vouchers?village={V1}&period=2025", f"/statements?village={V1}&period=2025&kind=tb"]
for p in pages:
    for i in range(2):  # the second time, the kept copy
        status, text = req("GET", p)
        check(f"{p} (#{i + 1}): V1's data, V3 in the chooser", status == 200 and "石门村" in text
              and ("支付办公费" in text or "345.60" in text), (status, text[-600:]))

# the scope narrowed to V1: the kept pages must not show V3 any more
cunji("user", "scope", "add", "--login", "st_bk", "--scope", V1)
cunji("user", "scope", "remove", "--login", "st_bk", "--scope", "360925100")
for p in pages:
    status, text = req("GET", p)
    check(f"{p} after V3 left the scope: V1's data, V3 gone from the chooser", status == 200
          and "石门村" not in text and ("支付办公费" in text or "345.60" in text), (status, text[-800:]))
    status, text = req("GET", p.replace(V1, V3))
    check(f"{p} of V3 now: nothing of V3", "收到石门租金" not in text and "500.00" not in text,
          (status, text[-600:]))

# V1 removed too: nothing of V1 on the page kept before
cunji("user", "scope", "remove", "--login", "st_bk", "--scope", V1)
for p in pages:
    status, text = req("GET", p)
    check(f"{p} after V1 left the scope: nothing of V1", "支付办公费" not in text
          and "345.60" not in text and "周口村" not in text, (status, text[-600:]))

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
