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

    if os.path.exists(f"{folder}/services.csv"):
        performance(folder)


def open_on(r, day, start="start_date", end="end_date"):
    return d(r[start]) <= day and (not r[end] or d(r[end]) > day)


def days_in(r, first, last, until=SNAPSHOT):
    """Days of the episode [start, end) between first and last inclusive (open episodes run to until)."""
    lo = max(d(r["start_date"]), first)
    hi = min(d(r["end_date"]) if r["end_date"] else date.fromordinal(until.toordinal() + 1), date.fromordinal(last.toordinal() + 1))
    return max(0, (hi - lo).days)


def performance(folder):
    services = rows(folder, "services")
    ld_adult = lambda r: r["psr"] == "learning_disability" and r["age_band"] in ("18-24", "25-64")
    community = lambda r: r["service_type"] not in ("residential", "nursing")

    print("## Long-term support (services.csv)\n")
    body = []
    for snap in (date(2022, 3, 31), date(2023, 3, 31), date(2024, 3, 31), date(2024, 12, 31), date(2025, 3, 31)):
        live = [r for r in services if open_on(r, snap)]
        people = {r["person_id"] for r in live}
        ld = {r["person_id"] for r in live if r["psr"] == "learning_disability"}
        comm = {r["person_id"] for r in live if community(r)}
        dp = {r["person_id"] for r in live if community(r) and r["funding"] == "direct_payment"}
        sds = {r["person_id"] for r in live if community(r) and r["funding"] in ("direct_payment", "individual_service_fund")}
        lda = {r["person_id"] for r in live if ld_adult(r)}
        home = {r["person_id"] for r in live if ld_adult(r) and r["accommodation_status"] in ("own_home_or_family", "supported_living")}
        hc = {r["person_id"] for r in live if r["service_type"] == "home_care"}
        body.append([snap.isoformat(), f"{len(people):,}", len(ld), len(hc), pct(len(dp), len(comm)), pct(len(sds), len(comm)),
                     f"{pct(len(home), len(lda))} ({len(home)} of {len(lda)})"])
    table(["date", "people on long-term support", "with a learning disability", "on home care",
           "ASCOF 1C(2) direct payments", "ASCOF 1C(1) self-directed", "ASCOF 1G"], body)

    starts = Counter()
    for r in services:
        s = d(r["start_date"])
        if s >= date(2015, 4, 1):
            setting = r["service_type"] if r["service_type"] in ("residential", "nursing") else "community"
            starts[(fy(s), setting)] += 1
    table(["FY", "new starts", "residential", "nursing", "community"],
          [[label(y), sum(starts[(y, k)] for k in ("residential", "nursing", "community")),
            starts[(y, "residential")], starts[(y, "nursing")], starts[(y, "community")]] for y in FYS])

    body = []
    hc = [r for r in services if r["service_type"] == "home_care"]
    for name, first, last in (("2024/25 Q1", date(2024, 4, 1), date(2024, 6, 30)), ("2024/25 Q2", date(2024, 7, 1), date(2024, 9, 30)),
                              ("2024/25 Q3", date(2024, 10, 1), date(2024, 12, 31)), ("2024/25 Q4", date(2025, 1, 1), date(2025, 3, 31))):
        hours = sum(float(r["planned_hours_per_week"]) * days_in(r, first, last) / 7 for r in hc)
        cost = sum(float(r["weekly_cost"]) * days_in(r, first, last) / 7 for r in hc)
        body.append([name, f"{hours:,.0f}", f"{cost / hours:.2f}"])
    table(["quarter", "home care hours delivered", "cost per hour (GBP)"], body)
    rate = defaultdict(list)
    for r in hc:
        rate[fy(d(r["start_date"]))].append(float(r["weekly_cost"]) / float(r["planned_hours_per_week"]))
    table(["packages starting in", "mean rate per hour (GBP)"], [[label(y), f"{sum(rate[y]) / len(rate[y]):.2f}"] for y in (2022, 2023, 2024)])
    week = defaultdict(list)
    for r in services:
        if d(r["start_date"]) >= date(2023, 4, 1):
            week[r["service_type"]].append(float(r["weekly_cost"]))
    table(["service type (starts from 2023/24)", "episodes", "mean weekly cost (GBP)"],
          [[k, len(v), f"{sum(v) / len(v):,.0f}"] for k, v in sorted(week.items())])

    print("## Assessments, reviews, reablement, discharges\n")
    assessments = rows(folder, "assessments")
    body = []
    for snap in (date(2023, 3, 31), date(2024, 3, 31), date(2024, 9, 30), date(2024, 12, 31), date(2025, 3, 31)):
        waiting = [r for r in assessments if d(r["received_date"]) <= snap and (not r["completed_date"] or d(r["completed_date"]) > snap)]
        mean_wait = sum((snap - d(r["received_date"])).days for r in waiting) / len(waiting)
        body.append([snap.isoformat(), len(waiting), f"{mean_wait:.0f}"])
    table(["date", "people waiting for an assessment", "mean days waiting"], body)
    body = []
    for y in range(2021, 2025):
        done = [r for r in assessments if r["completed_date"] and fy(d(r["completed_date"])) == y and r["outcome"] != "withdrawn"]
        within = sum(1 for r in done if (d(r["completed_date"]) - d(r["received_date"])).days <= 28)
        mean = sum((d(r["completed_date"]) - d(r["received_date"])).days for r in done) / len(done)
        body.append([label(y), sum(1 for r in assessments if fy(d(r["received_date"])) == y), len(done), pct(within, len(done)), f"{mean:.0f}"])
    table(["FY", "requests", "completed (not withdrawn)", "within 28 days", "mean days to completion"], body)

    reviews = rows(folder, "reviews")
    done = defaultdict(list)
    for r in reviews:
        if r["completed_date"]:
            done[r["person_id"]].append(d(r["completed_date"]))
    body = []
    for snap, since in ((date(2024, 3, 31), date(2023, 4, 1)), (date(2024, 12, 31), date(2024, 4, 1)), (date(2025, 3, 31), date(2024, 4, 1))):
        people = {r["person_id"] for r in services if open_on(r, snap)}
        this_year = sum(1 for p in people if any(since <= c <= snap for c in done[p]))
        year_ago = date(snap.year - 1, snap.month, snap.day)
        twelve = sum(1 for p in people if any(year_ago < c <= snap for c in done[p]))
        body.append([snap.isoformat(), f"{len(people):,}", pct(this_year, len(people)), pct(twelve, len(people))])
    table(["date", "people on long-term support", "reviewed since 1 April", "reviewed in the last 12 months"], body)

    reab = rows(folder, "reablement")
    body = []
    for y in FYS:
        cohort = [r for r in reab if r["end_date"] and fy(d(r["end_date"])) == y and r["source"] == "hospital_discharge"
                  and r["age_band"] in ("65-74", "75-84", "85+") and r["status_91_days"]]
        home = sum(1 for r in cohort if r["status_91_days"] == "at_home")
        ended = [r for r in reab if r["end_date"] and fy(d(r["end_date"])) == y]
        low = sum(1 for r in ended if r["outcome"] in ("no_further_support", "ongoing_low_level"))
        body.append([label(y), sum(1 for r in reab if fy(d(r["start_date"])) == y),
                     f"{pct(home, len(cohort))} ({home} of {len(cohort)})" if cohort else "-", pct(low, len(ended))])
    table(["FY", "reablement starts", "ASCOF 2B(1) at home after 91 days", "ASCOF 2D"], body)

    dis = rows(folder, "discharges")
    body = []
    for y in range(2021, 2025):
        yr = [r for r in dis if r["discharge_date"] and fy(d(r["discharge_date"])) == y]
        paths = Counter(r["pathway"] for r in yr)
        delay = sum((d(r["discharge_date"]) - d(r["decision_date"])).days for r in yr) / len(yr)
        body.append([label(y), len(yr)] + [pct(paths[p], len(yr)) for p in "0123"] + [f"{delay:.1f}"])
    table(["FY", "discharges", "pathway 0", "pathway 1", "pathway 2", "pathway 3", "mean days decision to discharge"], body)

    print("## DoLS, safeguarding, money\n")
    dols = rows(folder, "dols")
    sg = rows(folder, "safeguarding")
    body = []
    for y in range(2021, 2025):
        auth = [r for r in dols if r["outcome"] == "authorised" and fy(d(r["completed_date"])) == y]
        days = sum((d(r["completed_date"]) - d(r["received_date"])).days for r in auth) / len(auth)
        end = date(y + 1, 3, 31)
        waiting = sum(1 for r in dols if d(r["received_date"]) <= end and (not r["completed_date"] or d(r["completed_date"]) > end))
        concerns = [r for r in sg if fy(d(r["concern_date"])) == y]
        q3 = sum(1 for r in concerns if d(r["concern_date"]) <= date(y, 12, 31))
        enq = sum(1 for r in concerns if r["enquiry_start_date"])
        body.append([label(y), sum(1 for r in dols if fy(d(r["received_date"])) == y), len(auth), f"{days:.0f}", waiting,
                     f"{len(concerns):,}", f"{q3:,}", pct(enq, len(concerns))])
    table(["FY", "DoLS applications", "authorised", "mean days to authorisation", "waiting at 31 March",
           "safeguarding concerns", "concerns by Q3", "led to a section 42 enquiry"], body)

    budgets = rows(folder, "budgets")
    body = []
    for y in range(2015, 2026):
        yr = [r for r in budgets if r["fy"] == label(y)]
        budget = sum(float(r["budget"]) for r in yr)
        spent = sum(float(r["outturn"] or r["forecast_outturn"]) for r in yr)
        care = [r for r in yr if r["service_line"] in ("home_care", "residential", "nursing", "supported_living")]
        care_var = sum(float(r["outturn"] or r["forecast_outturn"]) - float(r["budget"]) for r in care)
        body.append([label(y), f"{budget / 1e6:.1f}m", f"{spent / 1e6:.1f}m" + (" (forecast)" if not yr[0]["outturn"] else ""),
                     f"{(spent - budget) / 1e6:+.1f}m", f"{care_var / 1e6:+.1f}m"])
    table(["FY", "budget", "outturn", "variance", "variance on commissioned care (home care, residential, nursing, supported living)"], body)

    bench = rows(folder, "benchmarks")
    body = []
    for m in sorted({r["measure"] for r in bench}):
        for y in ("2023/24", "2024/25"):
            rs = [r for r in bench if r["measure"] == m and r["fy"] == y]
            councils = sorted(float(r["value"]) for r in rs if r["comparator_type"] == "council")
            get = lambda t: next((r["value"] for r in rs if r["comparator_type"] == t), "-")
            q = {r["comparator_code"]: r["value"] for r in rs if r["comparator_type"] == "quartile"}
            body.append([m, y, len(councils), f"{councils[0]}-{councils[-1]}", get("region"), get("england"),
                         " / ".join(q.get(k, "-") for k in ("lower_quartile", "median", "upper_quartile"))])
    table(["measure", "FY", "comparator councils", "their range", "region", "England", "quartiles (lower / median / upper)"], body)
    targets = rows(folder, "measure_targets")
    table(["measure", "FY", "version", "target", "amber margin"],
          [[r["measure"], r["fy"], r["version"], r["target"], r["amber_margin"]] for r in targets])


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
