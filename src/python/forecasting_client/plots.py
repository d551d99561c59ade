"""matplotlib charts of client results for readers who do not code: a forecast fan chart and a shortfall-by-year
chart, with plain titles, financial-year axes (April to March, shown as 2024/25), the council and the data
snapshot on every chart; and ``display_table`` for showing a table with plain column names."""

from __future__ import annotations

import datetime as _dt
from typing import Iterable, Mapping, Optional, Sequence, Union

import pandas as pd

# What each flow measures, in words a councillor would use.
METRIC_NAMES = {
    "contacts": "Contacts to adult social care",
    "admissions": "Permanent admissions to residential and nursing care",
    "leavers": "People leaving residential and nursing care",
    "new_tenancies": "New supported-living tenancies",
    "ended_tenancies": "Supported-living tenancies ended",
    "waiting_list_additions": "People added to the supported-living waiting list",
    "reaching_18": "Young people turning 18 known to children's services",
    "reaching_18_expected_clients": "Young people turning 18 expected to need adult care",
}

CLIENT_GROUP_NAMES = {
    "all": "all client groups",
    "ld_autism": "learning disability and autism",
    "mental_health": "mental health",
    "physical_sensory": "physical and sensory disability",
    "older_dementia": "older people with dementia",
    "complex_needs": "complex needs",
}

# Distinct hues that stay apart for colour-blind readers (Okabe-Ito), each with its own hatching, so two
# ranges that overlap remain two ranges.
SCENARIO_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"]
SCENARIO_HATCHES = ["//", "\\\\", "..", "xx", "--", "++"]


def financial_year_label(start_year: int) -> str:
    """2024 -> '2024/25' (the year from 1 April 2024 to 31 March 2025)."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def _financial_year_of(date) -> int:
    date = pd.Timestamp(date)
    return date.year if date.month >= 4 else date.year - 1


def _plain(code: str) -> str:
    return str(code).replace("_", " ")


def _format_date(value) -> str:
    if value is None or value == "":
        return ""
    stamp = pd.Timestamp(value)
    return f"{stamp.day} {stamp:%B %Y}"


def source_line(council: Optional[str] = None, data_date=None, snapshot_id: Optional[str] = None, status=None,
                council_code: Optional[str] = None) -> str:
    """'Harbridge City Council · data snapshot 9989c26d of 29 November 2026': the council's name, and the data
    snapshot every figure came from with the date it was loaded. ``status`` (``Client.status()``) supplies whatever is not given: the name of
    ``council_code`` (or of its only council), the snapshot and its date."""
    if status is not None:
        councils = status.councils
        if council is None and len(councils) > 0:
            match = councils[councils["council_code"] == council_code] if council_code else councils
            if len(match) == 1:
                council = match.iloc[0]["name"]
        if data_date is None:
            data_date = status.snapshot_time
        if snapshot_id is None:
            snapshot_id = status.snapshot_id
    parts = []
    if council:
        parts.append(str(council))
    when = _format_date(data_date)
    if snapshot_id:
        parts.append(f"data snapshot {snapshot_id[:8]}" + (f" of {when}" if when else ""))
    elif when:
        parts.append(f"data as of {when}")
    return " · ".join(parts)


def _axes(ax):
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=(10, 4.8))
    return ax


def _write_source(ax, text: str) -> None:
    if text:
        ax.text(0.0, -0.16, text, transform=ax.transAxes, fontsize="small", color="#444444", va="top", ha="left",
                gid="source")


def _financial_year_axis(ax, first, last) -> None:
    """Gridlines at each 1 April; each financial year's label (2024/25) in the middle of its year (1 October)."""
    import matplotlib.dates as mdates
    import matplotlib.ticker as mticker

    first_fy, last_fy = _financial_year_of(first), _financial_year_of(last)
    step = max(1, -(-(last_fy - first_fy + 1) // 12))  # at most about 12 labels
    years = range(first_fy, last_fy + 1, step)
    ax.xaxis.set_major_locator(mticker.FixedLocator([mdates.date2num(_dt.date(y, 4, 1)) for y in range(first_fy, last_fy + 2)]))
    ax.xaxis.set_major_formatter(mticker.NullFormatter())
    ax.xaxis.set_minor_locator(mticker.FixedLocator([mdates.date2num(_dt.date(y, 10, 1)) for y in years]))
    ax.xaxis.set_minor_formatter(mticker.FixedFormatter([financial_year_label(y) for y in years]))
    ax.tick_params(axis="x", which="minor", length=0)
    ax.set_xlim(mdates.date2num(pd.Timestamp(first).to_pydatetime()), mdates.date2num(pd.Timestamp(last).to_pydatetime()))
    ax.set_xlabel("Financial year (April to March)")


def _period_words(labels: Sequence[str]) -> str:
    label = str(labels[0]) if len(labels) else ""
    if " Q" in label:
        return "per quarter"
    if "/" in label:
        return "per financial year"
    return "per month"


def _group_words(key: Mapping[str, str]) -> str:
    words = []
    for dimension, value in key.items():
        if dimension == "age_group":
            words.append(f"aged {value}")
        elif dimension == "client_group":
            words.append(CLIENT_GROUP_NAMES.get(value, _plain(value)))
        else:
            words.append(f"{_plain(dimension)}: {_plain(value)}")
    return ", ".join(words)


def plot_forecast(frame: pd.DataFrame, ax=None, title: Optional[str] = None, group: Optional[Mapping[str, str]] = None,
                  history_periods: Optional[int] = None, color: str = "#0072B2", council: Optional[str] = None,
                  data_date=None, status=None):
    """Fan chart of a frame from ``Client.forecast`` or ``Client.run``: actuals as a solid line, the forecast as a
    dashed line that starts at the last actual, and each interval level as a band (widest lightest), over a
    financial-year axis. The council's name and the data date are written under the chart: pass ``status``
    (``Client.status()``) or ``council`` and ``data_date``; the snapshot comes from the frame.

    ``group`` selects one breakdown group, e.g. ``{"age_group": "65+"}``; a frame with several series and no
    ``group`` uses the first. ``history_periods`` limits how much history is drawn.
    """
    df = frame
    if group:
        for k, v in group.items():
            df = df[df[k] == v]
    key_cols = [c for c in df.columns if c not in {
        "metric", "model", "period_label", "period_start", "kind", "actual", "mean"}
        and not c.startswith(("lower_", "upper_"))]
    if key_cols and not df.empty:
        first = df.iloc[0]
        for c in key_cols:
            df = df[df[c] == first[c]]
    if df.empty:
        raise ValueError("nothing to plot: the frame (after the group filter) has no rows")

    ax = _axes(ax)
    hist = df[df["kind"] == "actual"].sort_values("period_start")
    fc = df[df["kind"] == "forecast"].sort_values("period_start")
    if history_periods is not None:
        hist = hist.tail(history_periods)
    levels = sorted({float(c.split("_", 1)[1]) for c in df.columns if c.startswith("lower_")}, reverse=True)

    # The forecast is joined to the last actual: its line and bands start from that point.
    x_fc = list(pd.to_datetime(fc["period_start"]))
    join = not hist.empty and not fc.empty
    if join:
        last_x, last_y = pd.Timestamp(hist["period_start"].iloc[-1]), float(hist["actual"].iloc[-1])
        x_fc = [last_x] + x_fc
    for i, level in enumerate(levels):
        name = f"{level:g}"
        lower = ([last_y] if join else []) + list(fc[f"lower_{name}"])
        upper = ([last_y] if join else []) + list(fc[f"upper_{name}"])
        ax.fill_between(x_fc, lower, upper, color=color, alpha=0.15 + 0.15 * i, linewidth=0,
                        label=f"{name}% likely range")
    if not hist.empty:
        ax.plot(pd.to_datetime(hist["period_start"]), hist["actual"], color="black", linewidth=1.4, label="Actual")
    if not fc.empty:
        mean = ([last_y] if join else []) + list(fc["mean"])
        ax.plot(x_fc, mean, color=color, linewidth=1.8, linestyle="--", label="Forecast (central estimate)")

    metric = df["metric"].iloc[0]
    what = METRIC_NAMES.get(metric, _plain(metric).capitalize())
    period = _period_words(list(df["period_label"]))
    key = {c: df[c].iloc[0] for c in key_cols if str(df[c].iloc[0]) != ""}
    scope = _group_words(key)
    ax.set_title(title or f"{what} {period}" + (f", {scope}" if scope else "") + ": actual and forecast", loc="left")
    ax.set_ylabel(f"{what.split(' to ')[0].split(' (')[0]} {period}")
    starts = pd.to_datetime(pd.concat([hist["period_start"], fc["period_start"]]))
    _financial_year_axis(ax, starts.min(), starts.max())
    ax.grid(True, which="major", axis="x", alpha=0.3)
    ax.grid(True, which="major", axis="y", alpha=0.3)
    ax.legend(loc="upper left", fontsize="small")
    _write_source(ax, source_line(council, data_date, frame.attrs.get("snapshot_id"), status))
    return ax


def plot_shortfall(results: Union[pd.DataFrame, Mapping[str, pd.DataFrame]], client_group: str = "all", ax=None,
                   title: Optional[str] = None, show_target: bool = False, council: Optional[str] = None,
                   data_date=None, status=None, council_code: Optional[str] = None):
    """Supported-living units still needed (the demand-based shortfall) at the end of each financial year, with the
    range in which 80% of the simulated futures fall (P10 to P90). For "all" client groups, when the frame has
    ``sum_of_group_gaps``, the line members read is the sum of the gaps of the groups that are short, and the net
    across groups (surpluses offsetting gaps) is drawn dashed with its range. The strategy's cumulative target is a
    different question (strategy tracking: ``ScenarioRun.targets``) and is drawn only with ``show_target=True``.

    ``results`` is a shortfall frame (``Client.shortfall`` / ``ScenarioRun.shortfall``) or a mapping of
    label -> frame to draw several scenarios on one chart (e.g. baseline and a what-if): each gets its own hue
    and hatching so overlapping ranges stay apart. A comparison frame from ``Client.compare`` is split by
    scenario name; it has no range, so its P50 is drawn. The council's name and the data date are written
    under the chart: pass ``status`` (``Client.status()``, with ``council_code`` when it holds several councils)
    or ``council`` and ``data_date``.
    """
    if isinstance(results, pd.DataFrame):
        if "scenario_name" in results.columns:
            frames = {name: g.rename(columns={"shortfall_p50": "p50"}) for name, g in results.groupby("scenario_name", sort=False)}
        else:
            frames = {"": results}
    else:
        frames = dict(results)

    ax = _axes(ax)
    target_drawn = False
    years = {}
    snapshot_id = None
    for i, (label, frame) in enumerate(frames.items()):
        df = frame[frame["client_group"] == client_group].sort_values("fy")
        if df.empty:
            groups = sorted(frame["client_group"].unique())
            raise ValueError(f"no rows for client group {client_group!r}; the frame has {groups}")
        snapshot_id = snapshot_id or frame.attrs.get("snapshot_id")
        colour = SCENARIO_COLOURS[i % len(SCENARIO_COLOURS)]
        hatch = SCENARIO_HATCHES[i % len(SCENARIO_HATCHES)]
        # Each financial year at its own position: the start year (2026 = 2026/27), labelled 2026/27.
        x = [int(fy) for fy in df["fy"]]
        years.update(zip(x, df["fy_label"]))
        prefix = f"{label}: " if label else ""
        gaps = client_group == "all" and "sum_of_group_gaps" in df.columns
        if {"p10", "p90"}.issubset(df.columns) and df["p10"].notna().any():
            ax.fill_between(x, df["p10"], df["p90"], facecolor=colour, alpha=0.18, edgecolor=colour, hatch=hatch,
                            linewidth=1.0, label=f"{prefix}{'net across groups: ' if gaps else ''}likely range (80% of simulations, P10 to P90)")
        if gaps:
            ax.plot(x, df["sum_of_group_gaps"], color=colour, marker="o", linewidth=2.0,
                    label=f"{prefix}units still needed (sum of the gaps of the groups that are short)")
            ax.plot(x, df["shortfall_cumulative"], color=colour, linestyle="--", linewidth=1.2,
                    label=f"{prefix}net across groups (surpluses offset gaps)")
        else:
            ax.plot(x, df["shortfall_cumulative"], color=colour, marker="o", linewidth=2.0,
                    label=f"{prefix}units still needed")
        if show_target and not target_drawn and "target_cumulative" in df.columns and (df["target_cumulative"] > 0).any():
            ax.plot(x, df["target_cumulative"], color="#333333", linestyle=":", marker="D", markersize=5, linewidth=1.2,
                    label="Strategy target (cumulative units)")
            target_drawn = True

    ax.axhline(0, color="black", linewidth=0.8)
    positions = sorted(years)
    ax.set_xticks(positions)
    ax.set_xticklabels([years[p] for p in positions])
    ax.set_xlim(positions[0] - 0.5, positions[-1] + 0.5)
    group_words = CLIENT_GROUP_NAMES.get(client_group, _plain(client_group))
    ax.set_title(title or f"Supported-living units still needed by the end of each year: {group_words}", loc="left")
    ax.set_xlabel("Financial year (April to March); each point is the position on 31 March, the year's end")
    ax.set_ylabel("Units needed beyond supply (cumulative)")
    ax.grid(True, axis="y", alpha=0.3)
    ax.legend(loc="upper left", fontsize="small")
    _write_source(ax, source_line(council, data_date, snapshot_id, status, council_code))
    return ax


def display_table(frame: pd.DataFrame, columns: Optional[Mapping[str, str]] = None, decimals: int = 0,
                  index: Optional[str] = None):
    """A table to show to readers: plain column names (``columns`` maps a column to its heading, the rest are
    de-snake-cased), figures rounded to ``decimals``, and no row numbers. ``index`` names a heading for the
    frame's index when it carries meaning (a pivot's financial years), which is then shown as a column."""
    df = frame.reset_index() if index is not None else frame.copy()
    if index is not None:
        df = df.rename(columns={df.columns[0]: index})
    names = dict(columns or {})
    df = df.rename(columns={c: names.get(c, _heading(c)) for c in df.columns})
    numeric = [c for c in df.columns if pd.api.types.is_float_dtype(df[c])]
    styler = df.style.hide(axis="index").format({c: f"{{:,.{decimals}f}}" for c in numeric}, na_rep="")
    return styler


def _heading(column) -> str:
    text = str(column)
    if text in CLIENT_GROUP_NAMES:
        return CLIENT_GROUP_NAMES[text].capitalize()
    text = text.replace("_", " ")
    return text[:1].upper() + text[1:]


RAG_COLOURS = {"green": "#009E73", "amber": "#E69F00", "red": "#D55E00"}


def _number(value: float, unit: str = "") -> str:
    if value is None or pd.isna(value):
        return "-"
    text = f"{value:,.0f}" if abs(value) >= 100 or float(value).is_integer() else f"{value:,.1f}"
    if unit == "%":
        return text + "%"
    if unit == "GBP":
        return "£" + text
    return text


def plot_performance(report, measure: str, ax=None, title: Optional[str] = None, level: float = 80,
                     council: Optional[str] = None, data_date=None, status=None):
    """A measure's year to date month by month against its year-end target, with the estimated end of year and
    its likely range at 31 March, for a ``PerformanceReport`` from ``Client.performance``. The months run April
    to March of the report's financial year; the estimate each month made of the year end is drawn faintly, so
    a reader sees how it moved. The RAG status and the chance of meeting the target are in the target's legend
    entry. The council's name, the data snapshot and the last day of the data are written under the chart: pass
    ``status`` (``Client.status()``) or ``council`` and ``data_date``."""
    import matplotlib.dates as mdates
    import matplotlib.ticker as mticker

    row = report.measure(measure)
    months = report.months[report.months["measure"] == measure].sort_values("month_end")
    start_year = int(str(report.financial_year)[:4])
    month_ends = [pd.Timestamp(start_year, 4, 1) + pd.offsets.MonthEnd(i + 1) for i in range(12)]
    year_end = month_ends[-1]
    unit = str(row["unit"])

    ax = _axes(ax)
    if not months.empty:
        ax.plot(months["month_end"], months["ytd_value"], color="black", marker="o", linewidth=1.8, label="Year to date")
        if months["year_end_estimate"].notna().any():
            ax.plot(months["month_end"], months["year_end_estimate"], color="#0072B2", linewidth=1.0, alpha=0.45,
                    marker=".", label="Estimate of the year end made each month")
    estimate = float(row["year_end"])
    lower, upper = row.get(f"lower_{level:g}", float("nan")), row.get(f"upper_{level:g}", float("nan"))
    if not pd.isna(estimate):
        last_x = months["month_end"].iloc[-1] if not months.empty else None
        last_y = float(months["ytd_value"].iloc[-1]) if not months.empty else None
        if last_x is not None and last_x < year_end:
            ax.plot([last_x, year_end], [last_y, estimate], color="#0072B2", linestyle="--", linewidth=1.6)
        has_range = not (pd.isna(lower) or pd.isna(upper))
        range_words = f" ({level:g}% likely range {_number(lower, unit)} to {_number(upper, unit)})" if has_range else ""
        ax.errorbar([year_end], [estimate],
                    yerr=[[estimate - lower], [upper - estimate]] if has_range else None,
                    fmt="D", color="#0072B2", capsize=6, markersize=7, linewidth=1.6,
                    label=f"Estimated end of year: {_number(estimate, unit)}{range_words}")
    target = row["target"]
    if not pd.isna(target):
        rag = row["rag"] if isinstance(row["rag"], str) else None
        words = []
        if rag:
            words.append(f"status {rag}")
        if not pd.isna(row["probability"]):
            words.append(f"{float(row['probability']):.0%} chance of meeting it")
        ax.axhline(float(target), color=RAG_COLOURS.get(rag, "#333333"), linestyle=":", linewidth=1.6,
                   label=f"Year-end target: {_number(float(target), unit)}" + (f" ({', '.join(words)})" if words else ""))

    what = str(row["title"]) or _plain(measure).capitalize()
    code = f" ({row['code']})" if str(row["code"]) else ""
    ax.set_title(title or f"{what}{code}: year to date against the year-end target, {report.financial_year}", loc="left")
    ax.set_ylabel(f"{unit[:1].upper()}{unit[1:]}, year to date" if unit else "Year to date")
    if ax.get_ylim()[0] > 0:
        ax.set_ylim(bottom=0)
    ax.xaxis.set_major_locator(mticker.FixedLocator([mdates.date2num(m.to_pydatetime()) for m in month_ends]))
    ax.xaxis.set_major_formatter(mticker.FixedFormatter([f"{m:%b}" for m in month_ends]))
    first = pd.Timestamp(start_year, 4, 1)
    ax.set_xlim(mdates.date2num(first.to_pydatetime()), mdates.date2num((year_end + pd.Timedelta(days=15)).to_pydatetime()))
    ax.set_xlabel(f"Financial year {report.financial_year} (April to March); each point is the position at the month's end")
    ax.grid(True, axis="y", alpha=0.3)
    ax.legend(loc="best", fontsize="small")
    source = source_line(council, data_date, report.snapshot_id, status, report.council_code)
    # The last day of the data the chart shows: the end of its last month (the report may use fewer months than it has).
    as_of = _format_date(months["month_end"].iloc[-1] if not months.empty else report.as_of)
    _write_source(ax, " · ".join(part for part in (source, f"data to {as_of}" if as_of else "") if part))
    return ax


__all__: Iterable[str] = ["plot_forecast", "plot_shortfall", "plot_performance", "display_table", "financial_year_label",
                          "source_line"]
