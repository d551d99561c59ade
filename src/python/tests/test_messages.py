"""The scenario dataclasses follow the proto: same fields in the same order, unset optional fields None,
and a message survives message -> dataclass -> message."""

import dataclasses
import datetime as dt

import pandas as pd
import pytest

import forecasting_client as fc
from forecasting_client._generated.forecasting.v1 import planning_pb2

PAIRS = [
    (fc.ScenarioLevers, planning_pb2.ScenarioLevers),
    (fc.NewScheme, planning_pb2.NewScheme),
    (fc.SchemeSlippage, planning_pb2.SchemeSlippage),
    (fc.SchemeOverride, planning_pb2.SchemeOverride),
    (fc.Scenario, planning_pb2.Scenario),
]


@pytest.mark.parametrize("dataclass_type, message", PAIRS, ids=lambda x: getattr(x, "__name__", ""))
def test_fields_follow_the_descriptor(dataclass_type, message):
    descriptor_fields = [f.name for f in message.DESCRIPTOR.fields]
    assert [f.name for f in dataclasses.fields(dataclass_type)] == descriptor_fields
    empty = dataclass_type()
    for f in message.DESCRIPTOR.fields:
        if f.has_presence and f.containing_oneof is not None:  # proto3 optional
            assert getattr(empty, f.name) is None, f"{f.name} is optional in the proto, so unset must be None"


def test_default_levers_are_the_empty_message():
    assert fc.ScenarioLevers().to_proto() == planning_pb2.ScenarioLevers()
    assert not fc.ScenarioLevers().to_proto().HasField("transitions_cohort_multiplier")


def test_an_explicit_zero_is_sent_and_read_back_apart_from_unset():
    p = fc.ScenarioLevers(transitions_cohort_multiplier=0).to_proto()
    assert p.HasField("transitions_cohort_multiplier") and p.transitions_cohort_multiplier == 0
    assert fc.ScenarioLevers.from_proto(p).transitions_cohort_multiplier == 0
    assert fc.ScenarioLevers.from_proto(planning_pb2.ScenarioLevers()).transitions_cohort_multiplier is None


def test_every_lever_survives_a_round_trip():
    message = planning_pb2.ScenarioLevers(
        population_variant="high", extra_population_growth_pct=1.5, admission_diversion_pct=20,
        residential_to_sl_moves_per_year=30, transitions_cohort_multiplier=1.2, transitions_sl_share=0.4,
        delivery_probability={"in_development": 0.5},
        slippage=[planning_pb2.SchemeSlippage(pipeline_id="PL09", months=12)],
        new_schemes=[planning_pb2.NewScheme(name="Elm Court", units=8, category="supported_living", client_group="ld_autism",
                                            expected_date="2027-06-01", status="confirmed", in_area=False)],
        cancelled_schemes=["PL02"], void_rate=0.05, shared_lives_placements_per_year=6, strategy_id="sl-2021",
        strategy_version=2, include_out_of_area=True, net_delivered_units=True, start_fy=2025, end_fy=2030,
        client_groups=["ld_autism"], pipeline_min_status="planning_approved", direct_payment_share_change=0.05,
        scheme_overrides=[planning_pb2.SchemeOverride(pipeline_id="PL03", status="confirmed", probability=0.9, units=4,
                                                      expected_date="2026-10-01")],
        weekly_costs={"supported_living": 1450.5, "residential": 980.0}, cost_uplift_pct=3.0,
        target_pipeline_min_status="reasonable_confidence", discount_rate_pct=1.5, let_out_of_area_units=False,
        count_displaced_need=False,
    )
    for f in message.DESCRIPTOR.fields:  # the test sets every lever the proto has
        value = getattr(message, f.name)
        assert (len(value) > 0) if f.label == f.LABEL_REPEATED else (message.HasField(f.name) if f.has_presence else bool(value)), f.name
    assert fc.ScenarioLevers.from_proto(message).to_proto() == message


def test_dates_may_be_given_as_dates():
    scheme = fc.NewScheme("Elm Court", 8, "supported_living", "ld_autism", dt.date(2027, 6, 1))
    assert scheme.to_proto().expected_date == "2027-06-01"
    change = fc.SchemeOverride("PL03", expected_date=pd.Timestamp("2026-10-01"))
    assert change.to_proto().expected_date == "2026-10-01"


def test_scenario_timestamps_are_utc_to_the_nanosecond():
    p = planning_pb2.Scenario(scenario_id="s", levers=planning_pb2.ScenarioLevers(void_rate=0.1))
    p.created_at.FromNanoseconds(1_700_000_000_123_456_789)
    s = fc.Scenario.from_proto(p)
    assert s.created_at == pd.Timestamp(1_700_000_000_123_456_789, unit="ns", tz="UTC")
    assert s.levers.void_rate == 0.1
    assert s.to_proto() == p
