"""The Python client against a real server seeded with data-samples/harbridge; expected values are
computed here from the CSV files with pandas."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import forecasting_client as fc
from conftest import ANALYST, COMMISSIONER, COUNCIL, SAMPLE, STRATEGY


@pytest.fixture(scope="module")
def contacts() -> pd.DataFrame:
    df = pd.read_csv(SAMPLE / "contacts.csv", dtype=str)
    df["contact_date"] = pd.to_datetime(df["contact_date"])
    return df


@pytest.fixture(scope="module")
def admissions() -> pd.DataFrame:
    df = pd.read_csv(SAMPLE / "admissions.csv", dtype={"age_at_admission": int})
    df["admission_date"] = pd.to_datetime(df["admission_date"])
    return df


def fy_mask(dates: pd.Series, start_year: int) -> pd.Series:
    return (dates >= pd.Timestamp(start_year, 4, 1)) & (dates <= pd.Timestamp(start_year + 1, 3, 31))


def value_for(frame: pd.DataFrame, label: str, column: str = "value") -> float:
    rows = frame[frame["period_label"] == label]
    assert len(rows) == 1, f"expected one row for {label}, got {len(rows)}: {list(frame['period_label'])}"
    return float(rows.iloc[0][column])


# ---------- data ----------

def test_status_lists_tables_and_council(commissioner, contacts):
    status = commissioner.status()
    assert COUNCIL in set(status.councils["council_code"])
    rows = dict(zip(status.tables["table"], status.tables["rows"]))
    assert rows["contacts"] == len(contacts)
    assert status.snapshot_id


def test_upload_dry_run_counts_rows_and_changes_nothing(analyst, contacts):
    before = analyst.status().snapshot_id
    report = analyst.upload(SAMPLE, dry_run=True)
    assert report.succeeded and report.dry_run
    counts = dict(zip(report.tables["table"], report.tables["rows_in_file"]))
    assert counts["contacts"] == len(contacts)
    assert analyst.status().snapshot_id == before


def test_upload_of_a_bad_extract_reports_the_row_and_keeps_the_store(analyst):
    before = analyst.status().snapshot_id
    report = analyst.upload(SAMPLE.parent / "bad" / "duplicate_contact_id")
    assert not report.succeeded
    assert report.error_count >= 1
    errors = report.issues[report.issues["severity"] == "error"]
    hit = errors[(errors["file"].str.endswith("contacts.csv")) & (errors["column"].str.contains("contact_id"))]
    assert list(hit["row"]) == [5], report.issues.to_string()
    assert analyst.status().snapshot_id == before


def test_upload_of_a_truncated_extract_needs_allow_shrink(analyst, contacts, tmp_path):
    before = analyst.status().snapshot_id
    lines = (SAMPLE / "contacts.csv").read_text().splitlines()[:101]
    (tmp_path / "contacts.csv").write_text("\n".join(lines) + "\n")
    refused = analyst.upload(tmp_path / "contacts.csv", dry_run=True)
    assert not refused.succeeded
    assert refused.issues["reason"].str.contains("allow_shrink").any(), refused.issues.to_string()
    allowed = analyst.upload(tmp_path / "contacts.csv", dry_run=True, allow_shrink=True)
    assert allowed.succeeded, allowed.issues.to_string()
    row = allowed.changes.set_index("table").loc["contacts"]
    assert (row["rows_before"], row["added"], row["removed"], row["changed"], row["unchanged"]) == \
        (len(contacts), 0, len(contacts) - 100, 0, 100)
    assert analyst.status().snapshot_id == before


def test_import_directory_on_the_server_dry_run(analyst):
    report = analyst.import_directory(str(SAMPLE), dry_run=True)
    assert report.succeeded and report.dry_run
    assert report.error_count == 0


def test_audit_lists_the_import_with_its_id_and_is_for_analysts(analyst, commissioner):
    report = analyst.import_directory(str(SAMPLE), dry_run=True)
    events = analyst.audit(method="Import", limit=50)
    mine = events[events["target"].str.contains("import_id=" + report.import_id, regex=False)]
    assert len(mine) == 1, events.to_string()
    row = mine.iloc[0]
    assert (row["method"], row["role"], row["outcome"]) == ("Import", "analyst", "OK")
    assert len(row["correlation_id"]) == 12
    with pytest.raises(fc.ForecastingError) as denied:
        commissioner.audit()
    assert denied.value.code_name == "PERMISSION_DENIED"


# ---------- analytics ----------

def test_contacts_per_financial_year_match_the_csv(commissioner, contacts):
    series = commissioner.series("contacts", council=COUNCIL, period="year")
    for year in (2019, 2023, 2024):
        label = f"{year}/{(year + 1) % 100:02d}"
        expected = int(fy_mask(contacts["contact_date"], year).sum())
        assert value_for(series, label) == expected, label


def test_monthly_contacts_add_up_and_year_to_date_accumulates(commissioner, contacts):
    monthly = commissioner.series("contacts", council=COUNCIL, period="month", start="2023-04-01", end="2024-03-31")
    assert len(monthly) == 12
    assert monthly["value"].sum() == int(fy_mask(contacts["contact_date"], 2023).sum())
    assert list(monthly["year_to_date"]) == list(monthly["value"].cumsum())
    april = contacts[(contacts["contact_date"] >= "2023-04-01") & (contacts["contact_date"] <= "2023-04-30")]
    assert value_for(monthly, monthly.iloc[0]["period_label"]) == len(april)


def test_filter_and_breakdown_match_the_csv(commissioner, contacts):
    in_year = contacts[fy_mask(contacts["contact_date"], 2023)].fillna({"psr": "not_specified"})
    by_psr = commissioner.series("contacts", council=COUNCIL, period="year", start="2023-04-01", end="2024-03-31", by="psr")
    got = dict(zip(by_psr["psr"], by_psr["value"]))
    assert got == {k: float(v) for k, v in in_year.groupby("psr").size().items()}

    ld = commissioner.series("contacts", council=COUNCIL, period="year", start="2023-04-01", end="2024-03-31",
                             filters={"psr": "learning_disability"})
    assert ld["value"].sum() == (in_year["psr"] == "learning_disability").sum()


def test_admission_rates_65_plus(commissioner, admissions):
    population = pd.read_csv(SAMPLE / "population.csv")
    rates = commissioner.rates("admissions", "65+", council=COUNCIL)
    assert not rates.empty
    row = rates[rates["period_label"] == "2023/24"].iloc[0]
    older = admissions[(admissions["age_at_admission"] >= 65) & fy_mask(admissions["admission_date"], 2023)]
    assert row["count"] == len(older)
    pop = population[(population["variant"] == "estimate") & (population["year"] == row["population_year"])
                     & population["age_band"].isin(["65-74", "75-84", "85+"])]["population"].sum()
    assert row["population"] == pop
    assert row["rate_per_100k"] == pytest.approx(len(older) / pop * 100_000, rel=1e-9)


def test_pipeline_units_by_status_match_the_csv(commissioner):
    pipeline = pd.read_csv(SAMPLE / "pipeline.csv")
    pipeline["expected_date"] = pd.to_datetime(pipeline["expected_date"])
    pipeline["fy"] = pipeline["expected_date"].dt.year - (pipeline["expected_date"].dt.month < 4)
    table = commissioner.pipeline(council=COUNCIL, by="status")
    assert {"financial_year", "status", "units"} <= set(table.columns), table.columns
    got = table.groupby("status")["units"].sum().to_dict()
    assert got == {k: float(v) for k, v in pipeline.groupby("status")["units"].sum().items()}
    per_year = table.groupby("financial_year")["units"].sum()
    expected = pipeline.groupby("fy")["units"].sum()
    assert sorted(per_year.values) == sorted(float(v) for v in expected.values)


def test_waiting_list_stock_at_a_date(commissioner):
    wl = pd.read_csv(SAMPLE / "waiting_list.csv", parse_dates=["date_added", "date_removed"])
    as_of = pd.Timestamp("2024-03-31")
    on_list = wl[(wl["date_added"] <= as_of) & (wl["date_removed"].isna() | (wl["date_removed"] > as_of))]
    table = commissioner.stock("waiting_list", council=COUNCIL, as_of="2024-03-31")
    assert table.attrs["as_of"].startswith("2024-03-31")
    numeric = table.select_dtypes("number")
    assert numeric.iloc[:, 0].sum() == len(on_list), table.to_string()


# ---------- auth and arguments ----------

def test_missing_key_is_unauthenticated(server):
    with server.client(None) as anonymous:
        with pytest.raises(fc.ForecastingError) as e:
            anonymous.status()
    assert e.value.code_name == "UNAUTHENTICATED"


def test_wrong_key_is_unauthenticated(server):
    with server.client("not-a-key") as c:
        with pytest.raises(fc.ForecastingError) as e:
            c.series("contacts")
    assert e.value.code_name == "UNAUTHENTICATED"


def test_commissioner_may_not_upload(commissioner):
    with pytest.raises(fc.ForecastingError) as e:
        commissioner.upload(SAMPLE / "councils.csv", dry_run=True)
    assert e.value.code_name == "PERMISSION_DENIED"


def test_unknown_metric_is_invalid_argument_naming_the_field(commissioner):
    with pytest.raises(fc.ForecastingError) as e:
        commissioner.series("not_a_metric", council=COUNCIL)
    assert e.value.code_name == "INVALID_ARGUMENT"
    assert "metric" in e.value.details


def test_bad_age_group_is_invalid_argument(commissioner):
    with pytest.raises(fc.ForecastingError) as e:
        commissioner.rates("admissions", "12-17", council=COUNCIL)
    assert e.value.code_name == "INVALID_ARGUMENT"
    assert "age_group" in e.value.details


def test_unreachable_server_raises_unavailable():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with fc.Client(f"http://127.0.0.1:{port}", ANALYST, timeout=3) as c:
        with pytest.raises(fc.ForecastingError) as e:
            c.status()
    assert e.value.code_name == "UNAVAILABLE"


# ---------- forecasts ----------

def test_forecast_with_intervals_continues_the_history(commissioner, contacts):
    frame = commissioner.forecast("contacts", council=COUNCIL, period="month", horizon=12, levels=[80, 95])
    history = frame[frame["kind"] == "actual"]
    points = frame[frame["kind"] == "forecast"]
    assert len(points) == 12
    assert frame.attrs["run_id"]
    march_2025 = contacts[(contacts["contact_date"] >= "2025-03-01") & (contacts["contact_date"] <= "2025-03-31")]
    assert history.sort_values("period_start").iloc[-1]["actual"] == len(march_2025)
    assert points["period_start"].min() > history["period_start"].max()
    assert (points["lower_95"] <= points["lower_80"]).all()
    assert (points["lower_80"] <= points["mean"]).all() and (points["mean"] <= points["upper_80"]).all()
    assert (points["upper_80"] <= points["upper_95"]).all()


def test_year_end_of_a_complete_year_equals_the_count(commissioner, contacts):
    estimate = commissioner.year_end("contacts", financial_year="2023/24", months_elapsed=9, council=COUNCIL)
    first_nine = contacts[(contacts["contact_date"] >= "2023-04-01") & (contacts["contact_date"] <= "2023-12-31")]
    assert estimate.months_elapsed == 9
    assert estimate.year_to_date == len(first_nine)
    assert estimate.actual == fy_mask(contacts["contact_date"], 2023).sum()
    assert estimate.estimate > estimate.year_to_date
    assert not estimate.intervals.empty


def test_refresh_then_runs_and_accuracy(analyst):
    seen = []
    run_id = analyst.refresh(council=COUNCIL, progress=lambda done, total, current: seen.append((done, total)))
    assert seen and seen[-1][0] == seen[-1][1]
    runs = analyst.runs()
    assert run_id in set(runs["run_id"])
    accuracy = analyst.accuracy(run_id)
    assert len(accuracy) >= 1
    assert {"series", "model", "mae", "smape", "mase"} <= set(accuracy.columns)
    assert (accuracy["mae"] >= 0).all()


def test_commissioner_may_not_refresh(commissioner):
    with pytest.raises(fc.ForecastingError) as e:
        commissioner.refresh(progress=False)
    if e.value.code_name == "UNIMPLEMENTED":
        pytest.skip("server does not implement Refresh yet")
    assert e.value.code_name == "PERMISSION_DENIED"


# ---------- planning ----------

def test_strategy_versions_and_targets(commissioner):
    phases = pd.read_csv(SAMPLE / "strategy_phases.csv")
    strategies = commissioner.strategies(council=COUNCIL)
    totals = phases.groupby(["strategy_id", "version"])["unit_target"].sum()
    got = {(r.strategy_id, r.version): r.total_target for r in strategies.itertuples()}
    assert got == {k: int(v) for k, v in totals.items()}
    latest = commissioner.strategy("sl-2021", council=COUNCIL)
    assert latest.version == phases["version"].max()
    assert latest.phases["cumulative_target"].iloc[-1] == latest.total_target


def test_a_strategy_lead_creates_a_strategy_version_attributed_to_the_key(strategy_lead, commissioner):
    latest = strategy_lead.strategy("sl-2021", council=COUNCIL)
    # The same phases as the latest version, so the scenarios later in the session see the same targets.
    phases = [(p.name, p.start_fy, p.end_fy, p.unit_target) for p in latest.phases.itertuples()]
    created = strategy_lead.create_strategy_version("sl-2021", phases, reason="re-based after the pipeline review",
                                                    council=COUNCIL)
    assert created.version == latest.version + 1
    assert created.total_target == sum(p[3] for p in phases)
    assert (created.author, created.reason) == ("development strategy lead", "re-based after the pipeline review")
    assert commissioner.strategy("sl-2021", council=COUNCIL, version=created.version).total_target == created.total_target
    with pytest.raises(fc.ForecastingError) as denied:
        commissioner.create_strategy_version("sl-2021", phases, reason="not allowed", council=COUNCIL)
    assert denied.value.code_name == "PERMISSION_DENIED"
    with pytest.raises(ValueError):
        strategy_lead.create_strategy_version("sl-2021", [("Phase 1", "2025/27", "2026/27", 10)], reason="bad year", council=COUNCIL)


def test_a_strategy_version_with_group_targets_is_compared_per_group(strategy_lead, commissioner):
    previous = strategy_lead.strategy("sl-2021", council=COUNCIL)
    # ld_autism 25 in 2025/26 and 35 in 2027/28 (25, 25, 60 due); complex_needs 12 over 2025/26-2027/28 (4 a year).
    targets = [("ld_autism", "2025/26", 25), ("ld_autism", 2027, 35), ("complex_needs", None, 12)]
    try:
        created = strategy_lead.create_strategy_version("sl-2021", [], reason="targets per client group", council=COUNCIL,
                                                        start_fy="2025/26", end_fy="2027/28", targets=targets)
        assert created.total_target == 72
        read = commissioner.strategy("sl-2021", council=COUNCIL, version=created.version)
        got = sorted((r.client_group, None if pd.isna(r.fy) else int(r.fy), r.unit_target) for r in read.targets.itertuples())
        assert got == [("complex_needs", None, 12), ("ld_autism", 2025, 25), ("ld_autism", 2027, 35)]

        run = commissioner.run_scenario(council=COUNCIL, draws=50, seed=2)
        due = run.targets.set_index(["client_group", "fy"])["target_due"]
        expected = {("ld_autism", 2025): 25, ("ld_autism", 2026): 25, ("ld_autism", 2027): 60,
                    ("complex_needs", 2025): 4, ("complex_needs", 2026): 8, ("complex_needs", 2027): 12,
                    ("all", 2025): 29, ("all", 2026): 33, ("all", 2027): 72}
        assert set(due.index) == set(expected)
        assert all(abs(due[k] - v) < 1e-9 for k, v in expected.items())
        t = run.targets
        assert (t["remaining_requirement"] >= 0).all() and (t["surplus"] >= 0).all()
        netted = t["delivered_to_date"].where(t["delivered_netted"], 0)
        balance = t["target_due"] - netted - t["pipeline_counted"]
        assert ((t["remaining_requirement"] - t["surplus"]) - balance).abs().max() < 1e-9
        ld = run.shortfall[run.shortfall["client_group"] == "ld_autism"].set_index("fy")["target_cumulative"]
        assert abs(ld[2027] - 60) < 1e-9

        with pytest.raises(fc.ForecastingError) as bad:
            strategy_lead.create_strategy_version("sl-2021", [], reason="typo", council=COUNCIL, targets=[("ld", 2025, 1)])
        assert bad.value.code_name == "INVALID_ARGUMENT"
        assert "targets[0].client_group: unknown client group 'ld'" in str(bad.value)
    finally:
        strategy_lead.create_strategy_version(
            "sl-2021", [(p.name, p.start_fy, p.end_fy, p.unit_target) for p in previous.phases.itertuples()],
            reason="restore the previous targets", council=COUNCIL, start_fy=previous.start_fy, end_fy=previous.end_fy)


def test_scenario_lifecycle_run_and_compare(strategy_lead, commissioner):
    levers = fc.ScenarioLevers(
        residential_to_sl_moves_per_year=30,
        new_schemes=[fc.NewScheme("Test extra care", 75, "extra_care", "older_dementia", "2027-04-01")],
    )
    created = strategy_lead.create_scenario("pytest what-if", levers, council=COUNCIL, description="from the tests")
    assert created.revision == 1 and created.levers.residential_to_sl_moves_per_year == 30
    assert created.levers.new_schemes[0].units == 75

    with pytest.raises(fc.ForecastingError) as denied:
        commissioner.create_scenario("not allowed", council=COUNCIL)
    assert denied.value.code_name == "PERMISSION_DENIED"

    updated = strategy_lead.update_scenario(created.scenario_id, fc.ScenarioLevers(residential_to_sl_moves_per_year=10))
    assert updated.revision == 2
    assert strategy_lead.scenario(created.scenario_id, revision=1).levers.residential_to_sl_moves_per_year == 30
    assert created.scenario_id in set(commissioner.scenarios(council=COUNCIL)["scenario_id"])

    updates = []
    run = strategy_lead.run_scenario(created.scenario_id, draws=200, seed=7, progress=lambda d, t, s: updates.append(s))
    table = run.shortfall
    assert updates and run.draws == 200 and run.basis
    assert not table.empty and "all" in set(table["client_group"])
    assert (table["p10"] <= table["p50"] + 1e-9).all() and (table["p50"] <= table["p90"] + 1e-9).all()

    other = strategy_lead.create_scenario("pytest slip only", fc.ScenarioLevers(
        slippage=[fc.SchemeSlippage("PL09", 12)]), council=COUNCIL)
    comparison = strategy_lead.compare([created.scenario_id, other.scenario_id], council=COUNCIL, draws=200, seed=7)
    assert set(comparison["scenario_id"]) == {"", created.scenario_id, other.scenario_id}
    baseline = comparison[comparison["scenario_id"] == ""].set_index(["fy", "client_group"])
    ours = comparison[comparison["scenario_id"] == created.scenario_id].set_index(["fy", "client_group"])
    delta = (ours["shortfall_cumulative"] - baseline["shortfall_cumulative"]).dropna()
    assert (delta - ours["delta_vs_baseline"].reindex(delta.index)).abs().max() < 1e-6

    strategy_lead.delete_scenario(created.scenario_id)
    strategy_lead.delete_scenario(other.scenario_id)
    remaining = set(commissioner.scenarios(council=COUNCIL)["scenario_id"])
    assert created.scenario_id not in remaining and other.scenario_id not in remaining


def test_baseline_shortfall_table(commissioner):
    table = commissioner.shortfall(council=COUNCIL, draws=200, seed=3)
    groups = set(table["client_group"])
    assert "all" in groups and len(groups) > 1
    total = table[table["client_group"] == "all"].set_index("fy")["demand"]
    parts = table[table["client_group"] != "all"].groupby("fy")["demand"].sum()
    assert (total - parts).abs().max() < 1e-6
    assert not math.isnan(table["p90"].iloc[0])


def test_baseline_people_reconcile_and_backtest_actuals_match_the_csvs(commissioner):
    run = commissioner.run_scenario(council=COUNCIL, draws=200, seed=3)
    assert run.headline_statistic == "mean of 200 draws"
    stocks = run.stocks
    assert set(stocks["stock"]) == {"housed", "waiting", "demand"}
    residual = stocks["opening"] + stocks["inflows"] - stocks["outflows"] - stocks["closing"]
    assert residual.abs().max() < 1e-6
    # housed + waiting = demand, and demand is the shortfall table's demand
    closing = stocks.pivot_table(index=["fy", "client_group"], columns="stock", values="closing")
    assert ((closing["housed"] + closing["waiting"]) - closing["demand"]).abs().max() < 1e-6
    demand = run.shortfall.set_index(["fy", "client_group"])["demand"]
    assert (closing["demand"] - demand.reindex(closing.index)).abs().max() < 1e-6
    # the opening waiting list is the 109 open entries of waiting_list.csv on 31 March 2025
    waiting = pd.read_csv(SAMPLE / "waiting_list.csv", parse_dates=["date_added", "date_removed"])
    as_of = pd.Timestamp("2025-03-31")
    open_entries = ((waiting["date_added"] <= as_of) & (waiting["date_removed"].isna() | (waiting["date_removed"] > as_of))).sum()
    assert open_entries == 109

    backtest = commissioner.backtest_planning(council=COUNCIL, origins=["2022-03-31"], draws=100)
    tenancies = pd.read_csv(SAMPLE / "tenancies.csv", parse_dates=["start_date"])
    started = ((tenancies["start_date"] >= "2023-04-01") & (tenancies["start_date"] <= "2024-03-31")).sum()
    rows = backtest.rows
    lettings = rows[(rows["fy"] == 2023) & (rows["client_group"] == "all") & (rows["measure"] == "lettings")]
    assert lettings["actual"].iloc[0] == started
    assert set(backtest.summary["measure"]) == {"housed", "waiting_list", "lettings"}
    # the naive lettings forecast is the 12 months to the origin, counted from tenancies.csv
    before = ((tenancies["start_date"] >= "2021-04-01") & (tenancies["start_date"] <= "2022-03-31")).sum()
    assert lettings["naive"].iloc[0] == before
    # the pooled-group MAE is the mean absolute error of the group rows
    scores = backtest.scores
    pooled = scores[(scores["measure"] == "lettings") & (scores["client_group"] == "per_group") & (scores["horizon"] == 0)]
    groups = rows[(rows["measure"] == "lettings") & (rows["client_group"] != "all")]
    assert abs(pooled["model_mae"].iloc[0] - (groups["mean"] - groups["actual"]).abs().mean()) < 1e-9
    assert backtest.origins == ["2022-03-31"]
    assert any("not published by 2022-03-31" in s for s in backtest.substitutions)


def test_forecast_after_a_definition_break_notes_it(commissioner):
    frame = commissioner.forecast("admissions", council=COUNCIL, period="month", horizon=6, break_date="2023-04-01")
    notes = [n for series_notes in frame.attrs["notes"].values() for n in series_notes]
    history = frame[frame["kind"] == "actual"]
    after_break = int((history["period_start"] >= pd.Timestamp("2023-04-01")).sum())
    assert after_break == 24
    assert any("break" in n and f"{after_break} points" in n for n in notes), notes
    assert len(frame[frame["kind"] == "forecast"]) == 6


def test_a_reconciled_forecast_adds_up_to_its_total(commissioner):
    frame = commissioner.forecast("new_tenancies", council=COUNCIL, period="quarter", horizon=2, by=["client_group"],
                                  reconciliation="mint", levels=[80])
    forecast = frame[frame["kind"] == "forecast"]
    for _, rows in forecast.groupby("period_label"):
        total = rows[rows["client_group"] == ""]["mean"].sum()
        assert abs(total - rows[rows["client_group"] != ""]["mean"].sum()) < 1e-6
        assert len(rows[rows["client_group"] == ""]) == 1


def test_a_published_run_is_listed_with_its_publisher_draws_and_seed(strategy_lead, commissioner):
    run = commissioner.run_scenario(council=COUNCIL, draws=20, seed=5)
    with pytest.raises(fc.ForecastingError) as denied:
        commissioner.publish_result(run.result_id, "not allowed")
    assert denied.value.code_name == "PERMISSION_DENIED"
    with pytest.raises(fc.ForecastingError) as unlabelled:
        strategy_lead.publish_result(run.result_id, "")
    assert unlabelled.value.code_name == "INVALID_ARGUMENT" and "label" in str(unlabelled.value)

    published = strategy_lead.publish_result(run.result_id, "Python test publication")
    assert (published["result_id"], published["published_by"], published["draws"], published["seed"]) == \
        (run.result_id, "development strategy lead", 20, 5)
    listed = commissioner.publications(council=COUNCIL)
    assert listed.iloc[0]["publication_id"] == published["publication_id"]
    assert listed.iloc[0]["label"] == "Python test publication" and listed.iloc[0]["scenario_id"] == ""
