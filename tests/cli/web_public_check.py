#!/usr/bin/env python3
"""Drive `cunji serve --public` and the board's and inspector's pages over HTTP.

web_public_check.py PUBLIC_URL LOGIN_URL V1 V2 SHEET_ID ANCHOR
The county of web_setup.sh: V1's 2025Q1 sheets published (SHEET_ID, its QR text ANCHOR),
logins pub_* with password pw-LOGIN.  Prints failures; exits 1 on any.
"""
import http.client
import io
import os
import re
import sys
import urllib.parse
import zipfile

pub_base, login_base, V1, V2, SHEET, ANCHOR = sys.argv[1:7]
passed = failed = 0


def check(what, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {what} {detail}"[:2000])


class Client:
    """One browser against one server: its cookies, no redirects followed."""

    def __init__(self, base):
        self.u = urllib.parse.urlparse(base)
        self.cookies = {}

    def req(self, method, path, fields=None, raw=None):
        c = http.client.HTTPConnection(self.u.hostname, self.u.port, timeout=60)
        h = {}
        body = raw
        if fields is not None:
            body = urllib.parse.urlencode(fields).encode()
            h["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        c.putrequest(method, path, skip_accept_encoding=True)
        for k, v in h.items():
            c.putheader(k, v)
        if body is not None:
            c.putheader("Content-Length", str(len(body)))
        c.endheaders(body)
        r = c.getresponse()
        data = r.read()
        for k, v in r.getheaders():
            if k.lower() == "set-cookie":
                name, val = v.split(";", 1)[0].split("=", 1)
                self.cookies[name] = val
        c.close()
        return r, data

    def get(self, path):
        r, data = self.req("GET", path)
        return r, data.decode("utf-8", "replace")

    def login(self, login):
        self.get("/login")
        r, _ = self.req("POST", "/login", {"csrf": self.cookies.get("cj_pre", ""),
                                           "login": login, "password": "pw-" + login})
        return r


# ---- the public server: what was published, and nothing else
pub = Client(pub_base)
r, text = pub.get("/")
check("public index 200 in Chinese", r.status == 200 and "村务财务公开栏" in text, r.status)
check("public index lists V1's published quarter", "周口村" in text and "2025年第一季度" in text)
check("public index does not list V2 (nothing published)", "马尾山村" not in text)
check("public: CSP without inline script", "script-src 'self'" in (r.getheader(
    "Content-Security-Policy") or "") and "<script>" not in text)
check("public: no cookie handed out", not pub.cookies, pub.cookies)
r, text = pub.get(f"/sheet?id={SHEET}")
if os.environ.get("WEB_SHOTS"):
    with open(os.path.join(os.environ["WEB_SHOTS"], "public_sheet.html"), "w", encoding="utf-8") as f:
        f.write(text)
check("the sheet as HTML tables", r.status == 200 and "<table" in text and "收支情况" in text
      and "12,000.00" in text and "345.60" in text, r.status)
check("the sheet's amounts formatted as money, not as stored (345.6, 12000)",
      not re.search(r">-?[0-9]+\.[0-9]<|>12000<", text), re.findall(r">[0-9.,-]+<", text)[:20])
check("the sheet page says it matches the books", "相符" in text and "12317" in text
      and "0795-4662345" in text)
r, data = pub.req("GET", f"/file?id={SHEET}&format=xlsx")
ok = r.status == 200 and data[:2] == b"PK"
if ok:
    try:
        import openpyxl
        wb = openpyxl.load_workbook(io.BytesIO(data))
        ok = "收支情况" in wb.sheetnames
    except Exception as e:  # noqa: BLE001 - any failure to read is the finding
        ok = False
        print("xlsx:", e)
check("the XLSX download is a workbook with the sheet", ok, r.status)
check("the XLSX download is an attachment", "attachment" in (r.getheader("Content-Disposition") or ""))
r, data = pub.req("GET", f"/file?id={SHEET}&format=pdf")
check("the PDF download is a PDF", r.status == 200 and data[:5] == b"%PDF-"
      and r.getheader("Content-Type") == "application/pdf", r.status)
r, text = pub.get(f"/check?id={SHEET}")
check("the check page: the books still match", r.status == 200 and "✔ 相符" in text, text[-600:])
r, text = pub.get("/check?q=" + urllib.parse.quote(ANCHOR))
check("the check page from the QR code's text", r.status == 200 and "✔ 相符" in text
      and "周口村" in text, text[-600:])
forged = re.sub(r"head=([0-9a-f])", lambda m: "head=" + ("0" if m.group(1) != "0" else "1"), ANCHOR)
r, text = pub.get("/check?q=" + urllib.parse.quote(forged))
check("a QR code with another head is no published sheet", r.status == 200 and "没有找到" in text
      and "相符" not in text)
r, text = pub.get("/check?q=hello")
check("text that is no QR code of ours", r.status == 200 and "不是村集公开表" in text)

# everything else of the database is absent from the public server
for path in ["/login", "/villages", "/vouchers", f"/voucher?village={V1}&number=2025-01-1",
             f"/tb?village={V1}", "/entry", "/review", "/board", f"/board/sheet?id={SHEET}",
             f"/board/file?id={SHEET}&format=pdf", "/inspect", "/trace",
             "/static/../../../etc/passwd", "/static/%2e%2e/%2e%2e/etc/passwd",
             "/%2e%2e/%2e%2e/etc/passwd", "/sheet/../villages", "//villages"]:
    r, text = pub.get(path)
    check(f"public server has no {path}", r.status == 404 and "没有这个页面" in text, r.status)
for path in [f"/sheet?id={SHEET}%20OR%201=1", "/sheet?id=-1", "/sheet?id=99999",
             "/sheet?id=1e3", f"/file?id={SHEET}&format=../../etc/passwd",
             f"/file?id={SHEET}&format=csv", "/file?id=99999&format=pdf", "/check?id=99999"]:
    r, text = pub.get(path)
    check(f"public server refuses {path}", r.status == 404, r.status)
r, _ = pub.req("POST", "/", {"x": "1"})
check("public server takes no POST", r.status == 405, r.status)
r, _ = pub.req("POST", "/login", {"login": "pub_bk1", "password": "pw-pub_bk1"})
check("no login form to post to", r.status == 404, r.status)
r, _ = pub.req("DELETE", "/")
check("an odd method refused", r.status == 405, r.status)

# ---- the board's pages: its village only
b1, b2 = Client(login_base), Client(login_base)
check("board of V1 logs in", b1.login("pub_board1").status == 303)
check("board of V2 logs in", b2.login("pub_board2").status == 303)
r, text = b1.get("/board")
check("V1's board sees what was published when, and by whom", r.status == 200
      and "2025年第一季度" in text and "2025-04-15" in text and "pub_bk1" in text
      and f"/board/sheet?id={SHEET}" in text, r.status)
check("and that the books still match it", "相符" in text)
check("V1's board sees no other village", "马尾山村" not in text)
r, text = b2.get("/board")
check("V2's board does not see V1's sheet", r.status == 200 and f"id={SHEET}" not in text
      and "周口村" not in text and "尚未公开" in text)
r, text = b1.get(f"/board/sheet?id={SHEET}")
check("V1's board opens the sheet", r.status == 200 and "收支情况" in text, r.status)
r, data = b1.req("GET", f"/board/file?id={SHEET}&format=pdf")
check("V1's board downloads the PDF", r.status == 200 and data[:5] == b"%PDF-", r.status)
for path in [f"/board/sheet?id={SHEET}", f"/board/file?id={SHEET}&format=pdf",
             f"/board/file?id={SHEET}&format=xlsx"]:
    r, _ = b2.get(path)
    check(f"V2's board gets 404 for {path}", r.status == 404, r.status)
r, text = b2.get(f"/voucher?village={V1}&number=2025-01-1")
check("V2's board cannot open V1's voucher by URL", r.status == 404 and "周口村" not in text
      and "期初余额" not in text, r.status)
r, text = b2.get(f"/vouchers?village={V1}")
check("nor list V1's vouchers", "期初余额" not in text and "支付办公费" not in text)
r, text = b2.get(f"/board?village={V1}&period=2025Q1")
check("nor build V1's sheet from the books", "收支情况" not in text and "12,000.00" not in text)
r, text = b1.get(f"/board?village={V1}&period=2025Q1")
check("V1's board builds its sheet from the books now", r.status == 200 and "收支情况" in text
      and "按账簿现在的数字" in text)
r, text = b1.get("/inspect")
check("a board's dashboard shows only its township", "双溪镇" in text and "宝峰镇" not in text)

# ---- the inspector: county -> township -> village -> findings -> voucher
ins = Client(login_base)
check("inspector logs in", ins.login("pub_insp").status == 303)
r, text = ins.get("/inspect")
check("the county dashboard: both townships with a light", r.status == 200 and "双溪镇" in text
      and "宝峰镇" in text and 'class="light' in text, r.status)
# (how many of V1's are red depends on the rules' thresholds: some are, or some are yellow)
m1 = re.search(r'双溪镇</a></td><td class="num">1</td><td class="num">(\d+)</td><td class="num">(\d+)</td>'
               r'<td class="light (red|yellow)">', text)
check("V1's township has findings (R08, R11), V2's none",
      m1 is not None and int(m1.group(1)) + int(m1.group(2)) > 0 and
      (m1.group(3) == "red") == (int(m1.group(1)) > 0) and re.search(
    r'宝峰镇</a></td><td class="num">1</td><td class="num">0</td><td class="num">0</td>'
    r'<td class="light green">', text) is not None,
      re.findall(r"<tr>.*?</tr>", text))
r, text = ins.get("/inspect?org=360925100")
check("the township: its village, with its light", "周口村" in text
      and ('light yellow' in text or 'light red' in text)
      and "马尾山村" not in text)
r, text = ins.get(f"/inspect/village?village={V1}")
check("the village: the findings with their rules", r.status == 200 and "R11" in text
      and "R08" in text and "现金" in text, r.status)
m = re.search(r'href="(/voucher\?village=' + V1 + r'&amp;number=[0-9-]+)"', text)
check("the finding links its voucher", m is not None)
if m:
    r, vt = ins.get(m.group(1).replace("&amp;", "&"))
    check("and the voucher opens", r.status == 200 and "记账凭证" in vt, r.status)
r, text = ins.get("/inspect/village?village=99999")
check("an unknown village is 404", r.status == 404, r.status)
r, text = ins.get("/trace")
check("fund trace starts at the county", r.status == 200 and "资金追踪" in text, r.status)
r, text = ins.get(f"/trace?village={V1}")
check("fund trace of a village: funds and projects", r.status == 200 and "周口村" in text)
r, text = ins.get(f"/inspect/village?village={V1}&period=2025Q9")
check("a bad period is said plainly", r.status == 200 and 'class="error"' in text)
r, text = ins.get(f"/inspect?org=<script>")
check("a hostile org is escaped", "<script>" not in text.split("</head>", 1)[1])

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
