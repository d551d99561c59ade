"""Result types of the Python client (pandas views of the responses) and the scenario inputs."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Dict, List, Optional

import pandas as pd

from .messages import NewScheme, Scenario, ScenarioLevers, SchemeOverride, SchemeSlippage

# The scenario inputs are generated from the proto (messages.py); they are re-exported here with the results.
__all__ = [
    "ImportResult", "NewScheme", "PlanningBacktest", "Scenario", "ScenarioLevers", "ScenarioRun", "SchemeOverride",
    "SchemeSlippage", "StoreStatus", "Strategy", "YearEnd",
]


def _iso(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, (_dt.date, _dt.datetime, pd.Timestamp)):
        return value.strftime("%Y-%m-%d")
    return str(value)


@dataclass
class StoreStatus:
    schema_version: int
    snapshot_id: str
    snapshot_time: Optional[pd.Timestamp]
    database_path: str
    tables: pd.DataFrame  # table, rows, date_column, min_date, max_date
    councils: pd.DataFrame  # council_code, name, region


@dataclass
class ImportResult:
    import_id: str
    succeeded: bool
    dry_run: bool
    snapshot_id: str
    created_at: Optional[pd.Timestamp]
    tables: pd.DataFrame  # table, rows_in_file, rows_after
    issues: pd.DataFrame  # severity, file, row, column, reason, value
    error_count: int
    warning_count: int
    # exact count per file and rule: severity, file, column, rule, count, listed
    summaries: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["severity", "file", "column", "rule", "count", "listed"]))
    # per table and council: table, council_code, rows_before, added, removed, changed, unchanged
    changes: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["table", "council_code", "rows_before", "added", "removed", "changed", "unchanged"]))
    as_of_date: str = ""


@dataclass
class YearEnd:
    financial_year: str
    months_elapsed: int
    year_to_date: float
    estimate: float
    intervals: pd.DataFrame  # level, lower, upper
    method: str
    actual: Optional[float]
    snapshot_id: str


@dataclass
class Strategy:
    council_code: str
    strategy_id: str
    version: int
    name: str
    start_fy: int
    end_fy: int
    client_group: str
    phases: pd.DataFrame  # name, start_fy, end_fy, unit_target, cumulative_target
    author: str
    reason: str
    created_at: Optional[pd.Timestamp]
    total_target: int
    # client_group ("all" or a group), fy (None = the whole strategy period), unit_target; empty when the phases are the targets
    targets: Optional[pd.DataFrame] = None


@dataclass
class ScenarioRun:
    """One scenario (or baseline) run: the shortfall table per year and client group, and how it was counted."""

    result_id: str
    scenario_id: str
    revision: int
    council_code: str
    strategy_id: str
    strategy_version: int
    snapshot_id: str
    forecast_run_id: str
    seed: int
    draws: int
    basis: str
    shortfall: pd.DataFrame
    seconds: float
    scenario_name: str = ""
    as_of: str = ""
    # strategy targets against delivery per year and client group ("all" and each group with targets): target_due is
    # the trajectory, remaining_requirement (never negative) what is still to find, surplus the excess, with the arithmetic in words
    targets: Optional[pd.DataFrame] = None
    warnings: List[str] = field(default_factory=list)
    simulation_method: str = ""
    # which statistic of the draws every table shows (e.g. "mean of 2000 draws"); P10-P90 come from the same draws
    headline_statistic: str = ""
    # the people behind the shortfall, per year and client group: opening, inflows, outflows and closing of the
    # housed, waiting and demand stocks (opening + inflows - outflows = closing), and each year's flows
    stocks: Optional[pd.DataFrame] = None
    flows: Optional[pd.DataFrame] = None
    # costs per year and client group (GBP at each year's prices): person-weeks by setting, uplift_factor, the cost of
    # each setting, placements_cost (their sum, out of area included), waiting_cost (people waiting, priced where they
    # wait), avoided_residential_cost (residential care paid anyway for people moving from it), net_cost =
    # placements_cost + waiting_cost - avoided_residential_cost, net_cost_cumulative, present values and the P10/P50/P90
    # of net_cost across the draws; attrs["waiting"] per waiting cohort, attrs["budgets"] against the budget lines;
    # empty when costs were not computed (see warnings)
    costs: Optional[pd.DataFrame] = None
    # the weekly cost of each setting and client group ("all" = every group) the run priced with: setting,
    # client_group, age_band (residential and nursing by age band), weekly_cost (NaN when missing), source (data,
    # data_all_groups, assumption, lever, rule or missing), services (open services the data median is from), description
    weekly_costs: Optional[pd.DataFrame] = None
    # the cost arithmetic and weekly costs in one paragraph ("" when costs were not computed)
    cost_basis: str = ""


@dataclass
class PlanningBacktest:
    """The planning model's baseline as of earlier dates against what the data shows since."""

    council_code: str
    snapshot_id: str
    end: str
    draws: int
    seed: int
    method: str
    # origin, fy, fy_label, client_group, measure (housed, waiting_list, lettings), actual, mean, p10, p50, p90, inside_p10_p90
    rows: pd.DataFrame
    # measure, rows, coverage_p10_p90, weighted_absolute_percentage_error (per client group and year, all origins)
    summary: pd.DataFrame
    # measure, client_group (a group, "all" or "per_group" = the groups pooled), horizon (0 = every horizon), rows,
    # model_mae, model_bias, coverage_50/80/95, interval_score_80, crps, naive_mae, naive_bias, seasonal_naive_mae/bias
    scores: Optional[pd.DataFrame] = None
    # rules standing in for data not recorded as it was at an origin ("YYYY-MM-DD: rule")
    substitutions: List[str] = field(default_factory=list)
    origins: List[str] = field(default_factory=list)
    origin_rule: str = ""
    model: str = ""
    data_as_of: str = ""
    seconds: float = 0.0
    # pipeline backtest: origin, fy, fy_label, horizon, schemes, expected_units, delivered_units
    pipeline: Optional[pd.DataFrame] = None
    # predicted delivery probability, resolved forecasts, delivered
    calibration: Optional[pd.DataFrame] = None
    # what the pipeline's own history can and cannot estimate
    pipeline_history_notes: List[str] = field(default_factory=list)


@dataclass
class PrevalenceCheck:
    """An independent estimate of need beside a planning result: prevalence x population per client group
    (the POPPI/PANSI method) and extra-care units per 1,000 people aged 75+ (the Housing LIN method)."""

    council_code: str
    result_id: str
    snapshot_id: str
    as_of: str
    population_variant: str
    population_source: str
    method: str
    # fy, fy_label, client_group, age_bands, population, prevalent_people, need_share, prevalence_need, prevalence_need_low,
    # prevalence_need_high, flow_demand, flow_demand_p10, flow_demand_p90, flow_need_arising, difference, explanation
    rows: pd.DataFrame
    # fy, fy_label, population_aged_75_plus, units_per_1000, units_needed, existing_units, pipeline_units, supply, gap,
    # flow_older_demand, flow_older_supply, flow_older_shortfall, explanation
    extra_care: pd.DataFrame
    sources: List[str]
    warnings: List[str]
    summary: str
