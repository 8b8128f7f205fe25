#!/usr/bin/python3
"""Check an XLSX written by cunji without trusting cunji: every formula
(=SUM(...) or =A1+B2-C3) is evaluated over the cached values of the cells
it names and must equal its own cached value; money cells carry #,##0.00
(percentages 0.0%); every worksheet has its title merged across, frozen
header rows repeated on printed pages, A4 paper and fit-to-width.

usage: check_xlsx.py FILE.xlsx [--dump]   (--dump prints every sheet as TSV)
Exit 0 when every check passes; the failures are printed otherwise."""
import re
import sys

import openpyxl
from openpyxl.utils.cell import range_boundaries

path = sys.argv[1]
formulas = openpyxl.load_workbook(path)
values = openpyxl.load_workbook(path, data_only=True)
failures = []
checked = 0


def cents(v):
    return round(float(v or 0) * 100)


def cell_cents(ws, ref):
    return cents(ws[ref].value)


def evaluate(ws, formula):
    body = formula[1:]
    m = re.fullmatch(r"SUM\((.*)\)", body)
    if m:
        total = 0
        for part in m.group(1).split(","):
            if ":" in part:
                c0, r0, c1, r1 = range_boundaries(part)
                for r in range(r0, r1 + 1):
                    for c in range(c0, c1 + 1):
                        total += cents(ws.cell(row=r, column=c).value)
            else:
                total += cell_cents(ws, part)
        return total
    if body == "0":
        return 0
    total = 0
    for sign, ref in re.findall(r"([+-]?)([A-Z]+[0-9]+)", body):
        total += -cell_cents(ws, ref) if sign == "-" else cell_cents(ws, ref)
    if re.sub(r"[+-]?[A-Z]+[0-9]+", "", body):
        raise ValueError("unexpected formula " + formula)
    return total


for ws in formulas.worksheets:
    wv = values[ws.title]
    if "--dump" in sys.argv:
        print("## " + ws.title)
        for row in wv.iter_rows(values_only=True):
            print("\t".join("" if v is None else str(v) for v in row).rstrip("\t"))
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, str) and c.value.startswith("="):
                checked += 1
                got = cell_cents(wv, c.coordinate)
                want = evaluate(wv, c.value)
                if got != want:
                    failures.append(f"{ws.title}!{c.coordinate} {c.value}: cached {got / 100} but the cells sum to {want / 100}")
                if c.number_format not in ("#,##0.00", "0"):
                    failures.append(f"{ws.title}!{c.coordinate}: number format {c.number_format}")
            elif isinstance(c.value, float) and c.number_format not in ("#,##0.00", "0.0%"):
                failures.append(f"{ws.title}!{c.coordinate}: {c.value} has format {c.number_format}")
    merged = [str(r) for r in ws.merged_cells.ranges]
    if ws.max_column > 1 and not any(m.startswith("A1:") for m in merged):
        failures.append(f"{ws.title}: the title is not merged across ({merged[:3]})")
    if not ws.freeze_panes:
        failures.append(f"{ws.title}: no frozen header rows")
    if not ws.print_title_rows:
        failures.append(f"{ws.title}: header rows not repeated when printed")
    if ws.page_setup.paperSize != 9 or not ws.sheet_properties.pageSetUpPr.fitToPage:
        failures.append(f"{ws.title}: not A4 fit to width")

for f in failures:
    print("FAIL: " + f)
print(f"{path}: {len(formulas.worksheets)} sheets, {len(formulas.chartsheets)} chart sheets, "
      f"{checked} formulas checked, {len(failures)} failures")
sys.exit(1 if failures else 0)
