"""matplotlib charts of client results: a forecast fan chart and a shortfall-by-year chart."""

from __future__ import annotations

from typing import Mapping, Optional, Union

import pandas as pd


def _axes(ax):
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=(10, 4.5))
    return ax


def plot_forecast(frame: pd.DataFrame, ax=None, title: Optional[str] = None, group: Optional[Mapping[str, str]] = None,
                  history_periods: Optional[int] = None, color: str = "C0"):
    """Fan chart of a frame from ``Client.forecast`` or ``Client.run``: actuals as a line, the forecast mean
    as a dashed line and each interval level as a shaded band (widest lightest).

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

    for i, level in enumerate(levels):
        name = f"{level:g}"
        ax.fill_between(fc["period_start"], fc[f"lower_{name}"], fc[f"upper_{name}"], color=color,
                        alpha=0.15 + 0.15 * i, linewidth=0, label=f"{name}% interval")
    if not hist.empty:
        ax.plot(hist["period_start"], hist["actual"], color="black", linewidth=1.2, label="actual")
    if not fc.empty:
        ax.plot(fc["period_start"], fc["mean"], color=color, linewidth=1.6, linestyle="--", label="forecast")

    metric = df["metric"].iloc[0]
    model = df["model"].iloc[0]
    label = " ".join(f"{c}={df[c].iloc[0]}" for c in key_cols)
    ax.set_title(title or f"{metric} {label}".strip() + f" (model: {model})")
    ax.set_xlabel("period")
    ax.set_ylabel(metric)
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper left", fontsize="small")
    return ax


def plot_shortfall(results: Union[pd.DataFrame, Mapping[str, pd.DataFrame]], client_group: str = "all", ax=None,
                   title: Optional[str] = None, show_target: bool = True):
    """Cumulative shortfall by financial year with its P10-P90 range.

    ``results`` is a shortfall frame (``Client.shortfall`` / ``ScenarioRun.shortfall``) or a mapping of
    label -> frame to draw several scenarios on one chart (e.g. baseline and a what-if). A comparison frame
    from ``Client.compare`` is split by scenario name; it has no range, so its P50 is drawn.
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
    for i, (label, frame) in enumerate(frames.items()):
        df = frame[frame["client_group"] == client_group].sort_values("fy")
        if df.empty:
            groups = sorted(frame["client_group"].unique())
            raise ValueError(f"no rows for client group {client_group!r}; the frame has {groups}")
        color = f"C{i}"
        x = df["fy_label"]
        if {"p10", "p90"}.issubset(df.columns):
            ax.fill_between(x, df["p10"], df["p90"], color=color, alpha=0.2, linewidth=0,
                            label=f"{label + ' ' if label else ''}P10-P90")
        y = df["shortfall_cumulative"]
        ax.plot(x, y, color=color, marker="o", linewidth=1.8, label=f"{label + ' ' if label else ''}cumulative shortfall")
        if show_target and not target_drawn and "target_cumulative" in df.columns and (df["target_cumulative"] > 0).any():
            ax.step(x, df["target_cumulative"], where="mid", color="grey", linestyle=":", label="strategy target (cumulative)")
            target_drawn = True

    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_title(title or f"Supported-living shortfall by year ({client_group})")
    ax.set_xlabel("financial year")
    ax.set_ylabel("units (demand - supply, cumulative)")
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper left", fontsize="small")
    for tick in ax.get_xticklabels():
        tick.set_rotation(45)
    return ax
