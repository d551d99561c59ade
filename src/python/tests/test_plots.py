"""The chart helpers draw what the frames hold."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import forecasting_client as fc  # noqa: E402
from conftest import COUNCIL  # noqa: E402


def forecast_frame(history: pd.DataFrame, horizon: int = 6) -> pd.DataFrame:
    """A frame in the layout of Client.forecast: the history of a real series, then forecast rows."""
    hist = pd.DataFrame({
        "metric": "contacts", "model": "test", "period_label": history["period_label"],
        "period_start": history["period_start"], "kind": "actual", "actual": history["value"], "mean": np.nan,
        "lower_80": np.nan, "upper_80": np.nan, "lower_95": np.nan, "upper_95": np.nan,
    })
    starts = pd.date_range(history["period_start"].max() + pd.offsets.MonthBegin(1), periods=horizon, freq="MS")
    level = history["value"].tail(12).mean()
    spread = np.arange(1, horizon + 1) * 10.0
    fc_rows = pd.DataFrame({
        "metric": "contacts", "model": "test", "period_label": starts.strftime("%Y-%m"), "period_start": starts,
        "kind": "forecast", "actual": np.nan, "mean": level,
        "lower_80": level - spread, "upper_80": level + spread, "lower_95": level - 2 * spread, "upper_95": level + 2 * spread,
    })
    return pd.concat([hist, fc_rows], ignore_index=True)


def test_fan_chart_draws_history_mean_and_one_band_per_level(commissioner, tmp_path):
    history = commissioner.series("contacts", council=COUNCIL, period="month", start="2022-04-01")
    frame = forecast_frame(history)
    ax = fc.plot_forecast(frame, history_periods=24)
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert len(lines["actual"].get_xdata()) == 24
    assert list(lines["actual"].get_ydata()) == list(history["value"].tail(24))
    assert len(lines["forecast"].get_xdata()) == 6
    assert sorted(c.get_label() for c in ax.collections) == ["80% interval", "95% interval"]
    ax.figure.savefig(tmp_path / "fan.png")
    assert (tmp_path / "fan.png").stat().st_size > 0
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
                            "what-if": shortfall_frame(["all", "ld_autism"], years, shift=7)}, client_group="all")
    labels = [line.get_label() for line in ax.get_lines()]
    assert "baseline cumulative shortfall" in labels and "what-if cumulative shortfall" in labels
    assert "strategy target (cumulative)" in labels
    assert sorted(c.get_label() for c in ax.collections) == ["baseline P10-P90", "what-if P10-P90"]
    what_if = next(line for line in ax.get_lines() if line.get_label() == "what-if cumulative shortfall")
    assert list(what_if.get_ydata()) == [17.0, 27.0, 37.0]
    plt.close(ax.figure)


def test_shortfall_chart_names_the_groups_when_one_is_missing():
    with pytest.raises(ValueError, match="ld_autism"):
        fc.plot_shortfall(shortfall_frame(["ld_autism"], [2025]), client_group="mental_health")
