"""Plain input and result types of the Python client."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Dict, List, Optional

import pandas as pd

from ._generated.forecasting.v1 import planning_pb2


def _iso(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, (_dt.date, _dt.datetime, pd.Timestamp)):
        return value.strftime("%Y-%m-%d")
    return str(value)


@dataclass
class SchemeSlippage:
    """Delay a pipeline scheme by a number of months."""

    pipeline_id: str
    months: int

    def to_proto(self) -> planning_pb2.SchemeSlippage:
        return planning_pb2.SchemeSlippage(pipeline_id=self.pipeline_id, months=int(self.months))


@dataclass
class NewScheme:
    """A scheme that is not in the pipeline yet."""

    name: str
    units: int
    category: str  # supported_living, shared_house, extra_care
    client_group: str
    expected_date: "str | _dt.date"
    status: str = ""  # delivery status; the server's default is confirmed
    in_area: Optional[bool] = None  # the server's default is in area

    def to_proto(self) -> planning_pb2.NewScheme:
        p = planning_pb2.NewScheme(
            name=self.name,
            units=int(self.units),
            category=self.category,
            client_group=self.client_group,
            expected_date=_iso(self.expected_date),
            status=self.status,
        )
        if self.in_area is not None:
            p.in_area = bool(self.in_area)
        return p


@dataclass
class SchemeOverride:
    """A change to an existing pipeline scheme; None (or "") keeps the scheme's value."""

    pipeline_id: str
    status: str = ""
    probability: Optional[float] = None
    units: Optional[int] = None
    expected_date: str = ""  # ISO date

    def to_proto(self) -> planning_pb2.SchemeOverride:
        p = planning_pb2.SchemeOverride(pipeline_id=self.pipeline_id, status=self.status, expected_date=self.expected_date)
        if self.probability is not None:
            p.probability = float(self.probability)
        if self.units is not None:
            p.units = int(self.units)
        return p


@dataclass
class ScenarioLevers:
    """What-if levers on top of the baseline; defaults (and None) keep the baseline."""

    population_variant: str = ""  # any projection variant the data holds: low, principal (default), high
    extra_population_growth_pct: float = 0.0  # percent a year on the driver population
    admission_diversion_pct: float = 0.0  # percent (0-100) of residential admissions
    residential_to_sl_moves_per_year: Optional[float] = None  # one council total; None = each group's observed pace
    transitions_cohort_multiplier: float = 0.0  # 0 = baseline (1.0)
    transitions_sl_share: Optional[float] = None
    delivery_probability: Dict[str, float] = field(default_factory=dict)
    slippage: List[SchemeSlippage] = field(default_factory=list)
    new_schemes: List[NewScheme] = field(default_factory=list)
    cancelled_schemes: List[str] = field(default_factory=list)
    void_rate: Optional[float] = None
    shared_lives_placements_per_year: float = 0.0
    direct_payment_share_change: float = 0.0  # fraction, -1 to 1, from today's position
    scheme_overrides: List[SchemeOverride] = field(default_factory=list)
    strategy_id: str = ""
    strategy_version: int = 0
    include_out_of_area: bool = False
    net_delivered_units: bool = False
    start_fy: int = 0
    end_fy: int = 0
    client_groups: List[str] = field(default_factory=list)
    pipeline_min_status: Optional[str] = None  # None = pipeline weighted by delivery probability

    def to_proto(self) -> planning_pb2.ScenarioLevers:
        p = planning_pb2.ScenarioLevers(
            population_variant=self.population_variant,
            extra_population_growth_pct=float(self.extra_population_growth_pct),
            admission_diversion_pct=float(self.admission_diversion_pct),
            transitions_cohort_multiplier=float(self.transitions_cohort_multiplier),
            shared_lives_placements_per_year=float(self.shared_lives_placements_per_year),
            direct_payment_share_change=float(self.direct_payment_share_change),
            strategy_id=self.strategy_id,
            strategy_version=int(self.strategy_version),
            include_out_of_area=self.include_out_of_area,
            net_delivered_units=self.net_delivered_units,
            start_fy=int(self.start_fy),
            end_fy=int(self.end_fy),
        )
        if self.transitions_sl_share is not None:
            p.transitions_sl_share = float(self.transitions_sl_share)
        if self.void_rate is not None:
            p.void_rate = float(self.void_rate)
        if self.residential_to_sl_moves_per_year is not None:
            p.residential_to_sl_moves_per_year = float(self.residential_to_sl_moves_per_year)
        if self.pipeline_min_status is not None:
            p.pipeline_min_status = self.pipeline_min_status
        for status, probability in self.delivery_probability.items():
            p.delivery_probability[status] = float(probability)
        p.slippage.extend(s.to_proto() for s in self.slippage)
        p.new_schemes.extend(s.to_proto() for s in self.new_schemes)
        p.cancelled_schemes.extend(self.cancelled_schemes)
        p.scheme_overrides.extend(o.to_proto() for o in self.scheme_overrides)
        p.client_groups.extend(self.client_groups)
        return p

    @classmethod
    def from_proto(cls, p: planning_pb2.ScenarioLevers) -> "ScenarioLevers":
        return cls(
            population_variant=p.population_variant,
            extra_population_growth_pct=p.extra_population_growth_pct,
            admission_diversion_pct=p.admission_diversion_pct,
            residential_to_sl_moves_per_year=(p.residential_to_sl_moves_per_year
                                              if p.HasField("residential_to_sl_moves_per_year") else None),
            transitions_cohort_multiplier=p.transitions_cohort_multiplier,
            transitions_sl_share=p.transitions_sl_share if p.HasField("transitions_sl_share") else None,
            delivery_probability=dict(p.delivery_probability),
            slippage=[SchemeSlippage(s.pipeline_id, s.months) for s in p.slippage],
            new_schemes=[
                NewScheme(s.name, s.units, s.category, s.client_group, s.expected_date, s.status,
                          s.in_area if s.HasField("in_area") else None)
                for s in p.new_schemes
            ],
            cancelled_schemes=list(p.cancelled_schemes),
            void_rate=p.void_rate if p.HasField("void_rate") else None,
            shared_lives_placements_per_year=p.shared_lives_placements_per_year,
            direct_payment_share_change=p.direct_payment_share_change,
            scheme_overrides=[
                SchemeOverride(o.pipeline_id, o.status, o.probability if o.HasField("probability") else None,
                               o.units if o.HasField("units") else None, o.expected_date)
                for o in p.scheme_overrides
            ],
            strategy_id=p.strategy_id,
            strategy_version=p.strategy_version,
            include_out_of_area=p.include_out_of_area,
            net_delivered_units=p.net_delivered_units,
            start_fy=p.start_fy,
            end_fy=p.end_fy,
            client_groups=list(p.client_groups),
            pipeline_min_status=p.pipeline_min_status if p.HasField("pipeline_min_status") else None,
        )


@dataclass
class Scenario:
    scenario_id: str
    council_code: str
    name: str
    description: str
    revision: int
    levers: ScenarioLevers
    author: str
    created_at: Optional[pd.Timestamp]
    deleted: bool


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
