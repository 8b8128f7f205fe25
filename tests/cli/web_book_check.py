#!/usr/bin/env python3
"""Drive a running `cunji serve` through the bookkeeper pages of issue 18.

web_book_check.py BASE_URL V1 V2 FIXTURES
Logins (made by test_web_book.sh, password pw-LOGIN): wb_bk1 bookkeeper of V1's
township, wb_bk2 of V2's, wb_rev1 reviewer of V1's.  Prints 'N passed, M failed';
exits 1 on a failure.  WEB_SHOTS=DIR: each page's HTML is also saved there for
screenshots.
"""
import http.client
import io
import json
import os
import re
import sys
import urllib.parse
import uuid
import zipfile

base, V1, V2, FIX = sys.argv[1:5]
u = urllib.parse.urlparse(base)
SHOTS = os.environ.get("WEB_SHOTS")
passed = failed = 0


def check(what, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {what} {detail}"[:3000])


class Client:
    """One browser: its own cookies, no redirects followed."""

    def __init__(self):
        self.cookies = {}

    def req(self, method, path, body=None, ctype=None):
        c = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
        h = {}
        if ctype:
            h["Content-Type"] = ctype
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        c.request(method, path, body=body, headers=h)
        r = c.getresponse()
        raw = r.read()
        for k, v in r.getheaders():
            if k.lower() == "set-cookie":
                name, val = v.split(";", 1)[0].split("=", 1)
                if "Max-Age=0" in v:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = val
        c.close()
        r.raw = raw
        return r, raw.decode("utf-8", "replace")

    def get(self, path):
        return self.req("GET", path)

    def post(self, path, pairs):
        body = "&".join(f"{k}={urllib.parse.quote(v)}" for k, v in pairs)
        return self.req("POST", path, body.encode(), "application/x-www-form-urlencoded")

    def upload(self, path, fields, filename, content, more=()):
        """more: other files, as (field, filename, content)"""
        b = uuid.uuid4().hex
        out = io.BytesIO()
        for k, v in fields:
            out.write(f'--{b}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode())
        files = ([("file", filename, content)] if filename is not None else []) + list(more)
        for field, name, data in files:
            out.write(f'--{b}\r\nContent-Disposition: form-data; name="{field}"; filename="{name}"'
                      f'\r\nContent-Type: text/csv\r\n\r\n'.encode())
            out.write(data)
            out.write(b"\r\n")
        out.write(f"--{b}--\r\n".encode())
        return self.req("POST", path, out.getvalue(), f"multipart/form-data; boundary={b}")

    def login(self, login):
        self.get("/login")
        r, _ = self.post("/login", [("csrf", self.cookies.get("cj_pre", "")), ("login", login),
                                    ("password", "pw-" + login)])
        return r

    def csrf(self, path="/villages"):
        _, text = self.get(path)
        m = re.search(r'name="csrf" value="([0-9a-f]{64})"', text)
        return m.group(1) if m else ""


def shot(name, text):
    if SHOTS:
        with open(os.path.join(SHOTS, name + ".html"), "w", encoding="utf-8") as f:
            f.write(text)


def beside(text, field_name):
    """The refusal shown right after the input called field_name (in its cell or label)."""
    return re.search(r'name="%s"[^>]*>(?:(?!</td>|</label>).)*?<span class="field-error"'
                     % field_name, text, re.S) is not None


def entry(client, lines, date="2025-02-05", summary="测试", village=V1, token=None):
    pairs = [("csrf", token if token is not None else client.csrf("/entry")), ("village", village),
             ("date", date), ("summary", summary), ("attachments", "1")]
    for ln in lines:
        for k in ("account", "lsummary", "debit", "credit", "counterparty", "fund", "project"):
            pairs.append((k, ln.get(k, "")))
    return client.post("/entry", pairs)


bk1, bk2, rev1 = Client(), Client(), Client()
for who, c in (("wb_bk1", bk1), ("wb_bk2", bk2), ("wb_rev1", rev1)):
    r = c.login(who)
    check(f"{who} logs in", r.status == 303, r.status)

# ---- voucher entry: suggestions, names, fund/project/counterparty, refusals beside their field
r, t = bk1.get("/entry")
shot("entry", t)
check("the menu has 报表 and 导入 for a bookkeeper, not 结账", 'href="/statements"' in t
      and 'href="/import"' in t and 'href="/close"' not in t, t[:1500])
check("the one village in scope is chosen and its accounts suggested",
      f'value="{V1}" selected' in t and '<datalist id="accounts">' in t
      and 'value="102001" label="农商行"' in t and 'list="accounts"' in t, t[-3000:])
check("a parent account is not suggested", 'value="102" label=' not in t)
check("fund, project and counterparty fields on each line", t.count('name="fund"') >= 4
      and t.count('name="project"') >= 4 and t.count('name="counterparty"') >= 4)
r, t = bk1.get(f"/accounts?village={V1}")
js = json.loads(t) if r.status == 200 else []
check("/accounts: the village's leaf accounts as JSON", r.status == 200
      and r.getheader("Content-Type") == "application/json"
      and {"code": "102001", "name": "农商行"} in js and not any(a["code"] == "102" for a in js),
      (r.status, t[:300]))
r, t = bk1.get(f"/accounts?village={V2}")
check("/accounts of another township's village: 404, nothing", r.status == 404 and t == "[]",
      (r.status, t[:200]))

r, t = entry(bk1, [{"account": "库存现金", "debit": "200"}, {"account": "501", "credit": "200"}],
             token="")
check("entry without CSRF token refused", r.status == 403, r.status)
r, t = entry(bk1, [{"account": "库存现金", "debit": "200"}, {"account": "9999", "credit": "200"}])
shot("entry_refused", t)
check("an unknown account: refused, beside line 2's account", r.status == 422
      and 'class="error"' in t and beside(t, "account") and "9999" in t
      and t.index('value="9999"') < t.index('class="field-error"'), (r.status, t[-3000:]))
r, t = entry(bk1, [{"account": "库存现金", "debit": "200"}, {"account": "501", "credit": "150"}])
check("unbalanced: refused, beside the totals, what was typed kept", r.status == 422
      and 'id="balance"' in t and re.search(r'id="balance"[^<]*</span><span class="field-error"', t)
      and 'value="150"' in t, (r.status, t[-2000:]))
r, t = entry(bk1, [{"account": "102001", "debit": "3000", "fund": "NOFUND"},
                   {"account": "241", "credit": "3000"}])
check("an unknown fund: refused beside the fund", r.status == 422 and beside(t, "fund"),
      (r.status, t[-2500:]))
r, t = entry(bk1, [{"account": "库存现金", "debit": "200"}, {"account": "501", "credit": "200"}],
             date="2025-02-31")
check("a bad date: refused beside the date", r.status == 422 and beside(t, "date"), t[-1500:])
r, t = entry(bk1, [{"account": "库存现金", "debit": "200"}, {"account": "501", "credit": "200"}])
check("an account by its name (库存现金) is posted", r.status == 200 and "记字第1号" in t,
      (r.status, t[-1500:]))
r, t = entry(bk1, [{"account": "102001", "debit": "3000", "fund": "XJ", "project": "P1",
                    "counterparty": "县交通公司"},
                   {"account": "241", "credit": "3000", "fund": "XJ", "project": "P1"}],
             summary="收到衔接资金")
check("a voucher with fund, project and counterparty is posted", r.status == 200
      and "记字第2号" in t, (r.status, t[-2500:]))
r, t = bk1.get(f"/voucher?village={V1}&number=2025-02-2")
check("its page shows the fund, project and counterparty", r.status == 200 and "县交通公司" in t
      and "XJ" in t, t[-2500:])
r, t = entry(bk1, [{"account": "库存现金", "debit": "5"}, {"account": "501", "credit": "5"}],
             village=V2)
check("entry into another township's village refused", r.status == 422 and "已保存" not in t
      and re.search(r'</select></label><span class="field-error"', t), (r.status, t[-1500:]))

# ---- voucher view and print
r, t = bk1.get(f"/voucher?village={V1}&number=2025-02-1")
shot("voucher", t)
check("the voucher's page links its print", 'format=pdf">打印' in t, t[-2000:])
r, _ = bk1.get(f"/voucher?village={V1}&number=2025-02-1&format=pdf")
check("the printed 记账凭证 is a PDF", r.status == 200 and r.getheader("Content-Type") ==
      "application/pdf" and r.raw.startswith(b"%PDF") and "attachment" in
      r.getheader("Content-Disposition", ""), (r.status, r.raw[:200]))
if SHOTS:
    open(os.path.join(SHOTS, "voucher.pdf"), "wb").write(r.raw)
r, t = bk2.get(f"/voucher?village={V1}&number=2025-02-1&format=pdf")
check("another township's bookkeeper gets no print of it", r.status == 404
      and not r.raw.startswith(b"%PDF"), r.status)

# ---- statements and books
r, t = bk1.get(f"/statements?village={V1}&kind=bs&period=2025")
shot("statements", t)
check("资产负债表 on the page with its downloads", r.status == 200 and "资产负债表" in t
      and "kind=all" in t and "format=xlsx" in t, t[-1500:])
for kind, title in (("income", "收益及收益分配表"), ("tb", "科目余额表"), ("detail", "收支明细表")):
    r, t = bk1.get(f"/statements?village={V1}&kind={kind}&period=2025-02")
    check(f"{title} on the page", r.status == 200 and title in t and 'class="error"' not in t,
          t[-1000:])
r, t = bk1.get(f"/statements?village={V1}&kind=ledger&period=2025&account=" + urllib.parse.quote("库存现金"))
check("明细账 of an account given by name", r.status == 200 and "明细账" in t and "200.00" in t,
      t[-1500:])
r, _ = bk1.get(f"/statements?village={V1}&kind=all&period=2025&format=xlsx")
ok = r.status == 200 and "spreadsheetml" in r.getheader("Content-Type", "")
sheets = []
if ok:
    with zipfile.ZipFile(io.BytesIO(r.raw)) as z:
        sheets = re.findall(r'<sheet name="([^"]+)"', z.read("xl/workbook.xml").decode())
    if SHOTS:
        open(os.path.join(SHOTS, "statements.xlsx"), "wb").write(r.raw)
check("the four statements as one workbook", ok and len(sheets) == 4, (r.status, sheets))
r, _ = bk1.get(f"/statements?village={V1}&kind=all&period=2025&format=pdf")
check("and as one PDF", r.status == 200 and r.raw.startswith(b"%PDF"), r.status)
if SHOTS and r.status == 200:
    open(os.path.join(SHOTS, "statements.pdf"), "wb").write(r.raw)
r, t = bk1.get(f"/statements?village={V1}&kind=bs&period=2024-12..2025-02")
check("a span across years refused with the reason", 'class="error"' in t, t[-800:])
r, t = bk2.get(f"/statements?village={V1}&kind=bs&period=2025")
check("another township's bookkeeper sees no statement of V1", 'class="error"' in t
      and "货币资金" not in t, t[-800:])
r, _ = bk2.get(f"/statements?village={V1}&kind=all&period=2025&format=xlsx")
check("nor its download", r.getheader("Content-Type", "").startswith("text/html")
      and r.status == 404, r.status)

# ---- month close: confirmation, CSRF, the database's refusal, the villages page
r, t = rev1.get("/close")
shot("close", t)
check("the reviewer's close list: V1 next month 2025-01, not V2", "结账 2025-01" in t and V1 in t
      and V2 not in t and 'href="/close"' in t, t[-1500:])
r, t = rev1.get(f"/close?village={V1}")
shot("close_confirm", t)
check("a confirmation page before closing", "确认结账" in t and 'name="confirm" value="yes"' in t,
      t[-1500:])
r, t = rev1.post("/close", [("village", V1), ("month", "2025-01"), ("confirm", "yes")])
check("close without CSRF token refused", r.status == 403, r.status)
r, t = rev1.post("/close", [("csrf", rev1.csrf()), ("village", V1), ("month", "2025-01")])
check("close without confirmation asks again, nothing closed", "请确认" in t and "已结账" not in t,
      t[-1500:])
r, t = bk1.post("/close", [("csrf", bk1.csrf()), ("village", V1), ("month", "2025-01"),
                           ("confirm", "yes")])
check("a bookkeeper's close: the database's refusal shown", r.status == 422
      and 'class="error"' in t, (r.status, t[-1500:]))
r, t = rev1.post("/close", [("csrf", rev1.csrf()), ("village", V1), ("month", "2025-02"),
                            ("confirm", "yes")])
check("February before January: refused, months close in order", r.status == 422
      and "2025-01" in t, (r.status, t[-1500:]))
r, t = rev1.post("/close", [("csrf", rev1.csrf()), ("village", V2), ("month", "2025-01"),
                            ("confirm", "yes")])
check("another township's village cannot be closed", r.status == 404, r.status)
r, t = rev1.post("/close", [("csrf", rev1.csrf()), ("village", V1), ("month", "2025-01"),
                            ("confirm", "yes")])
check("the reviewer closes January", r.status == 200 and "已结账" in t, (r.status, t[-1500:]))
# ---- reopening a month: a reason and a confirmation; the database decides who
r, t = rev1.get("/close")
check("the close list links reopening the last closed month", f'href="/reopen?village={V1}"' in t
      and "反结账 2025-01" in t, t[-1500:])
r, t = rev1.get(f"/reopen?village={V1}")
shot("reopen_confirm", t)
check("a reopen page asks for a reason and a confirmation", 'name="reason"' in t
      and 'name="confirm"' in t and "2025-01" in t, t[-1500:])
r, t = bk2.get(f"/reopen?village={V1}")
check("another township's village cannot be reopened (404)", r.status == 404, r.status)
r, t = rev1.post("/reopen", [("village", V1), ("month", "2025-01"), ("confirm", "yes"),
                             ("reason", "补记")])
check("reopen without CSRF token refused", r.status == 403, r.status)
r, t = rev1.post("/reopen", [("csrf", rev1.csrf()), ("village", V1), ("month", "2025-01"),
                             ("confirm", "yes"), ("reason", "  ")])
check("reopen without a reason: asked for one, nothing reopened", r.status == 422
      and "原因" in t and "已反结账" not in t, (r.status, t[-1500:]))
r, t = rev1.post("/reopen", [("csrf", rev1.csrf()), ("village", V1), ("month", "2025-01"),
                             ("reason", "补记一张凭证")])
check("reopen without the confirmation: asked again", r.status == 422 and "确认" in t
      and "已反结账" not in t, (r.status, t[-1500:]))
r, t = bk1.post("/reopen", [("csrf", bk1.csrf()), ("village", V1), ("month", "2025-01"),
                            ("confirm", "yes"), ("reason", "补记一张凭证")])
check("a bookkeeper's reopen: the database's refusal shown", r.status == 422
      and 'class="error"' in t and "已反结账" not in t, (r.status, t[-1500:]))
r, t = rev1.post("/reopen", [("csrf", rev1.csrf()), ("village", V1), ("month", "2025-01"),
                             ("confirm", "yes"), ("reason", "补记一张凭证")])
shot("reopened", t)
check("the reviewer reopens January with a reason", r.status == 200 and "已反结账" in t,
      (r.status, t[-1500:]))
r, t = rev1.get("/close")
check("after reopening, January is the month to close again", "结账 2025-01" in t, t[-1500:])
r, t = rev1.post("/close", [("csrf", rev1.csrf()), ("village", V1), ("month", "2025-01"),
                            ("confirm", "yes")])
check("and the reviewer closes it again", r.status == 200 and "已结账" in t, (r.status, t[-800:]))
r, t = bk1.get("/villages")
shot("villages", t)
check("the villages page shows it closed to 2025-01", "2025-01</td>" in t and "未结账" not in t,
      t[-2000:])
r, t = entry(bk1, [{"account": "库存现金", "debit": "9"}, {"account": "501", "credit": "9"}],
             date="2025-01-20")
check("entry into the closed month: refused beside the date", r.status == 422
      and beside(t, "date"), (r.status, t[-2000:]))

# ---- import by upload: problems as a table first, then all or nothing
# the fixture's first two vouchers (the third needs a fund the village lacks, then another village)
good = b"".join(open(os.path.join(FIX, "vouchers.csv"), "rb").readlines()[:5]).replace(
    b"360925100301", V1.encode())
bad = good.replace(b"513,300.50", b"513,30x.50").replace(b"2025-02-10", b"2025-02-30", 1)
r, t = bk1.upload("/import", [("step", "check"), ("kind", "vouchers"), ("village", "")],
                  "v.csv", good)
check("upload without CSRF token refused", r.status == 403, r.status)
r, t = bk1.get("/import")
shot("import", t)
tok = bk1.csrf("/import")
check("the import form uploads multipart", 'enctype="multipart/form-data"' in t
      and 'type="file"' in t, t[-1500:])
r, t = bk1.upload("/import", [("csrf", tok), ("step", "check"), ("kind", "vouchers"),
                              ("village", "")], "凭证 bad.csv", bad)
shot("import_problems", t)
rows = re.findall(r'<tr><td class="num">(\d+)</td><td>([^<]*)</td><td>([^<]*)</td></tr>', t)
check("a file with problems: a table of row, column, message; nothing posted", r.status == 422
      and ("4", "借方金额") in [(a, b) for a, b, _ in rows] and "全部记账" not in t
      and "凭证 bad.csv" in t, (r.status, rows, t[-2500:]))
r, t = bk1.get(f"/vouchers?village={V1}&period=2025")
check("nothing of it in the list", "收到承包费" not in t)
r, t = bk1.upload("/import", [("csrf", tok), ("step", "check"), ("kind", "vouchers"),
                              ("village", "")], "v.csv", good)
shot("import_checked", t)
m = re.search(r'name="upload" value="([0-9a-f]{32})"', t)
check("a good file: checked, what would be posted, a 全部记账 button", r.status == 200
      and "检查通过" in t and "全部记账" in t and m, (r.status, t[-2500:]))
up = m.group(1) if m else "0" * 32
r, t = bk1.get(f"/vouchers?village={V1}&period=2025")
check("the check posted nothing", "收到承包费" not in t)
r, t = bk2.upload("/import", [("csrf", bk2.csrf()), ("step", "post"), ("kind", "vouchers"),
                              ("village", ""), ("upload", up), ("name", "v.csv")], None, b"")
check("another session cannot post that upload", r.status == 404, (r.status, t[-600:]))
r, t = bk1.upload("/import", [("csrf", tok), ("step", "post"), ("kind", "vouchers"),
                              ("village", ""), ("upload", up), ("name", "v.csv")], None, b"")
shot("import_posted", t)
check("全部记账 posts the file", r.status == 200 and "已记账：2 张凭证" in t, (r.status, t[-2500:]))
r, t = bk1.get(f"/vouchers?village={V1}&period=2025")
check("its vouchers are in the list", "收到承包费" in t)
r, t2 = bk1.get(f"/vouchers?village={V1}&period=2025")
check("the list asked again (a kept page) is the same page", t2 == t)
r, t = bk2.get(f"/vouchers?village={V1}&period=2025")
check("a page kept for one session is never given to another login's", "收到承包费" not in t
      and "周口村" not in t, t[-1500:])
r, t = bk1.upload("/import", [("csrf", tok), ("step", "post"), ("kind", "vouchers"),
                              ("village", ""), ("upload", up), ("name", "v.csv")], None, b"")
check("the same upload cannot be posted twice", r.status == 404, r.status)
r, t = bk2.upload("/import", [("csrf", bk2.csrf()), ("step", "check"), ("kind", "vouchers"),
                              ("village", "")], "v2.csv",
                  good.replace(b"2025-02-03", b"2025-03-03"))
check("another township's bookkeeper: V1's rows are problems", r.status == 422
      and "全部记账" not in t and "村代码" in t, (r.status, t[-1500:]))
# ---- members, a bank statement with its rules, funds: the same check first, then all or nothing
r, t = bk2.get("/import?kind=members")
check("the import page has a tab per kind of file", all(f'href="/import?kind={k}"' in t for k in
      ("vouchers", "opening", "members", "bank", "funds")) and 'value="members"' in t, t[-2000:])
members = ("户编号,姓名,身份证号,与户主关系,电话,开户行,银行账号,户类型,人口股,劳龄股,股权生效日期\n"
           "0101,周德明,360925195803121318,户主,13907951234,靖安县农村商业银行,6228480032110011234,,4,2.5,2025-01-01\n"
           "0101,刘桂英,360925196008051423,配偶,,,,,,,\n").encode()
tok2 = bk2.csrf("/import")
r, t = bk2.upload("/import", [("csrf", tok2), ("step", "check"), ("kind", "members"),
                              ("village", V2)], "成员.csv", members.replace(b",4,2.5,", b",4,x,"))
shot("import_members_problems", t)
rows = re.findall(r'<tr><td class="num">(\d+)</td><td>([^<]*)</td><td>([^<]*)</td></tr>', t)
check("members with a problem: its row and column in the table, nothing imported",
      r.status == 422 and ("2", "劳龄股") in [(a, b) for a, b, _ in rows] and "全部导入" not in t,
      (r.status, rows, t[-2000:]))
r, t = bk2.upload("/import", [("csrf", tok2), ("step", "check"), ("kind", "members"),
                              ("village", V1)], "成员.csv", members)
check("members of another township's village: refused", r.status in (404, 422)
      and "全部导入" not in t, (r.status, t[-1500:]))
r, t = bk2.upload("/import", [("csrf", tok2), ("step", "check"), ("kind", "members"),
                              ("village", V2)], "成员.csv", members)
shot("import_members_checked", t)
m = re.search(r'name="upload" value="([0-9a-f]{32})"', t)
check("members checked: households and shares shown, a 全部导入 button", r.status == 200
      and "1 户" in t and "6.50" in t and "全部导入" in t and m, (r.status, t[-2500:]))
r, t = bk2.upload("/import", [("csrf", tok2), ("step", "post"), ("kind", "members"),
                              ("village", V2), ("upload", m.group(1) if m else "0" * 32),
                              ("name", "成员.csv")], None, b"")
check("全部导入 imports the households", r.status == 200 and "已导入 1 户" in t,
      (r.status, t[-1500:]))

rules = "if 承包费\ndirection in\n  account 501\n  summary 收到{counterparty}承包费\n".encode()
stmt = ("账号,6228480012345678901\n户名,马尾山村股份经济合作社\n起止日期,2025-03-01至2025-03-31\n"
        "交易日期,摘要,对方户名,收入金额,支出金额,余额,用途\n"
        '2025-03-05,转账,张三,"1,200.00",,"1,200.00",承包费\n').encode()
r, t = bk2.get("/import?kind=bank")
shot("import_bank", t)
check("the bank form asks for the account and the rules file", 'name="account"' in t
      and 'name="rules"' in t, t[-1500:])
r, t = bk2.upload("/import", [("csrf", tok2), ("step", "check"), ("kind", "bank"),
                              ("village", V2), ("account", "102001")], "对账单.csv",
                  stmt.replace('"1,200.00",承包费'.encode(), '"1,300.00",承包费'.encode()),
                  [("rules", "rules.txt", rules)])
shot("import_bank_problems", t)
check("a statement whose balance disagrees: a problem, nothing posted", r.status == 422
      and "problems" in t and "全部记账" not in t, (r.status, t[-2000:]))
r, t = bk2.upload("/import", [("csrf", tok2), ("step", "check"), ("kind", "bank"),
                              ("village", V2), ("account", "102001")], "对账单.csv", stmt,
                  [("rules", "rules.txt", rules)])
shot("import_bank_checked", t)
m = re.search(r'name="upload" value="([0-9a-f]{32})"', t)
check("a good statement: its rows with the accounts the rules give, nothing posted yet",
      r.status == 200 and "检查通过" in t and "收到张三承包费" in t and "1,200.00" in t and m,
      (r.status, t[-2500:]))
r, t = bk2.get(f"/vouchers?village={V2}&period=2025-03")
check("the check posted nothing", "收到张三承包费" not in t, t[-1000:])
r, t = bk2.upload("/import", [("csrf", tok2), ("step", "post"), ("kind", "bank"),
                              ("village", V2), ("account", "102001"),
                              ("upload", m.group(1) if m else "0" * 32), ("name", "对账单.csv")],
                  None, b"")
shot("import_bank_posted", t)
check("全部记账 posts the statement's voucher", r.status == 200 and "已记账：1 张凭证" in t,
      (r.status, t[-1500:]))
r, t = bk2.get(f"/vouchers?village={V2}&period=2025-03")
check("it is in the list", "收到张三承包费" in t, t[-1000:])

funds = ("文号,日期,资金类型,来源级次,县代码,村代码,资金代码,金额,用途,项目\n"
         f'靖财农〔2025〕12号,2025-03-01,衔接推进乡村振兴补助资金,中央,360925,{V1},XJ2025-01,'
         '"500,000.00",通组道路硬化,\n').encode()
tok = bk1.csrf("/import")
r, t = bk1.upload("/import", [("csrf", tok), ("step", "check"), ("kind", "funds")], "拨款.csv",
                  funds.replace(b'"500,000.00"', b'"50O,000.00"'))
shot("import_funds_problems", t)
check("funds with a bad amount: the problem in the table, nothing imported", r.status == 422
      and "金额" in t and "全部导入" not in t, (r.status, t[-2000:]))
r, t = bk1.upload("/import", [("csrf", tok), ("step", "check"), ("kind", "funds")], "拨款.csv",
                  funds)
check("a bookkeeper's funds: the database's refusal (admins allocate), nothing imported",
      r.status == 422 and 'class="error"' in t and "全部导入" not in t, (r.status, t[-1500:]))
adm = Client()
adm.login("wb_admin")
tok = adm.csrf("/import")
r, t = adm.upload("/import", [("csrf", tok), ("step", "check"), ("kind", "funds")], "拨款.csv",
                  funds)
shot("import_funds_checked", t)
m = re.search(r'name="upload" value="([0-9a-f]{32})"', t)
check("funds checked by an admin: the allocation shown, a 全部导入 button", r.status == 200
      and "靖财农〔2025〕12号" in t and "500,000.00" in t and "全部导入" in t and m,
      (r.status, t[-2500:]))
r, t = adm.upload("/import", [("csrf", tok), ("step", "post"), ("kind", "funds"),
                              ("upload", m.group(1) if m else "0" * 32), ("name", "拨款.csv")],
                  None, b"")
check("全部导入 imports the fund", r.status == 200 and "已导入资金 1 项" in t, (r.status, t[-1500:]))

# a body announced over 8 MB is refused before it is sent
import socket
s = socket.create_connection((u.hostname, u.port), timeout=30)
cookie = "; ".join(f"{k}={v}" for k, v in bk1.cookies.items())
s.sendall(f"POST /import HTTP/1.1\r\nHost: x\r\nCookie: {cookie}\r\nContent-Type: multipart/"
          f"form-data; boundary=b\r\nContent-Length: {9 * 1024 * 1024}\r\n\r\n".encode())
head = s.recv(4096).decode("utf-8", "replace")
s.close()
check("an upload over 8 MB refused", head.startswith("HTTP/1.1 413"), head[:200])

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
