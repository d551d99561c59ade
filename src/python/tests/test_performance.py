"""The performance calls of the Python client and the performance chart, against a real server seeded with
data-samples/harbridge. Expected figures are counted here from the CSV files with pandas, or are the server's own
answer to the same question through another call."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest

import forecasting_client as fc
from forecasting_client.plots import plot_performance
from conftest import COUNCIL, SAMPLE

MEASURE = "ascof_2a2"
YEAR = "2024/25"


@pytest.fixture(scope="module")
def older_admissions() -> pd.DataFrame:
    """Admissions ASCOF 2A(2) counts: aged 65 and over at admission, or age not recorded."""
    df = pd.read_csv(SAMPLE / "admissions.csv", dtype={"age_at_admission": "Int64"})
    df["admission_date"] = pd.to_datetime(df["admission_date"])
    return df[df["age_at_admission"].isna() | (df["age_at_admission"] >= 65)]


def count_between(df: pd.DataFrame, start: str, end: str) -> int:
    return int(((df["admission_date"] >= pd.Timestamp(start)) & (df["admission_date"] <= pd.Timestamp(end))).sum())


def test_measures_lists_the_catalogue_with_definitions(commissioner):
    measures = commissioner.measures()
    row = measures.set_index("name").loc[MEASURE]
    assert (row["code"], row["unit"], row["shape"], row["polarity"]) == ("ASCOF 2A(2)", "per 100,000", "flow", "lower_is_better")
    assert row["denominator"]
    assert "setting" in row["dimensions"]
    assert measures["name"].is_unique
    assert isinstance(measures["polarity"].dtype, pd.CategoricalDtype)


def test_measure_series_per_year_counts_the_csv_over_the_rates_population(commissioner, older_admissions):
    series = commissioner.measure_series(MEASURE, council=COUNCIL, period="year", start="2021-04-01", end="2025-03-31")
    rates = commissioner.rates("admissions", "65+", council=COUNCIL, period="year", start="2021-04-01", end="2025-03-31")
    assert list(series["period_label"]) == ["2021/22", "2022/23", "2023/24", "2024/25"]
    population = dict(zip(rates["period_label"], rates["population"]))
    for _, p in series.iterrows():
        first = int(p["period_label"][:4])
        assert p["numerator"] == count_between(older_admissions, f"{first}-04-01", f"{first + 1}-03-31")
        assert p["denominator"] == population[p["period_label"]]
        assert p["value"] == pytest.approx(p["numerator"] / p["denominator"] * 100_000, rel=1e-12)
    assert series.attrs["unit"] == "per 100,000" and series.attrs["snapshot_id"]


def test_measure_series_by_setting_is_categorical_and_adds_up(commissioner, older_admissions):
    frame = commissioner.measure_series(MEASURE, council=COUNCIL, period="month", start="2024-04-01", end="2025-03-31",
                                        by="setting")
    assert isinstance(frame["setting"].dtype, pd.CategoricalDtype)
    in_year = older_admissions[(older_admissions["admission_date"] >= "2024-04-01") & (older_admissions["admission_date"] <= "2025-03-31")]
    expected = in_year.groupby("setting").size()
    got = frame.groupby("setting", observed=True)["numerator"].sum()
    for setting, count in expected.items():
        assert got[setting] == count
    march = frame[frame["period_label"] == "2025-03"]
    assert march["ytd_numerator"].sum() == len(in_year)


def test_performance_at_nine_months_agrees_with_the_series(commissioner, older_admissions):
    report = commissioner.performance(YEAR, council=COUNCIL, measures=[MEASURE], months_elapsed=9)
    assert (report.council_code, report.financial_year) == (COUNCIL, YEAR)
    row = report.measure(MEASURE)
    assert row["months_elapsed"] == 9
    assert row["ytd_numerator"] == count_between(older_admissions, "2024-04-01", "2024-12-31")
    assert row["lower_80"] <= row["year_end"] <= row["upper_80"]
    assert row["lower_95"] <= row["lower_80"] and row["upper_80"] <= row["upper_95"]

    monthly = commissioner.measure_series(MEASURE, council=COUNCIL, period="month", start="2024-04-01", end="2025-03-31")
    months = report.months[report.months["measure"] == MEASURE]
    assert list(months["period_label"]) == list(monthly["period_label"][:9])
    assert list(months["ytd_value"]) == pytest.approx(list(monthly["ytd_value"][:9]), rel=1e-12)
    assert row["ytd_value"] == pytest.approx(monthly["ytd_value"].iloc[8], rel=1e-12)
    yearly = commissioner.measure_series(MEASURE, council=COUNCIL, period="year", start="2024-04-01", end="2025-03-31")
    whole = commissioner.performance(YEAR, council=COUNCIL, measures=MEASURE).measure(MEASURE)
    assert whole["months_elapsed"] == 12
    assert whole["actual"] == pytest.approx(yearly["value"].iloc[0], rel=1e-12)
    assert whole["year_end"] == pytest.approx(yearly["value"].iloc[0], rel=1e-12)
    assert isinstance(report.scorecard["rag"].dtype, pd.CategoricalDtype)
    assert list(report.scorecard["rag"].cat.categories) == ["green", "amber", "red"]
    assert list(months["month_end"])[-1] == pd.Timestamp("2024-12-31")


def expected_rag(value: float, target: float, margin: float) -> str:
    """The contract's RAG of a month's estimate for a lower-is-better measure."""
    if value <= target:
        return "green"
    return "amber" if value <= target + margin else "red"


def expected_year_end_rag(probability: float) -> str:
    """The year-end RAG: green from a 70% chance of meeting the target, amber from 30%, red below."""
    return "green" if probability >= 0.7 else "amber" if probability >= 0.3 else "red"


def test_a_target_is_versioned_and_drives_the_rag_of_every_month(strategy_lead, commissioner):
    before = commissioner.targets(council=COUNCIL, measure=MEASURE)
    before_version = int(before.loc[before["financial_year"] == YEAR, "version"].max()) if (before["financial_year"] == YEAR).any() else 0
    estimate = commissioner.performance(YEAR, council=COUNCIL, measures=[MEASURE], months_elapsed=9).measure(MEASURE)["year_end"]

    target = round(estimate * 0.97, 2)
    stored = strategy_lead.set_target(MEASURE, YEAR, target, "cabinet: cap on 65+ admissions", amber_margin=round(estimate * 0.05, 2),
                                      council=COUNCIL)
    assert (stored["version"], stored["target"], stored["author"]) == (before_version + 1, target, "development strategy lead")

    listed = commissioner.targets(council=COUNCIL, measure=MEASURE)
    mine = listed[listed["financial_year"] == YEAR]
    assert mine.iloc[0]["version"] == before_version + 1 and mine.iloc[0]["reason"] == "cabinet: cap on 65+ admissions"

    report = commissioner.performance(YEAR, council=COUNCIL, measures=[MEASURE], months_elapsed=9)
    row = report.measure(MEASURE)
    assert row["target"] == target and row["target_version"] == before_version + 1
    assert 0 <= row["probability"] <= 1
    assert row["rag"] == expected_year_end_rag(row["probability"])
    for _, month in report.months.iterrows():
        assert month["rag"] == expected_rag(month["year_end_estimate"], target, stored["amber_margin"])

    with pytest.raises(fc.ForecastingError) as denied:
        commissioner.set_target(MEASURE, YEAR, 1.0, "not allowed", council=COUNCIL)
    assert denied.value.code_name == "PERMISSION_DENIED"


def test_unknown_measure_is_an_invalid_argument(commissioner):
    with pytest.raises(fc.ForecastingError) as e:
        commissioner.measure_series("no_such_measure", council=COUNCIL)
    assert e.value.code_name == "INVALID_ARGUMENT" and "no_such_measure" in e.value.details


def test_budget_outturn_adds_up_to_the_csv(commissioner):
    frame = commissioner.budget_outturn(council=COUNCIL)
    path = SAMPLE / "budgets.csv"
    if not path.exists():
        assert frame.empty
        return
    budgets = pd.read_csv(path, dtype={"fy": str})
    budgets = budgets[budgets["council_code"] == COUNCIL]
    last = budgets["fy"].max()  # labels such as 2024/25
    one = commissioner.budget_outturn(council=COUNCIL, financial_year=last)
    assert set(one["financial_year"]) == {last}
    lines = budgets[budgets["fy"] == last].set_index("service_line")["budget"]
    got = one.set_index("service_line")["budget"]
    for line, budget in lines.items():
        assert got[line] == pytest.approx(budget, rel=1e-12)
    assert got["total"] == pytest.approx(lines.sum(), rel=1e-12)
    assert pd.api.types.is_float_dtype(one["budget"])
    assert isinstance(one["service_line"].dtype, pd.CategoricalDtype)


def test_the_chart_shows_the_year_to_date_target_and_range_with_council_and_data_date(commissioner):
    status = commissioner.status()
    report = commissioner.performance(YEAR, council=COUNCIL, measures=[MEASURE], months_elapsed=9)
    row = report.measure(MEASURE)
    ax = plot_performance(report, MEASURE, status=status)
    try:
        title = ax.get_title(loc="left")
        assert YEAR in title and "ASCOF 2A(2)" in title and MEASURE not in title
        lines = {line.get_label(): line for line in ax.get_lines()}
        ytd = lines["Year to date"]
        assert list(ytd.get_ydata()) == pytest.approx(list(report.months["ytd_value"]), rel=1e-12)
        labels = [t.get_text() for t in ax.get_xticklabels()]
        assert labels[0] == "Apr" and labels[-1] == "Mar" and len(labels) == 12
        legend = [t.get_text() for t in ax.get_legend().get_texts()]
        assert any(text.startswith("Estimated end of year") and "80% likely range" in text for text in legend)
        if not math.isnan(row["target"]):
            assert any(text.startswith("Year-end target") for text in legend)
        source = [t.get_text() for t in ax.texts if t.get_gid() == "source"]
        name = status.councils.set_index("council_code").loc[COUNCIL, "name"]
        assert len(source) == 1 and name in source[0] and "data to 31 December 2024" in source[0]
        assert status.snapshot_id[:8] in source[0]
    finally:
        import matplotlib.pyplot as plt

        plt.close(ax.figure)
