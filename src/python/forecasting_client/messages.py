"""Dataclasses for the scenario messages, generated from protos/forecasting/v1/planning.proto by
src/python/generate_messages.py: do not edit; change the proto and run src/python/generate_stubs.sh.

Every field keeps the proto's name, order and meaning. A field the proto marks optional is None when unset
(the baseline); dates are ISO strings and may be given as datetime.date or pandas Timestamps."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Union

import pandas as pd

from ._generated.forecasting.v1 import planning_pb2

_Date = Union[str, _dt.date]


def _text(value) -> str:
    """Strings as they are; dates and timestamps as ISO dates."""
    if value is None:
        return ""
    if isinstance(value, (_dt.date, _dt.datetime, pd.Timestamp)):
        return value.strftime("%Y-%m-%d")
    return str(value)


def _timestamp(ts) -> Optional[pd.Timestamp]:
    if ts.seconds == 0 and ts.nanos == 0:
        return None
    return pd.Timestamp(ts.seconds * 1_000_000_000 + ts.nanos, unit="ns", tz="UTC")


@dataclass
class SchemeSlippage:
    """Delay a pipeline scheme by a number of months."""

    pipeline_id: str = ""  # pipeline id, or the scheme's exact name
    months: int = 0  # months the scheme's expected date moves

    def to_proto(self) -> planning_pb2.SchemeSlippage:
        p = planning_pb2.SchemeSlippage()
        p.pipeline_id = _text(self.pipeline_id)
        p.months = int(self.months)
        return p

    @classmethod
    def from_proto(cls, p: planning_pb2.SchemeSlippage) -> "SchemeSlippage":
        return cls(
            pipeline_id=p.pipeline_id,
            months=p.months,
        )


@dataclass
class NewScheme:
    """A scheme that is not in the pipeline yet."""

    name: str = ""  # the scheme's name
    units: int = 0  # units it adds
    category: str = ""  # supported_living, shared_house, extra_care
    client_group: str = ""  # the client group it houses
    expected_date: _Date = ""  # ISO date
    status: str = ""  # delivery status; default confirmed
    in_area: Optional[bool] = None  # default true

    def to_proto(self) -> planning_pb2.NewScheme:
        p = planning_pb2.NewScheme()
        p.name = _text(self.name)
        p.units = int(self.units)
        p.category = _text(self.category)
        p.client_group = _text(self.client_group)
        p.expected_date = _text(self.expected_date)
        p.status = _text(self.status)
        if self.in_area is not None:
            p.in_area = bool(self.in_area)
        return p

    @classmethod
    def from_proto(cls, p: planning_pb2.NewScheme) -> "NewScheme":
        return cls(
            name=p.name,
            units=p.units,
            category=p.category,
            client_group=p.client_group,
            expected_date=p.expected_date,
            status=p.status,
            in_area=p.in_area if p.HasField("in_area") else None,
        )


@dataclass
class SchemeOverride:
    """A change to an existing pipeline scheme; unset fields keep the scheme's value."""

    pipeline_id: str = ""  # pipeline id, or the scheme's exact name
    status: str = ""  # new delivery status; empty = keep
    probability: Optional[float] = None  # delivery probability (fraction 0-1) of this scheme only
    units: Optional[int] = None  # new number of units; unset = keep
    expected_date: _Date = ""  # ISO date; empty = keep

    def to_proto(self) -> planning_pb2.SchemeOverride:
        p = planning_pb2.SchemeOverride()
        p.pipeline_id = _text(self.pipeline_id)
        p.status = _text(self.status)
        if self.probability is not None:
            p.probability = float(self.probability)
        if self.units is not None:
            p.units = int(self.units)
        p.expected_date = _text(self.expected_date)
        return p

    @classmethod
    def from_proto(cls, p: planning_pb2.SchemeOverride) -> "SchemeOverride":
        return cls(
            pipeline_id=p.pipeline_id,
            status=p.status,
            probability=p.probability if p.HasField("probability") else None,
            units=p.units if p.HasField("units") else None,
            expected_date=p.expected_date,
        )


@dataclass
class ScenarioLevers:
    """Lever values on top of the baseline (src/Forecasting.Domain/docs/planning-model.md, "Levers"). Unset optional fields keep the baseline. Fields ending in _pct are percentages (2 = 2%); shares, rates and probabilities are fractions (0.02 = 2%)."""

    population_variant: str = ""  # any projection variant the data holds (low, principal (default), high, ...)
    extra_population_growth_pct: float = 0.0  # percent per year added to the driver population's growth; need arising follows it
    admission_diversion_pct: float = 0.0  # percent (0-100) of residential (not nursing) admissions diverted into supported-living need
    residential_to_sl_moves_per_year: Optional[float] = None  # one total for the council, split across groups by step-down candidates; default: each group's observed pace
    transitions_cohort_multiplier: Optional[float] = None  # multiplier on the transitions cohort's size; unset = baseline (1.0)
    transitions_sl_share: Optional[float] = None  # fraction (0-1) of the transitions cohort needing supported living
    delivery_probability: Dict[str, float] = field(default_factory=dict)  # pipeline status -> probability (fraction 0-1)
    slippage: List["SchemeSlippage"] = field(default_factory=list)  # schemes delivered later (or earlier) than planned
    new_schemes: List["NewScheme"] = field(default_factory=list)  # schemes not yet in the pipeline
    cancelled_schemes: List[str] = field(default_factory=list)  # pipeline ids
    void_rate: Optional[float] = None  # target void rate, fraction 0-1: groups above it re-let faster; groups below keep theirs
    shared_lives_placements_per_year: float = 0.0  # one total, split across groups by their share of the waiting list
    strategy_id: str = ""  # the strategy to report against; empty = the council's latest
    strategy_version: Optional[int] = None  # unset = the latest version
    include_out_of_area: bool = False  # count out-of-area placements in demand and supply
    net_delivered_units: bool = False  # count units delivered since the strategy start against the requirement
    start_fy: Optional[int] = None  # first financial year reported (2025 = 2025/26); unset = from the as-of date
    end_fy: Optional[int] = None  # last financial year reported; unset = the strategy's end (or ten years)
    client_groups: List[str] = field(default_factory=list)  # default: all
    pipeline_min_status: Optional[str] = None  # Unset: pipeline weighted by delivery probability. A status: schemes at that status or firmer count in full and weaker ones not at all (the "reasonable confidence" basis reports use).
    direct_payment_share_change: float = 0.0  # Change (fraction, -1 to 1) in the share of need met by direct payments instead of commissioned units, from each client group's share today s0 (people of the group's age with a direct-payment service open on the as-of date over them plus the people housed in its units): need arising x (1 - (s0 + change)) / (1 - s0); s0 + change within 0..1.
    scheme_overrides: List["SchemeOverride"] = field(default_factory=list)  # changes to existing pipeline schemes
    weekly_costs: Dict[str, float] = field(default_factory=dict)  # Weekly cost (GBP per week, at the as-of date's prices) per setting: supported_living, extra_care, shared_lives, residential, nursing, home_care, out_of_area, inpatient, temporary_accommodation, displaced; the key "setting" prices every client group, "setting.client_group" one. Overrides the services data and the cost assumptions.
    cost_uplift_pct: float = 0.0  # annual cost uplift (inflation), percent per year, compounded from the as-of date's FY
    discount_rate_pct: Optional[float] = None  # discount rate for present values, percent a year; unset = 3.5 (Green Book, real)
    target_pipeline_min_status: Optional[str] = None  # Counting basis of the strategy target arithmetic only: unset = as the simulation counts the pipeline; a status = schemes at that status or firmer count in full towards the target, weaker ones not at all. Never changes the simulation.
    let_out_of_area_units: Optional[bool] = None  # Behaviour: out-of-area units that come free keep being let (unset = true, as today); false = the council stops placing out of area and those tenancies run down. include_out_of_area is the reporting choice (count their units).
    count_displaced_need: Optional[bool] = None  # People removed from the waiting list other than by death (withdrawn, other) stay in demand as displaced need, housed only when nobody else waits (unset = true); false = their need leaves demand when they are removed.

    def to_proto(self) -> planning_pb2.ScenarioLevers:
        p = planning_pb2.ScenarioLevers()
        p.population_variant = _text(self.population_variant)
        p.extra_population_growth_pct = float(self.extra_population_growth_pct)
        p.admission_diversion_pct = float(self.admission_diversion_pct)
        if self.residential_to_sl_moves_per_year is not None:
            p.residential_to_sl_moves_per_year = float(self.residential_to_sl_moves_per_year)
        if self.transitions_cohort_multiplier is not None:
            p.transitions_cohort_multiplier = float(self.transitions_cohort_multiplier)
        if self.transitions_sl_share is not None:
            p.transitions_sl_share = float(self.transitions_sl_share)
        for key, value in self.delivery_probability.items():
            p.delivery_probability[key] = float(value)
        p.slippage.extend(item.to_proto() for item in self.slippage)
        p.new_schemes.extend(item.to_proto() for item in self.new_schemes)
        p.cancelled_schemes.extend(_text(item) for item in self.cancelled_schemes)
        if self.void_rate is not None:
            p.void_rate = float(self.void_rate)
        p.shared_lives_placements_per_year = float(self.shared_lives_placements_per_year)
        p.strategy_id = _text(self.strategy_id)
        if self.strategy_version is not None:
            p.strategy_version = int(self.strategy_version)
        p.include_out_of_area = bool(self.include_out_of_area)
        p.net_delivered_units = bool(self.net_delivered_units)
        if self.start_fy is not None:
            p.start_fy = int(self.start_fy)
        if self.end_fy is not None:
            p.end_fy = int(self.end_fy)
        p.client_groups.extend(_text(item) for item in self.client_groups)
        if self.pipeline_min_status is not None:
            p.pipeline_min_status = _text(self.pipeline_min_status)
        p.direct_payment_share_change = float(self.direct_payment_share_change)
        p.scheme_overrides.extend(item.to_proto() for item in self.scheme_overrides)
        for key, value in self.weekly_costs.items():
            p.weekly_costs[key] = float(value)
        p.cost_uplift_pct = float(self.cost_uplift_pct)
        if self.discount_rate_pct is not None:
            p.discount_rate_pct = float(self.discount_rate_pct)
        if self.target_pipeline_min_status is not None:
            p.target_pipeline_min_status = _text(self.target_pipeline_min_status)
        if self.let_out_of_area_units is not None:
            p.let_out_of_area_units = bool(self.let_out_of_area_units)
        if self.count_displaced_need is not None:
            p.count_displaced_need = bool(self.count_displaced_need)
        return p

    @classmethod
    def from_proto(cls, p: planning_pb2.ScenarioLevers) -> "ScenarioLevers":
        return cls(
            population_variant=p.population_variant,
            extra_population_growth_pct=p.extra_population_growth_pct,
            admission_diversion_pct=p.admission_diversion_pct,
            residential_to_sl_moves_per_year=p.residential_to_sl_moves_per_year if p.HasField("residential_to_sl_moves_per_year") else None,
            transitions_cohort_multiplier=p.transitions_cohort_multiplier if p.HasField("transitions_cohort_multiplier") else None,
            transitions_sl_share=p.transitions_sl_share if p.HasField("transitions_sl_share") else None,
            delivery_probability=dict(p.delivery_probability),
            slippage=[SchemeSlippage.from_proto(item) for item in p.slippage],
            new_schemes=[NewScheme.from_proto(item) for item in p.new_schemes],
            cancelled_schemes=list(p.cancelled_schemes),
            void_rate=p.void_rate if p.HasField("void_rate") else None,
            shared_lives_placements_per_year=p.shared_lives_placements_per_year,
            strategy_id=p.strategy_id,
            strategy_version=p.strategy_version if p.HasField("strategy_version") else None,
            include_out_of_area=p.include_out_of_area,
            net_delivered_units=p.net_delivered_units,
            start_fy=p.start_fy if p.HasField("start_fy") else None,
            end_fy=p.end_fy if p.HasField("end_fy") else None,
            client_groups=list(p.client_groups),
            pipeline_min_status=p.pipeline_min_status if p.HasField("pipeline_min_status") else None,
            direct_payment_share_change=p.direct_payment_share_change,
            scheme_overrides=[SchemeOverride.from_proto(item) for item in p.scheme_overrides],
            weekly_costs=dict(p.weekly_costs),
            cost_uplift_pct=p.cost_uplift_pct,
            discount_rate_pct=p.discount_rate_pct if p.HasField("discount_rate_pct") else None,
            target_pipeline_min_status=p.target_pipeline_min_status if p.HasField("target_pipeline_min_status") else None,
            let_out_of_area_units=p.let_out_of_area_units if p.HasField("let_out_of_area_units") else None,
            count_displaced_need=p.count_displaced_need if p.HasField("count_displaced_need") else None,
        )


@dataclass
class Scenario:
    """A saved, revisioned set of levers."""

    scenario_id: str = ""  # the scenario's id
    council_code: str = ""  # the council
    name: str = ""  # the scenario's name
    description: str = ""  # what it tries, in words
    revision: int = 0  # 1, 2, ...: each update adds a revision
    levers: Optional["ScenarioLevers"] = None  # the changes from the baseline
    author: str = ""  # the key that made the revision
    created_at: Optional[pd.Timestamp] = None  # when the revision was made
    deleted: bool = False  # true once deleted

    def to_proto(self) -> planning_pb2.Scenario:
        p = planning_pb2.Scenario()
        p.scenario_id = _text(self.scenario_id)
        p.council_code = _text(self.council_code)
        p.name = _text(self.name)
        p.description = _text(self.description)
        p.revision = int(self.revision)
        if self.levers is not None:
            p.levers.CopyFrom(self.levers.to_proto())
        p.author = _text(self.author)
        if self.created_at is not None:
            p.created_at.FromNanoseconds(pd.Timestamp(self.created_at).value)
        p.deleted = bool(self.deleted)
        return p

    @classmethod
    def from_proto(cls, p: planning_pb2.Scenario) -> "Scenario":
        return cls(
            scenario_id=p.scenario_id,
            council_code=p.council_code,
            name=p.name,
            description=p.description,
            revision=p.revision,
            levers=ScenarioLevers.from_proto(p.levers) if p.HasField("levers") else None,
            author=p.author,
            created_at=_timestamp(p.created_at) if p.HasField("created_at") else None,
            deleted=p.deleted,
        )
