#!/usr/bin/env python3
"""Drive a running `cunji serve` over HTTP and check what it shows and refuses.

web_check.py BASE_URL V1 V2 V1_NAME V2_NAME OS_LOGIN
Logins (made by test_web.sh, password pw-LOGIN): web_bk1 (V1's township), web_bk2 (V2's),
web_rl (for the per-login limit).  Prints 'N passed, M failed'; exits 1 on a failure.
"""
import http.client
import re
import sys
import urllib.parse

base, V1, V2, N1, N2, OS_LOGIN = sys.argv[1:7]
u = urllib.parse.urlparse(base)
passed = failed = 0


def check(what, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {what} {detail}"[:2000])


class Client:
    """One browser: its own cookies, no redirects followed."""

    def __init__(self):
        self.cookies = {}

    def req(self, method, path, fields=None, raw=None, headers=None):
        c = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
        h = dict(headers or {})
        body = raw
        if fields is not None:
            body = urllib.parse.urlencode(fields).encode()
            h["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        c.request(method, path, body=body, headers=h)
        r = c.getresponse()
        text = r.read().decode("utf-8", "replace")
        for k, v in r.getheaders():
            if k.lower() == "set-cookie":
                name, val = v.split(";", 1)[0].split("=", 1)
                if "Max-Age=0" in v:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = val
        c.close()
        return r, text

    def login(self, login, password):
        self.req("GET", "/login")
        return self.req("POST", "/login", {"csrf": self.cookies.get("cj_pre", ""),
                                           "login": login, "password": password})

    def csrf(self, path="/villages"):
        _, text = self.req("GET", path)
        m = re.search(r'name="csrf" value="([0-9a-f]{64})"', text)
        return m.group(1) if m else ""


def set_cookies(r):
    return [v for k, v in r.getheaders() if k.lower() == "set-cookie"]


# ---- headers on every response, the login form's cookie
anon = Client()
r, text = anon.req("GET", "/login")
csp = r.getheader("Content-Security-Policy") or ""
check("login page 200", r.status == 200, r.status)
check("CSP forbids framing", "frame-ancestors 'none'" in csp, csp)
check("CSP: scripts only from the server, none inline", "script-src 'self'" in csp
      and "unsafe-inline" not in csp, csp)
check("nosniff", r.getheader("X-Content-Type-Options") == "nosniff")
check("X-Frame-Options DENY", r.getheader("X-Frame-Options") == "DENY")
check("pages not cached", r.getheader("Cache-Control") == "no-store")
check("UTF-8 HTML in Chinese", r.getheader("Content-Type") == "text/html; charset=utf-8"
      and "登录" in text and 'lang="zh-CN"' in text)
check("no inline script", "<script>" not in text and " on" + "click=" not in text)
pre = [c for c in set_cookies(r) if c.startswith("cj_pre=")]
check("login form's cookie HttpOnly and SameSite=Strict",
      pre and "HttpOnly" in pre[0] and "SameSite=Strict" in pre[0], pre)
r, text = anon.req("GET", "/static/app.js")
check("the JS is served from the binary", r.status == 200 and "借贷平衡" in text
      and r.getheader("Content-Type", "").startswith("text/javascript"))

# ---- a POST without the CSRF token is refused, whatever else it carries
r, text = Client().req("POST", "/login", {"login": "web_bk1", "password": "pw-web_bk1"})
check("login without CSRF token refused", r.status == 403, r.status)
c = Client()
c.req("GET", "/login")
r, _ = c.req("POST", "/login", {"csrf": "0" * 64, "login": "web_bk1", "password": "pw-web_bk1"})
check("login with a wrong CSRF token refused", r.status == 403 and "cj_session" not in c.cookies,
      r.status)

# ---- wrong password, unknown login, and the login peer authentication lets in
bad = Client()
r, text = bad.login("web_bk1", "wrong")
check("wrong password refused", r.status == 401 and "登录名或密码不正确" in text
      and "cj_session" not in bad.cookies, r.status)
r, text = bad.login("web_nobody", "whatever")
check("unknown login refused the same way", r.status == 401 and "登录名或密码不正确" in text)
r, text = bad.login(OS_LOGIN, "any-password")
check(f"{OS_LOGIN} (peer authentication, no password) refused", r.status == 401
      and "cj_session" not in bad.cookies, (r.status, text[-400:]))

# ---- two logins of different scope see only their villages
bk1, bk2 = Client(), Client()
r, _ = bk1.login("web_bk1", "pw-web_bk1")
check("web_bk1 logs in", r.status == 303 and r.getheader("Location") == "/villages", r.status)
sess = [c for c in set_cookies(r) if c.startswith("cj_session=")]
check("session cookie HttpOnly, SameSite=Strict", sess and "HttpOnly" in sess[0]
      and "SameSite=Strict" in sess[0], sess)
r, _ = bk2.login("web_bk2", "pw-web_bk2")
check("web_bk2 logs in", r.status == 303, r.status)
_, t1 = bk1.req("GET", "/villages")
_, t2 = bk2.req("GET", "/villages")
check("web_bk1 sees its village", N1 in t1 and V1 in t1, t1[-600:])
check("web_bk1 does not see the other township's", N2 not in t1 and V2 not in t1)
check("web_bk2 sees its village only", N2 in t2 and N1 not in t2 and V1 not in t2)
_, t = bk2.req("GET", "/vouchers")
check("web_bk2's voucher list has none of V1", V1 not in t, t[-600:])
r, t = bk2.req("GET", f"/voucher?village={V1}&number=2025-01-2")
check("web_bk2 cannot open V1's voucher by its URL", r.status == 404 and "<script>" not in t,
      r.status)
r, t = bk2.req("GET", f"/tb?village={V1}&period=2025")
check("web_bk2 gets no trial balance of V1", 'class="error"' in t and "银行存款" not in t, t[-500:])
r, _ = bk2.req("GET", f"/tb?village={V1}&period=2025&format=xlsx")
check("nor its download", r.getheader("Content-Type", "").startswith("text/html"), r.status)

# ---- a hostile summary is shown as text
_, t = bk1.req("GET", f"/vouchers?village={V1}&period=2025-01")
check("hostile summary escaped in the list", "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in t
      and '<script>alert("x")' not in t, t[-900:])
r, t = bk1.req("GET", f"/voucher?village={V1}&number=2025-01-2")
check("and on the voucher's page", r.status == 200 and "&lt;script&gt;" in t
      and "<script>alert" not in t and "&amp; &lt;b&gt;粗" in t, (r.status, t[-900:]))

# ---- the trial balance and its downloads
r, t = bk1.req("GET", f"/tb?village={V1}&period=2025")
check("科目余额表 on the page", r.status == 200 and "科目余额表" in t and "银行存款" in t, t[-500:])
r, t = bk1.req("GET", f"/tb?village={V1}&period=2025&format=xlsx")
check("XLSX download", r.status == 200 and "spreadsheetml" in r.getheader("Content-Type", "")
      and "attachment" in r.getheader("Content-Disposition", ""), r.status)

# ---- voucher entry: CSRF, the database's refusal beside the form, then posted
r, _ = bk1.req("POST", "/entry", {"village": V1, "date": "2025-02-03", "summary": "x",
                                  "account": "101", "debit": "1", "credit": ""})
check("entry without CSRF token refused", r.status == 403, r.status)
tok = bk1.csrf("/entry")
lines = [("csrf", tok), ("village", V1), ("date", "2025-02-03"), ("summary", "收到租金"),
         ("attachments", "1"),
         ("account", "102"), ("lsummary", ""), ("debit", "300.00"), ("credit", ""),
         ("account", "501"), ("lsummary", ""), ("debit", ""), ("credit", "200.00")]
c2 = "&".join(f"{k}={urllib.parse.quote(v)}" for k, v in lines)
r, t = bk1.req("POST", "/entry", raw=c2.encode(),
               headers={"Content-Type": "application/x-www-form-urlencoded"})
check("an unbalanced voucher is refused beside the form", r.status == 422
      and 'class="error"' in t and "收到租金" in t and "300.00" in t, (r.status, t[-800:]))
lines[-1] = ("credit", "300.00")
c2 = "&".join(f"{k}={urllib.parse.quote(v)}" for k, v in lines)
r, t = bk1.req("POST", "/entry", raw=c2.encode(),
               headers={"Content-Type": "application/x-www-form-urlencoded"})
check("a balanced voucher is posted", r.status == 200 and "记字第1号" in t, (r.status, t[-800:]))
lines[1] = ("village", V2)
c2 = "&".join(f"{k}={urllib.parse.quote(v)}" for k, v in lines)
r, t = bk1.req("POST", "/entry", raw=c2.encode(),
               headers={"Content-Type": "application/x-www-form-urlencoded"})
check("web_bk1 cannot post into V2", r.status == 422 and V2 in t and "已保存" not in t,
      (r.status, t[-600:]))

# ---- the voucher's path: a draft where review is required, 审核 by a reviewer, then 记账
def post_form(client, path, pairs):
    body = "&".join(f"{k}={urllib.parse.quote(v)}" for k, v in pairs)
    return client.req("POST", path, raw=body.encode(),
                      headers={"Content-Type": "application/x-www-form-urlencoded"})


tok = bk2.csrf("/entry")
r, t = post_form(bk2, "/entry", [("csrf", tok), ("village", V2), ("date", "2025-02-04"),
                                 ("summary", "收到承包费"), ("account", "102"), ("debit", "80"),
                                 ("credit", ""), ("account", "501"), ("debit", ""),
                                 ("credit", "80")])
m = re.search(r"draft=(\d+)\">草稿", t)
check("where review is required the voucher is a draft", r.status == 200 and m, t[-600:])
draft = m.group(1) if m else "0"
_, t = bk2.req("GET", "/villages")
check("the villages page counts it 待审核", f'state=draft">1</a>' in t, t[-900:])
r, t = post_form(bk2, "/review", [("csrf", bk2.csrf()), ("village", V2), ("draft", draft),
                                  ("do", "review")])
check("its preparer cannot review it: the database's refusal shown", r.status == 200
      and 'class="error"' in t, (r.status, t[-400:]))
rev = Client()
r, _ = rev.login("web_rev", "pw-web_rev")
check("the reviewer logs in", r.status == 303, r.status)
_, t = rev.req("GET", "/review")
check("the review queue lists the draft with 审核 and 标错", f'draft={draft}"' in t and "审核</button>" in t
      and "标错</button>" in t, t[-900:])
r, t = post_form(rev, "/review", [("csrf", "f" * 64), ("village", V2), ("draft", draft),
                                  ("do", "review")])
check("审核 without the session's CSRF token refused", r.status == 403, r.status)
r, t = post_form(rev, "/review", [("csrf", rev.csrf("/review")), ("village", V2),
                                  ("draft", draft), ("do", "review")])
check("the reviewer reviews it", r.status == 303, (r.status, t[-400:]))
_, t = bk2.req("GET", f"/voucher?village={V2}&draft={draft}")
check("its page says 已审核 and offers 记账", "已审核" in t and 'value="post"' in t, t[-900:])
r, t = post_form(bk2, "/review", [("csrf", bk2.csrf()), ("village", V2), ("draft", draft),
                                  ("do", "post")])
_, t = bk2.req("GET", f"/voucher?village={V2}&draft={draft}")
check("the bookkeeper posts it: 记字第1号, 已记账", r.status == 303 and "记字第1号" in t and "已记账" in t,
      (r.status, t[-900:]))

# ---- limits and odd requests
r, _ = bk1.req("POST", "/entry", raw=b"csrf=" + b"a" * 100000,
               headers={"Content-Type": "application/x-www-form-urlencoded"})
check("oversized body refused", r.status == 413, r.status)
r, _ = bk1.req("GET", "/static/../../../etc/passwd")
check("no path out of the compiled-in files", r.status == 404, r.status)
r, _ = bk1.req("PUT", "/villages", raw=b"x")
check("unknown method refused", r.status == 405, r.status)
r, _ = Client().req("GET", "/villages")
check("a page without a session goes to the login", r.status == 303
      and r.getheader("Location") == "/login", r.status)

# ---- one session's requests at once: more than its pool's four connections, so
# most of them wait their turn; every one is answered, in full
import threading
pages, errors = [], []


def fetch_many():
    c = Client()
    c.cookies = dict(bk2.cookies)
    for _ in range(5):
        try:
            r, t = c.req("GET", f"/tb?village={V2}&period=2025")
            pages.append((r.status, t.count("</tr>")))
        except Exception as e:  # a connection dropped or timed out
            errors.append(repr(e))


threads = [threading.Thread(target=fetch_many) for _ in range(24)]
for th in threads:
    th.start()
for th in threads:
    th.join()
check("24 clients at once on one session: 120 pages, all 200 and the same",
      not errors and len(pages) == 120 and len(set(pages)) == 1 and pages[0][0] == 200,
      (errors[:2], sorted(set(pages))[:4]))

# ---- logging out ends the session
tok = bk2.csrf()
old = dict(bk2.cookies)
r, _ = bk2.req("POST", "/logout", {"csrf": tok})
check("logout", r.status == 303 and "cj_session" not in bk2.cookies, r.status)
stale = Client()
stale.cookies = old
r, _ = stale.req("GET", "/villages")
check("the old session token is dead", r.status == 303, r.status)

# ---- failed logins limited per login (even the right password then waits) ...
rl = Client()
codes = [rl.login("web_rl", "wrong")[0].status for _ in range(5)]
check("five wrong passwords refused as wrong", codes == [401] * 5, codes)
r, t = rl.login("web_rl", "pw-web_rl")
check("then the login is limited, right password or not", r.status == 429 and "次数过多" in t,
      r.status)
# ... and per address: this address has failed 1 + 1 + 1 + 5 times; fill it up to 20
for i in range(12):
    rl.login(f"web_x{i}", "wrong")
r, t = Client().login("web_bk1", "pw-web_bk1")
check("then the address is limited for every login", r.status == 429, r.status)

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
