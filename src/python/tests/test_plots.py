"""The chart helpers draw what the frames hold, in words and years a reader uses: checked on the matplotlib objects."""

import colorsys
import csv
import datetime as dt

import matplotlib

matplotlib.use("Agg")

import matplotlib.colors as mcolors  # noqa: E402
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import forecasting_client as fc  # noqa: E402
from conftest import COUNCIL, SAMPLE  # noqa: E402


def forecast_frame(history: pd.DataFrame, horizon: int = 6) -> pd.DataFrame:
    """A frame in the layout of Client.forecast: the history of a real series, then forecast rows."""
    hist = pd.DataFrame({
        "metric": "contacts", "model": "combination", "period_label": history["period_label"],
        "period_start": history["period_start"], "kind": "actual", "actual": history["value"], "mean": np.nan,
        "lower_80": np.nan, "upper_80": np.nan, "lower_95": np.nan, "upper_95": np.nan,
    })
    starts = pd.date_range(history["period_start"].max() + pd.offsets.MonthBegin(1), periods=horizon, freq="MS")
    level = history["value"].tail(12).mean()
    spread = np.arange(1, horizon + 1) * 10.0
    fc_rows = pd.DataFrame({
        "metric": "contacts", "model": "combination", "period_label": starts.strftime("%Y-%m"), "period_start": starts,
        "kind": "forecast", "actual": np.nan, "mean": level,
        "lower_80": level - spread, "upper_80": level + spread, "lower_95": level - 2 * spread, "upper_95": level + 2 * spread,
    })
    frame = pd.concat([hist, fc_rows], ignore_index=True)
    frame.attrs.update(history.attrs)
    return frame


def _num(date) -> float:
    return mdates.date2num(pd.Timestamp(date).to_pydatetime())


def _minor_labels(ax):
    return [(tick, label.get_text()) for tick, label in zip(ax.xaxis.get_minorticklocs(), ax.xaxis.get_minorticklabels())]


def test_fan_chart_joins_the_forecast_to_the_last_actual(commissioner, tmp_path):
    history = commissioner.series("contacts", council=COUNCIL, period="month", start="2022-04-01")
    frame = forecast_frame(history)
    ax = fc.plot_forecast(frame, history_periods=24)
    lines = {line.get_label(): line for line in ax.get_lines()}
    actual, forecast = lines["Actual"], lines["Forecast (central estimate)"]
    assert list(actual.get_ydata()) == list(history["value"].tail(24))
    # Six forecast months plus the joining point: the last actual month and value.
    xs, ys = list(forecast.get_xdata()), list(forecast.get_ydata())
    assert len(xs) == 7
    assert pd.Timestamp(xs[0]) == pd.Timestamp(history["period_start"].iloc[-1])
    assert ys[0] == history["value"].iloc[-1]
    assert pd.Timestamp(xs[1]) == pd.Timestamp(history["period_start"].iloc[-1]) + pd.offsets.MonthBegin(1)
    # The bands start at the same point, with no width there.
    assert sorted(c.get_label() for c in ax.collections) == ["80% likely range", "95% likely range"]
    for band in ax.collections:
        vertices = band.get_paths()[0].vertices
        at_join = vertices[np.isclose(vertices[:, 0], _num(history["period_start"].iloc[-1]))]
        assert len(at_join) > 0 and np.allclose(at_join[:, 1], history["value"].iloc[-1])
    ax.figure.savefig(tmp_path / "fan.png")
    assert (tmp_path / "fan.png").stat().st_size > 0
    plt.close(ax.figure)


def test_fan_chart_has_financial_year_ticks_and_a_plain_title(commissioner):
    history = commissioner.series("contacts", council=COUNCIL, period="month", start="2022-04-01")
    frame = forecast_frame(history, horizon=18)
    ax = fc.plot_forecast(frame, history_periods=30)
    drawn = pd.to_datetime(pd.concat([history["period_start"].tail(30), frame[frame["kind"] == "forecast"]["period_start"]]))

    # Expected: every financial year (1 April to 31 March) that a drawn month falls in, labelled 2024/25.
    starts = sorted({d.year if d.month >= 4 else d.year - 1 for d in drawn})
    expected = [f"{y}/{str(y + 1)[-2:]}" for y in starts]
    labels = _minor_labels(ax)
    assert [text for _, text in labels] == expected
    for (tick, text), year in zip(labels, starts):
        assert _num(dt.date(year, 4, 1)) < tick < _num(dt.date(year + 1, 3, 31)), text
    # Year boundaries (1 April) carry the gridlines and no labels.
    assert all(mdates.num2date(t).month == 4 and mdates.num2date(t).day == 1 for t in ax.xaxis.get_majorticklocs())
    assert all(label.get_text() == "" for label in ax.xaxis.get_majorticklabels())

    title = ax.get_title(loc="left")
    assert title == "Contacts to adult social care per month: actual and forecast"
    assert "_" not in title and "model" not in title and "combination" not in title
    assert "Financial year" in ax.get_xlabel()
    plt.close(ax.figure)


def _council_name():
    with open(SAMPLE / "councils.csv", newline="") as f:
        return next(r["name"] for r in csv.DictReader(f) if r["council_code"] == COUNCIL)


def test_every_chart_names_the_council_and_the_data_date(commissioner):
    status = commissioner.status()
    history = commissioner.series("contacts", council=COUNCIL, period="month", start="2023-04-01")
    stamp = pd.Timestamp(status.snapshot_time)
    expected_date = f"{stamp.day} {stamp.strftime('%B')} {stamp.year}"

    ax = fc.plot_forecast(forecast_frame(history), status=status)
    source = [t.get_text() for t in ax.texts if t.get_gid() == "source"]
    assert source == [f"{_council_name()} · data snapshot {history.attrs['snapshot_id'][:8]} of {expected_date}"]
    plt.close(ax.figure)

    ax = fc.plot_shortfall(shortfall_frame(["all"], [2025, 2026]), council="Harbridge City Council", data_date="2025-03-31")
    assert [t.get_text() for t in ax.texts if t.get_gid() == "source"] == ["Harbridge City Council · data as of 31 March 2025"]
    plt.close(ax.figure)


def shortfall_frame(groups, years, shift=0.0):
    rows = []
    for g in groups:
        for i, fy in enumerate(years):
            s = 10.0 * (i + 1) + shift
            rows.append({"fy": fy, "fy_label": f"{fy}/{(fy + 1) % 100:02d}", "client_group": g, "demand": 100 + s,
                         "supply": 100, "shortfall_cumulative": s, "p10": s - 5, "p50": s, "p90": s + 5,
                         "target_cumulative": 12.0 * (i + 1)})
    return pd.DataFrame(rows)


def test_shortfall_chart_has_a_range_and_line_per_scenario():
    years = [2025, 2026, 2027]
    ax = fc.plot_shortfall({"baseline": shortfall_frame(["all", "ld_autism"], years),
                            "what-if": shortfall_frame(["all", "ld_autism"], years, shift=7)}, client_group="all", show_target=True)
    labels = [line.get_label() for line in ax.get_lines()]
    assert "baseline: units still needed" in labels and "what-if: units still needed" in labels
    assert "Strategy target (cumulative units)" in labels
    assert sorted(c.get_label() for c in ax.collections) == [
        "baseline: likely range (80% of simulations, P10 to P90)", "what-if: likely range (80% of simulations, P10 to P90)"]
    what_if = next(line for line in ax.get_lines() if line.get_label() == "what-if: units still needed")
    assert list(what_if.get_ydata()) == [17.0, 27.0, 37.0]
    assert ax.get_title(loc="left") == "Supported-living units still needed by the end of each year: all client groups"
    plt.close(ax.figure)


def test_overlapping_ranges_stay_distinguishable():
    years = [2025, 2026, 2027]
    # The what-if's range overlaps the baseline's almost entirely.
    ax = fc.plot_shortfall({"baseline": shortfall_frame(["all"], years), "what-if": shortfall_frame(["all"], years, shift=1)})
    first, second = ax.collections
    hues = [colorsys.rgb_to_hsv(*mcolors.to_rgb(c.get_facecolor()[0][:3]))[0] for c in (first, second)]
    assert abs(hues[0] - hues[1]) > 0.1, hues  # different hues, not two shades of one
    assert first.get_hatch() and second.get_hatch() and first.get_hatch() != second.get_hatch()
    for band in (first, second):
        assert band.get_edgecolor()[0][3] > 0  # an outline
        assert band.get_facecolor()[0][3] < 0.5  # see-through fill
    plt.close(ax.figure)


def test_targets_are_drawn_on_their_own_financial_year():
    years = [2025, 2026, 2027, 2028]
    ax = fc.plot_shortfall(shortfall_frame(["all"], years), show_target=True)
    target = next(line for line in ax.get_lines() if line.get_label() == "Strategy target (cumulative units)")
    ticks = dict(zip(ax.get_xticks(), (t.get_text() for t in ax.get_xticklabels())))
    # Each target sits exactly at the tick of its financial year, as the shortfall point of that year does.
    placed = {ticks[x]: y for x, y in zip(target.get_xdata(), target.get_ydata())}
    assert placed == {"2025/26": 12.0, "2026/27": 24.0, "2027/28": 36.0, "2028/29": 48.0}
    shortfall = next(line for line in ax.get_lines() if line.get_label() == "units still needed")
    assert list(shortfall.get_xdata()) == list(target.get_xdata())
    assert target.get_drawstyle() == "default"  # no step: nothing half a year early
    plt.close(ax.figure)


def test_shortfall_chart_names_the_groups_when_one_is_missing():
    with pytest.raises(ValueError, match="ld_autism"):
        fc.plot_shortfall(shortfall_frame(["ld_autism"], [2025]), client_group="mental_health")


def test_display_table_has_plain_headings_and_no_row_numbers():
    frame = shortfall_frame(["all"], [2025, 2026])[["fy_label", "shortfall_cumulative", "p10"]]
    html = fc.plots.display_table(frame, columns={"fy_label": "Financial year", "shortfall_cumulative": "Units still needed"}).to_html()
    assert "Financial year" in html and "Units still needed" in html and ">P10<" in html
    assert "fy_label" not in html and "shortfall_cumulative" not in html
    assert "row_heading" not in html  # no index column
    assert ">2026/27<" in html and ">20<" in html


def test_all_groups_show_the_sum_of_group_gaps_with_the_net_beside_it_and_no_target_unless_asked():
    years = [2025, 2026]
    frame = shortfall_frame(["all"], years).assign(sum_of_group_gaps=[40.0, 50.0])
    ax = fc.plot_shortfall(frame)
    lines = {line.get_label(): list(line.get_ydata()) for line in ax.get_lines()}
    assert lines["units still needed (sum of the gaps of the groups that are short)"] == [40.0, 50.0]
    assert lines["net across groups (surpluses offset gaps)"] == [10.0, 20.0]
    assert "Strategy target (cumulative units)" not in lines
    assert [c.get_label() for c in ax.collections] == ["net across groups: likely range (80% of simulations, P10 to P90)"]
    plt.close(ax.figure)
