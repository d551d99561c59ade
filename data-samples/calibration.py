#!/usr/bin/env python3
"""Calibration figures of a generated sample, computed straight from its CSV files.

Usage: python3 data-samples/calibration.py [data-samples/harbridge] [--update-readme]
Prints Markdown tables (standard library only). Independent of the C# generator.
With --update-readme, replaces everything after the marker line in data-samples/README.md.
"""
import contextlib
import io
import os
import csv
import sys
from collections import Counter, defaultdict
from datetime import date

SNAPSHOT = date(2025, 3, 31)
FYS = range(2015, 2025)


def rows(folder, name):
    with open(f"{folder}/{name}.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def d(text):
    return date.fromisoformat(text) if text else None


def fy(day):
    return day.year if day.month >= 4 else day.year - 1


def label(year):
    return f"{year}/{(year + 1) % 100:02d}"


def pct(part, whole):
    if not whole:
        return "-"
    share = 100.0 * part / whole
    return f"{share:.2f}%" if share < 1 else f"{share:.1f}%"


def table(header, body):
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for r in body:
        print("| " + " | ".join(str(x) for x in r) + " |")
    print()


def main(folder):
    pop = defaultdict(int)
    for r in rows(folder, "population"):
        if r["variant"] == "estimate":
            y, band, n = int(r["year"]), r["age_band"], int(r["population"])
            if band in ("18-24", "25-64"):
                pop[(y, "18-64")] += n
            elif band in ("65-74", "75-84", "85+"):
                pop[(y, "65+")] += n

    contacts = rows(folder, "contacts")
    per_fy = Counter(fy(d(r["contact_date"])) for r in contacts)
    q4 = Counter(fy(d(r["contact_date"])) for r in contacts if d(r["contact_date"]).month <= 3)

    admissions = rows(folder, "admissions")
    adm = Counter()
    for r in admissions:
        day = d(r["admission_date"])
        if day >= date(2015, 4, 1):
            adm[(fy(day), "65+" if int(r["age_at_admission"]) >= 65 else "18-64")] += 1

    leavers = rows(folder, "leavers")
    left = {r["admission_id"]: d(r["leave_date"]) for r in leavers}
    moved = Counter(fy(d(r["leave_date"])) for r in leavers if r["reason"] == "moved_to_supported_living")
    starts = Counter(fy(d(r["start_date"])) for r in rows(folder, "tenancies"))

    print("## Flows per financial year\n")
    body = []
    for y in FYS:
        body.append([
            label(y), per_fy[y], pct(q4[y], per_fy[y]),
            f"{pop[(y, '65+')]:,}", adm[(y, '65+')], f"{100000 * adm[(y, '65+')] / pop[(y, '65+')]:.0f}",
            f"{pop[(y, '18-64')]:,}", adm[(y, '18-64')], f"{100000 * adm[(y, '18-64')] / pop[(y, '18-64')]:.1f}",
            moved[y], starts[y],
        ])
    table(["FY", "contacts", "Q4 share", "pop 65+ (mid-year)", "admissions 65+", "per 100,000",
           "pop 18-64 (mid-year)", "admissions 18-64", "per 100,000", "moves residential to SL", "new tenancies"], body)

    print("## Contact mixes (all years)\n")
    n = len(contacts)
    routes = Counter(r["route"] for r in contacts)
    outcomes = Counter(r["outcome"] for r in contacts)
    table(["route", "share"], [[k, pct(v, n)] for k, v in routes.most_common()])
    table(["outcome", "share"], [[k, pct(v, n)] for k, v in outcomes.most_common()])
    no_psr = sum(1 for r in contacts if not r["psr"])
    repeats = sum(1 for r in contacts if r["repeat_within_12m"] == "true")
    table(["measure", "value"], [["psr not specified", pct(no_psr, n)], ["repeat within 12 months", pct(repeats, n)]])

    print("## People in residential or nursing care at 31 March 2025\n")
    stock = Counter()
    for r in admissions:
        a = r["admission_id"]
        if d(r["admission_date"]) <= SNAPSHOT and (a not in left or left[a] > SNAPSHOT):
            stock[r["psr"] or "(not specified)"] += 1
    table(["psr", "people"], [[k, v] for k, v in sorted(stock.items())] + [["total", sum(stock.values())]])
    reasons = Counter(r["reason"] for r in leavers)
    table(["leaver reason (all leavers)", "share"], [[k, pct(v, len(leavers))] for k, v in reasons.most_common()])

    print("## Supported-living stock\n")
    schemes = {r["scheme_id"]: r for r in rows(folder, "schemes")}
    units = rows(folder, "units")
    by = Counter()
    for u in units:
        s = schemes[u["scheme_id"]]
        by[(s["category"], "in area" if s["in_area"] == "true" else "out of area")] += 1
    cats = ["supported_living", "shared_house", "extra_care"]
    body = [[c, by[(c, "in area")], by[(c, "out of area")], by[(c, "in area")] + by[(c, "out of area")]] for c in cats]
    body.append(["total", sum(by[(c, "in area")] for c in cats), sum(by[(c, "out of area")] for c in cats), len(units)])
    table(["category", "in area", "out of area", "units"], body)
    print(f"Schemes: {len(schemes)}.\n")

    unit_scheme = {u["unit_id"]: schemes[u["scheme_id"]] for u in units}
    status = Counter()
    occupied_in_area = 0
    for r in rows(folder, "unit_status"):
        if d(r["valid_from"]) <= SNAPSHOT and (not r["valid_to"] or d(r["valid_to"]) > SNAPSHOT):
            status[r["status"]] += 1
            if r["status"] == "occupied" and unit_scheme[r["unit_id"]]["in_area"] == "true":
                occupied_in_area += 1
    total = sum(status.values())
    table(["status at 31 March 2025", "units"],
          [[k, status[k]] for k in ("occupied", "void", "offline")] +
          [["occupancy (occupied / all units)", pct(status["occupied"], total)],
           ["occupancy (occupied / units not offline)", pct(status["occupied"], total - status["offline"])],
           ["people in supported living in area (occupied in-area units)", occupied_in_area]])

    print("## Waiting list at 31 March 2025\n")
    open_rows = [r for r in rows(folder, "waiting_list")
                 if d(r["date_added"]) <= SNAPSHOT and (not r["date_removed"] or d(r["date_removed"]) > SNAPSHOT)]
    m = len(open_rows)
    pref = Counter(r["preference"] for r in open_rows)
    ages = Counter(r["age_band"] for r in open_rows)
    table(["preference", "people", "share"], [[k, pref[k], pct(pref[k], m)] for k in ("self_contained", "shared", "no_preference")] + [["total", m, ""]])
    table(["age band", "people", "share"], [[k, ages[k], pct(ages[k], m)] for k in ("under_18", "18-20", "21-24", "25-64", "65+")])

    print("## Pipeline and transitions\n")
    pipe = defaultdict(lambda: [0, 0])
    for r in rows(folder, "pipeline"):
        pipe[r["status"]][0] += 1
        pipe[r["status"]][1] += int(r["units"])
    table(["pipeline status", "schemes", "units"], [[k, v[0], v[1]] for k, v in pipe.items()])
    trans = rows(folder, "transitions")
    def turns18(r):
        b = d(r["date_of_birth"])
        return fy(date(b.year + 18, b.month, b.day if (b.month, b.day) != (2, 29) else 28))
    next4 = [r for r in trans if 2025 <= turns18(r) <= 2028]
    table(["transitions", "young people"],
          [["turning 18 in 2025/26 to 2028/29", len(next4)],
           ["of whom placed out of area", sum(1 for r in next4 if r["out_of_area"] == "true")],
           ["all known (18th birthday 2025/26 to 2034/35)", len(trans)]])


MARKER = "<!-- calibration tables: generated by calibration.py --update-readme -->"

if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    folder = args[0] if args else "data-samples/harbridge"
    if "--update-readme" in sys.argv:
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            main(folder)
        readme = os.path.join(os.path.dirname(os.path.abspath(__file__)), "README.md")
        with open(readme, encoding="utf-8") as f:
            head = f.read().split(MARKER)[0]
        tables = buffer.getvalue().replace("\n## ", "\n### ").replace("## ", "### ", 1)
        with open(readme, "w", encoding="utf-8", newline="\n") as f:
            f.write(head + MARKER + "\n\n" + tables.rstrip("\n") + "\n")
    else:
        main(folder)
