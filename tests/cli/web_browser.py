#!/usr/bin/env python3
"""The web pages in a real browser: headless Chromium driven by WebDriver (Selenium).

web_browser.py LOGIN_URL PUBLIC_URL V1 V2 HID SHOTS_DIR
The county of web_setup.sh, review required in V1's township.  A bookkeeper enters a
voucher with an unbalanced line, sees the refusal, fixes it and finds it in the list; a
reviewer reviews it and the bookkeeper posts it; the board of another village cannot open
it by link or by a guessed URL; the inspector sees the finding it triggers, searches a payee
across villages and opens a household's receipts (by its head's ID number HID); the public page
shows the published sheet, the check page verifies it, and both downloads are valid files.
Screenshots of the main pages go to SHOTS_DIR.  Prints failures; exits 1 on any.
"""
import glob
import os
import re
import subprocess
import sys
import tempfile
import time

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.support.ui import Select, WebDriverWait

login_url, public_url, V1, V2, HID, shots = sys.argv[1:7]
login_url, public_url = login_url.rstrip("/"), public_url.rstrip("/")
os.makedirs(shots, exist_ok=True)
downloads = tempfile.mkdtemp(prefix="cunji-downloads-")
passed = failed = 0


def check(what, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {what} {detail}"[:2000])


def browser():
    o = Options()
    o.binary_location = "/usr/bin/chromium"
    for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--lang=zh-CN", "--window-size=1280,900", "--no-first-run"]:
        o.add_argument(a)
    o.add_experimental_option("prefs", {"download.default_directory": downloads,
                                        "download.prompt_for_download": False,
                                        "plugins.always_open_pdf_externally": True})
    d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=o)
    d.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
    d.set_page_load_timeout(60)
    d.implicitly_wait(5)  # a page under load may take a moment to appear
    return d


def shot(d, name, phone=False):
    """A screenshot of the whole page, at a phone's width or a desktop's."""
    width = 412 if phone else 1280
    d.set_window_size(width, 900)
    height = d.execute_script("return document.documentElement.scrollHeight")
    d.set_window_size(width, min(max(height, 600), 4000))
    d.save_screenshot(os.path.join(shots, name + ".png"))
    d.set_window_size(1280, 900)


def body(d):
    return d.find_element(By.TAG_NAME, "body").text


def gone(el):
    """Whether an element has left the page. Chromium answers a lookup of a node from a page
    being replaced either "stale" or, mid-swap, "does not belong to the document": both mean
    gone (selenium's staleness_of only knows the first)."""
    try:
        el.is_enabled()
        return False
    except StaleElementReferenceException:
        return True
    except WebDriverException as e:
        if "does not belong to the document" in str(e) or "No node with given id" in str(e):
            return True
        raise


def follow(d, el):
    """Click a link or a submit button and wait for the next page to have loaded: reading
    the page straight after a click may read the old one, or lose it half-way (stale)."""
    old = d.find_element(By.TAG_NAME, "html")
    el.click()
    WebDriverWait(d, 60).until(lambda x: gone(old))
    WebDriverWait(d, 60).until(loaded)


def loaded(d):
    """Whether the page has loaded; a script run while one document replaces another may
    fail, which means not yet."""
    try:
        return d.execute_script("return document.readyState") == "complete"
    except WebDriverException:
        return False


def login(d, who):
    d.delete_all_cookies()
    d.get(login_url + "/login")
    d.find_element(By.NAME, "login").send_keys(who)
    d.find_element(By.NAME, "password").send_keys("pw-" + who)
    follow(d, d.find_element(By.CSS_SELECTOR, "form.login button[type=submit]"))
    return "/villages" in d.current_url


def set_value(d, el, value):
    d.execute_script("arguments[0].value = arguments[1];"
                     "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));", el, value)


d = browser()
try:
    # ---- a bookkeeper enters a voucher: unbalanced first, refused, then fixed
    d.get(login_url + "/login")
    shot(d, "01-login", phone=True)
    check("the bookkeeper logs in", login(d, "pub_bk1"), d.current_url)
    shot(d, "02-villages")
    d.get(login_url + "/entry")
    Select(d.find_element(By.NAME, "village")).select_by_value(V1)
    set_value(d, d.find_element(By.NAME, "date"), "2025-04-10")
    d.find_element(By.NAME, "summary").send_keys("现金支付修路款")
    acct = d.find_elements(By.NAME, "account")
    debit = d.find_elements(By.NAME, "debit")
    credit = d.find_elements(By.NAME, "credit")
    acct[0].send_keys("513")
    debit[0].send_keys("3000")
    acct[1].send_keys("101")
    credit[1].send_keys("2000")
    time.sleep(0.3)
    live = d.find_element(By.ID, "balance")
    check("the live check says it does not balance", "bad" in (live.get_attribute("class") or ""),
          live.get_attribute("outerHTML"))
    follow(d, d.find_element(By.CSS_SELECTOR, "button.primary"))
    err = d.find_elements(By.CSS_SELECTOR, "p.error")
    check("the unbalanced voucher is refused beside the form", err and "3,000.00" in err[0].text
          and "2,000.00" in err[0].text, body(d)[:500])
    check("what was typed is kept", d.find_element(By.NAME, "summary").get_attribute("value")
          == "现金支付修路款")
    shot(d, "03-entry-refused", phone=True)
    # on a phone (412 px) the lines stack: nothing scrolls sideways, each refusal is on screen
    d.set_window_size(412, 900)
    fit = d.execute_script(
        "const w = document.documentElement.clientWidth;"
        "const errs = [...document.querySelectorAll('.field-error, p.error')]"
        "  .map(e => e.getBoundingClientRect()).map(r => [Math.round(r.left), Math.round(r.right)]);"
        "return [w, document.documentElement.scrollWidth, errs];")
    d.set_window_size(1280, 900)
    check("the entry form fits a 412 px phone: no sideways scroll, refusals on screen",
          fit[1] <= fit[0] and fit[2] and all(0 <= a and b <= fit[0] for a, b in fit[2]), fit)
    credit = d.find_elements(By.NAME, "credit")
    credit[1].clear()
    credit[1].send_keys("3000")
    time.sleep(0.3)
    check("the live check says it balances", "ok" in (d.find_element(By.ID, "balance")
                                                      .get_attribute("class") or ""))
    follow(d, d.find_element(By.CSS_SELECTOR, "button.primary"))
    notice = d.find_elements(By.CSS_SELECTOR, "p.notice")
    m = re.search(r"草稿(\d+)", notice[0].text) if notice else None
    check("the fixed voucher is saved as a draft awaiting review", m is not None, body(d)[:500])
    draft = m.group(1) if m else "0"
    shot(d, "04-entry-saved")
    d.get(f"{login_url}/vouchers?village={V1}")
    check("it is in the voucher list", "现金支付修路款" in body(d))
    shot(d, "05-vouchers")

    # ---- the reviewer reviews it; the bookkeeper posts it
    check("the reviewer logs in", login(d, "pub_rev1"))
    d.get(login_url + "/review")
    shot(d, "06-review")
    row = [tr for tr in d.find_elements(By.CSS_SELECTOR, "tr") if "现金支付修路款" in tr.text]
    check("the draft is in the review queue", bool(row))
    if row:
        follow(d, row[0].find_element(By.CSS_SELECTOR, "button[value=review]"))
        check("reviewed", "赵主管" in body(d), body(d)[:600])
    check("the bookkeeper logs in again", login(d, "pub_bk1"))
    d.get(f"{login_url}/voucher?village={V1}&draft={draft}")
    posts = d.find_elements(By.CSS_SELECTOR, "button[value=post]")
    check("a reviewed draft can be posted", bool(posts), body(d)[:600])
    if posts:
        follow(d, posts[0])
    number = re.search(r"2025-04-(\d+)", d.find_element(By.TAG_NAME, "body").get_attribute("innerHTML"))
    d.get(f"{login_url}/vouchers?village={V1}&period=2025-04")
    link = [a for a in d.find_elements(By.CSS_SELECTOR, "a") if "记字第" in a.text]
    check("posted: it has a number in the list", bool(link) and "现金支付修路款" in body(d), body(d)[:600])
    voucher_href = link[0].get_attribute("href") if link else ""
    if link:
        follow(d, link[0])
        shot(d, "07-voucher")
        check("the voucher page shows it", "现金支付修路款" in body(d) and "3,000.00" in body(d))

    # ---- the board of another village: not by link, not by guessing
    check("V2's board logs in", login(d, "pub_board2"))
    for url in [voucher_href, f"{login_url}/voucher?village={V1}&draft={draft}",
                f"{login_url}/voucher?village={V1}&number=2025-04-1",
                f"{login_url}/vouchers?village={V1}"]:
        if not url:
            continue
        d.get(url)
        check(f"V2's board cannot open {url}", "现金支付修路款" not in body(d)
              and "3,000.00" not in body(d), body(d)[:300])
    d.get(voucher_href)
    shot(d, "08-board-refused", phone=True)
    d.get(login_url + "/board")
    check("V2's board page: nothing of V1", "周口村" not in body(d))
    check("V1's board logs in", login(d, "pub_board1"))
    d.get(login_url + "/board")
    check("V1's board sees its published quarter", "2025年第一季度" in body(d) and "2025-04-15" in body(d))
    shot(d, "09-board", phone=True)

    # ---- the inspector: county -> township -> village -> the finding -> the voucher
    check("the inspector logs in", login(d, "pub_insp"))
    d.get(login_url + "/inspect")
    shot(d, "10-inspect-county")
    follow(d, d.find_element(By.LINK_TEXT, "双溪镇"))
    follow(d, d.find_element(By.LINK_TEXT, "周口村"))
    text = body(d)
    check("the inspector sees the large cash payment (R11)", "R11" in text and "大额现金" in text, text[:800])
    shot(d, "11-inspect-village")
    found = [a for a in d.find_elements(By.CSS_SELECTOR, "table.report a")
             if a.get_attribute("href") and "number=2025-04" in a.get_attribute("href")]
    check("the finding links the voucher", bool(found))
    if found:
        follow(d, found[0])
        check("which opens", "现金支付修路款" in body(d), body(d)[:300])
    d.get(login_url + "/trace")
    shot(d, "12-trace")

    # ---- the inspector's search across villages: a payee written another way, then the voucher
    menu = [a.text for a in d.find_elements(By.CSS_SELECTOR, "header nav a")]
    check("the inspector's menu has the search and the household pages",
          "跨村查询" in menu and "农户收款" in menu, menu)
    follow(d, d.find_element(By.LINK_TEXT, "跨村查询"))
    check("the search form carries its CSRF token",
          bool(d.find_elements(By.CSS_SELECTOR, "form[action='/search'] input[name=csrf]")))
    d.find_element(By.NAME, "payee").send_keys("路通建设 工程公司")
    follow(d, d.find_element(By.CSS_SELECTOR, "form[action='/search'] button[type=submit]"))
    text = body(d)
    check("the search finds the company in V2, in Chinese", "马尾山村" in text and "5,500.00" in text
          and "购水泥" in text and "合计" in text and "收付对象" in text, text[:800])
    check("the ID number stays out of the URL", d.current_url.endswith("/search"), d.current_url)
    shot(d, "16-search")
    found = [a for a in d.find_elements(By.CSS_SELECTOR, "table.report a")
             if "number=2025-05-2" in (a.get_attribute("href") or "")]
    check("the line found links its voucher", bool(found))
    if found:
        follow(d, found[0])
        check("which opens", "购水泥" in body(d) and "5,500.00" in body(d), body(d)[:300])
    # ---- a household's receipts by its head's ID number
    follow(d, d.find_element(By.LINK_TEXT, "农户收款"))
    d.find_element(By.NAME, "id").send_keys(HID)
    follow(d, d.find_element(By.CSS_SELECTOR, "form[action='/household'] button[type=submit]"))
    text = body(d)
    check("the household's receipts: paid from the bank by the head's name, with the totals",
          "刘大（H01）" in text and "1,200.00" in text and "支付护林员工资" in text and "小计" in text
          and "合计" in text, text[:800])
    sub = d.find_elements(By.CSS_SELECTOR, "table.report tr.subtotal")
    tot = d.find_elements(By.CSS_SELECTOR, "table.report tr.total")
    check("its 小计 and 合计 rows set apart (bold)",
          sub and all("小计" in e.text for e in sub) and tot and "合计" in tot[-1].text
          and sub[0].find_element(By.TAG_NAME, "td").value_of_css_property("font-weight") in ("700", "bold"),
          [e.text for e in sub + tot])
    shot(d, "17-household")
    paid = [a for a in d.find_elements(By.CSS_SELECTOR, "table.report a")
            if "number=2025-05-1" in (a.get_attribute("href") or "")]
    check("the payment links its voucher", bool(paid))
    if paid:
        follow(d, paid[0])
        check("which opens", "支付护林员工资" in body(d), body(d)[:300])
    follow(d, d.find_element(By.LINK_TEXT, "农户收款"))
    d.find_element(By.NAME, "id").send_keys("360925197001010999")
    follow(d, d.find_element(By.CSS_SELECTOR, "form[action='/household'] button[type=submit]"))
    err = d.find_elements(By.CSS_SELECTOR, "p.error")
    check("an ID number of no household in scope is said so, in Chinese",
          err and "360925197001010999" in err[0].text and not re.search(r"[A-Za-z]{3}", err[0].text),
          err[0].text if err else body(d)[:300])

    # ---- the public: the published sheet, its check, its files
    d.delete_all_cookies()
    d.get(public_url + "/")
    check("the public page lists the published sheet", "周口村" in body(d) and "2025年第一季度" in body(d))
    shot(d, "13-public-index", phone=True)
    follow(d, d.find_element(By.CSS_SELECTOR, "main a[href^='/sheet?id=']"))
    text = body(d)
    check("the sheet as a page", "收支情况" in text and "相符" in text, text[:500])
    money = re.compile(r"^-?\d{1,3}(,\d{3})*\.\d{2}$")
    cells = [(td.text, td.value_of_css_property("text-align"), "num" in td.get_attribute("class"))
             for td in d.find_elements(By.CSS_SELECTOR, "table.report td")]
    amounts = [c for c in cells if money.match(c[0])]
    check("the sheet's amounts are right-aligned (class num), its labels are not",
          amounts and all(a == "right" and num for _, a, num in amounts)
          and all(a != "right" for t, a, _ in cells if t and not re.search(r"\d", t)),
          [c for c in cells if money.match(c[0]) and c[1] != "right"][:5])
    shot(d, "14-public-sheet", phone=True)
    shot(d, "14-public-sheet-desktop")
    follow(d, d.find_element(By.CSS_SELECTOR, "main a[href^='/check?id=']"))
    check("the check page verifies it", "✔ 相符" in body(d) and "12317" in body(d), body(d)[:500])
    shot(d, "15-public-check", phone=True)
    for fmt in ["Excel", "PDF"]:
        d.find_element(By.CSS_SELECTOR, "main a[href*='format=%s']" % ("xlsx" if fmt == "Excel" else "pdf")).click()
        ext = "xlsx" if fmt == "Excel" else "pdf"
        got = []
        for _ in range(100):
            got = [f for f in glob.glob(os.path.join(downloads, "*." + ext))]
            if got and not glob.glob(os.path.join(downloads, "*.crdownload")):
                break
            time.sleep(0.2)
        check(f"the {fmt} download arrives", bool(got), os.listdir(downloads))
        if not got:
            continue
        if ext == "xlsx":
            import openpyxl
            wb = openpyxl.load_workbook(got[0])
            check("the XLSX is a valid workbook with the sheet", "收支情况" in wb.sheetnames
                  and any("周口村" in str(c.value) for row in wb["收支情况"].iter_rows()
                          for c in row if c.value), wb.sheetnames)
        else:
            t = subprocess.run(["pdftotext", "-layout", got[0], "-"], capture_output=True, text=True)
            check("the PDF is a valid PDF with the sheet", t.returncode == 0 and "周口村" in t.stdout,
                  t.stderr[:300])
        if "/file" in d.current_url:
            d.back()
except Exception as e:  # noqa: BLE001 - a page that is not as expected is a failure
    import traceback
    traceback.print_exc(limit=3)
    check("the browser run went through", False, (d.current_url, body(d)[:600]))
finally:
    d.quit()

print(f"{passed} passed, {failed} failed; screenshots in {shots}")
sys.exit(1 if failed else 0)
