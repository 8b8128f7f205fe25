#!/usr/bin/python3
"""Check the disclosure sheets under a directory as their readers see them,
with tools we did not write (poppler, openpyxl):

* every page of every PDF carries the whole hotline ("监督举报电话 PHONE");
* no number is split across lines: every word holding a digit (a run of
  printable ASCII: a number, an amount, a voucher, ID or phone number, a
  date; two joined by 至, a date range) of the XLSX twin's cells appears
  whole on a line of `pdftotext -layout` at least as often (the title block,
  notes and footer, which every sheet of the XLSX repeats, count once);
* the text extracts exactly: every text cell of the XLSX twin, whitespace aside, is in
  `pdftotext -raw`;
* the signatures of each report are on the page of its last table's last row;
* every PDF embeds its font, subset, and stays under 150 KB;
* 支付进度 cells are numbers with a percent format;
* every page renders (pdftoppm) with something on it.

usage: check_sheets.py DIR PHONE
Exit 0 when every check passes; the failures are printed otherwise."""
import collections
import glob
import os
import re
import subprocess
import sys

import openpyxl

top, phone = sys.argv[1], sys.argv[2]
failures = []
WORD = re.compile(r"[!-~]+(?:至[!-~]+)*")
MAX_BYTES = 150 * 1024


def words(text):
    return [w for w in WORD.findall(text) if any(ch.isdigit() for ch in w)]


def shown(cell):
    """a cell's value as the PDF prints it"""
    v, fmt = cell.value, cell.number_format
    if isinstance(v, bool) or v is None:
        return ""
    if isinstance(v, (int, float)):
        if "%" in fmt:
            return f"{v * 100:.1f}%"
        if fmt == "0":
            return str(int(v))
        return f"{v:,.2f}"
    return str(v)


def xlsx_words(wb):
    """the digit words of the tables (every occurrence) and of the blocks around them (once)"""
    table, blocks = collections.Counter(), set()
    for ws in wb.worksheets:
        rows = list(ws.iter_rows())
        head = next(i for i, r in enumerate(rows) if sum(c.value is not None for c in r) >= 2)
        end = next((i for i in range(head, len(rows)) if all(c.value is None for c in rows[i])), len(rows))
        for i, r in enumerate(rows):
            for c in r:
                text = shown(c)
                if head <= i < end:
                    table.update(words(text))
                elif text:
                    blocks.add(text)
    for text in blocks:
        table.update(words(text))
    return table


def last_rows(wb):
    """per report (its sheets share the title in A1): the digit words of its last table's
    last row, and its first signature label"""
    out = []
    for ws in wb.worksheets:
        rows = list(ws.iter_rows())
        head = next(i for i, r in enumerate(rows) if sum(c.value is not None for c in r) >= 2)
        end = next((i for i in range(head, len(rows)) if all(c.value is None for c in rows[i])), len(rows))
        sign = next((shown(c) for r in rows[end:] for c in r if re.search(r"（签[章字]）", shown(c))), None)
        last = collections.Counter(w for c in rows[end - 1] for w in words(shown(c)))
        if out and out[-1][0] == rows[0][0].value:
            out[-1] = (rows[0][0].value, last, sign)
        else:
            out.append((rows[0][0].value, last, sign))
    return out


def percent_cells(wb, name):
    """支付进度 below its title: numbers with a percent format"""
    for ws in wb.worksheets:
        for r in ws.iter_rows():
            for c in r:
                if c.value != "支付进度":
                    continue
                for below in ws.iter_rows(min_row=c.row + 1, min_col=c.column, max_col=c.column):
                    v = below[0]
                    if v.value is None:
                        continue
                    if not isinstance(v.value, (int, float)) or "%" not in v.number_format:
                        failures.append(f"{name}: {ws.title}!{v.coordinate} 支付进度 "
                                        f"is {v.value!r} with format {v.number_format}, not a percentage")


def run(*cmd):
    return subprocess.run(cmd, capture_output=True, check=True).stdout


pdfs = sorted(glob.glob(os.path.join(top, "**", "*.pdf"), recursive=True))
if not pdfs:
    failures.append(f"no PDF under {top}")
for pdf in pdfs:
    name = os.path.basename(pdf)
    info = run("pdfinfo", pdf).decode()
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    # the hotline on every page (pdftotext ends each page with a form feed)
    layout = run("pdftotext", "-layout", pdf, "-").decode()
    for p, page in enumerate(layout.split("\f")[:pages], 1):
        text = re.sub(r"\s", "", page)
        if "监督举报电话" + phone not in text:
            hot = re.findall(r"监督举报电话.{0,12}", text)
            failures.append(f"{name} page {p}: footer has {hot[-1] if hot else 'no hotline'!r}, "
                            f"not 监督举报电话{phone}")
    # numbers whole
    twin = pdf[:-4] + ".xlsx"
    if os.path.exists(twin):
        wb = openpyxl.load_workbook(twin, data_only=True)
        have = collections.Counter(words(layout))
        for w, n in sorted(xlsx_words(wb).items()):
            if have[w] < n:
                failures.append(f"{name}: '{w}' {n} time(s) in the XLSX, {have[w]} whole in the PDF")
        percent_cells(wb, os.path.basename(twin))
        # the text extracts exactly: every text cell, whitespace aside, in stream order
        raw = re.sub(r"\s", "", run("pdftotext", "-raw", pdf, "-").decode())
        for ws in wb.worksheets:
            for r in ws.iter_rows():
                for c in r:
                    if isinstance(c.value, str) and re.sub(r"\s", "", c.value) not in raw:
                        failures.append(f"{name}: {ws.title}!{c.coordinate} {c.value!r} is not in "
                                        "the PDF's text")
        # each report's signatures on the page of its last table's last row
        signed = [p for p, page in enumerate(layout.split("\f"), 1) if re.search(r"（签[章字]）", page)]
        for title, last, sign in last_rows(wb):
            if not sign:
                continue
            at = next((p for p in signed if sign.split("（")[0] in layout.split("\f")[p - 1]), None)
            if at is None:
                failures.append(f"{name}: no page signed for {title}")
                continue
            signed.remove(at)
            page = collections.Counter(words(layout.split("\f")[at - 1]))
            if any(page[w] < n for w, n in last.items()):
                failures.append(f"{name}: the signatures of {title} are on page {at}, "
                                f"without the last row of its table {sorted(last)}")
    # the font: embedded, subset; the file small
    fonts = run("pdffonts", pdf).decode().splitlines()[2:]
    if len(fonts) != 1 or not re.search(r"^[A-Z]{6}\+\S+\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes", fonts[0]):
        failures.append(f"{name}: fonts {fonts}, want one embedded subset CID TrueType")
    if os.path.getsize(pdf) > MAX_BYTES:
        failures.append(f"{name}: {os.path.getsize(pdf)} bytes, over {MAX_BYTES}")
    # every page as an image: rendered, not blank (gray PGM, 20 dpi)
    img, at, count = run("pdftoppm", "-r", "20", "-gray", pdf), 0, 0
    while (m := re.compile(rb"P5\s+(\d+)\s+(\d+)\s+255\s").match(img, at)):
        at = m.end() + int(m.group(1)) * int(m.group(2))
        count += 1
        if min(img[m.end():at]) == 255:
            failures.append(f"{name}: page {count} renders blank")
    if count != pages:
        failures.append(f"{name}: {count} of {pages} pages rendered")

for f in failures[:40]:
    print("FAIL: " + f)
print(f"{top}: {len(pdfs)} PDFs checked, {len(failures)} failures")
sys.exit(1 if failures else 0)
