"""Costs of scenario runs in the Python client: the costs DataFrame of a run, its weekly costs (the median of the
services open on the as-of date, computed here from services.csv with pandas, or levers), and the net cost columns
of a comparison."""

from __future__ import annotations

import math

import pandas as pd

import forecasting_client as fc
from conftest import COUNCIL, SAMPLE
from forecasting_client._generated.forecasting.v1 import planning_pb2


def test_scenario_cost_frames_from_a_result_message():
    r = planning_pb2.ScenarioResult(result_id="res-1")
    y = r.years.add(fy=2025, fy_label="2025/26", client_group="all")
    y.costs.CopyFrom(planning_pb2.YearCosts(
        supported_living_weeks=100, avoided_residential_weeks=20, uplift_factor=1.03,
        supported_living_cost=100 * 1500 * 1.03, placements_cost=100 * 1500 * 1.03,
        avoided_residential_cost=20 * 1000 * 1.03, net_cost=(100 * 1500 - 20 * 1000) * 1.03,
        net_cost_cumulative=(100 * 1500 - 20 * 1000) * 1.03))
    r.years.add(fy=2025, fy_label="2025/26", client_group="ld_autism")  # no costs: not a row
    r.cost_basis.computed = True
    r.cost_basis.price_fy = 2024
    r.cost_basis.weekly_costs.add(setting="supported_living", weekly_cost=1500, source="data", services=12,
                                  description="median of 12 open supported_living services on 2025-03-31")
    r.cost_basis.weekly_costs.add(setting="extra_care", client_group="all", source="missing")

    costs, weekly = fc.Client._cost_frames(r)
    assert list(costs["client_group"]) == ["all"]
    row = costs.iloc[0]
    assert math.isclose(row["net_cost"], row["placements_cost"] - row["avoided_residential_cost"])
    assert math.isclose(row["net_cost"], 133_900.0)
    assert costs.attrs["computed"] and costs.attrs["price_fy"] == 2024
    assert weekly.set_index("setting").loc["supported_living", "services"] == 12
    assert math.isnan(weekly.set_index("setting").loc["extra_care", "weekly_cost"])


def test_scenario_baseline_weekly_costs_are_the_median_of_the_services_open_on_the_as_of_date(commissioner):
    run = commissioner.run_scenario(None, council=COUNCIL, draws=100, seed=5)
    services = pd.read_csv(SAMPLE / "services.csv", parse_dates=["start_date", "end_date"])
    as_of = pd.Timestamp(run.as_of)
    open_ = services[(services["council_code"] == COUNCIL) & (services["start_date"] <= as_of)
                     & (services["end_date"].isna() | (services["end_date"] > as_of))]
    weekly = run.weekly_costs
    everyone = weekly[(weekly["client_group"] == "all") & (weekly["age_band"] == "")].set_index("setting")
    # supported-living and extra-care services without a locality are out-of-area placements, priced on their own
    in_area = open_["locality"].notna() | ~open_["service_type"].isin(["supported_living", "extra_care"])
    for setting in ["supported_living", "extra_care", "shared_lives", "residential", "nursing", "home_care"]:
        costs = open_.loc[in_area & (open_["service_type"] == setting), "weekly_cost"]
        assert everyone.loc[setting, "source"] == "data"
        assert everyone.loc[setting, "services"] == len(costs)
        assert math.isclose(everyone.loc[setting, "weekly_cost"], costs.median(), abs_tol=1e-6)
        assert everyone.loc[setting, "description"] == f"median of {len(costs)} open {setting} services on {run.as_of}"
    assert everyone.loc["out_of_area", "services"] == (~in_area).sum()
    assert everyone.loc["inpatient", "source"] == "assumption"
    costs = run.costs
    assert not costs.empty and costs.attrs["computed"]
    # each group's supported-living cost is its person-weeks x the group's weekly cost x the year's uplift factor
    assert (costs["uplift_factor"] == 1).all()
    by_group = weekly[(weekly["setting"] == "supported_living") & (weekly["age_band"] == "")].set_index("client_group")["weekly_cost"]
    groups = costs[costs["client_group"] != "all"]
    expected = groups["supported_living_weeks"] * groups["client_group"].map(by_group)
    assert ((expected - groups["supported_living_cost"]).abs() < 1e-3).all()
    assert ((costs["placements_cost"] + costs["waiting_cost"] - costs["avoided_residential_cost"] - costs["net_cost"]).abs() < 1e-3).all()
    # "all" is the sum of the client groups
    total = costs[costs["client_group"] == "all"].set_index("fy")["net_cost"]
    parts = groups.groupby("fy")["net_cost"].sum()
    assert ((total - parts).abs() < 1e-3).all()


def test_scenario_costs_with_weekly_cost_levers(strategy_lead):
    levers = fc.ScenarioLevers(
        residential_to_sl_moves_per_year=30,
        weekly_costs={"supported_living": 1500.0, "extra_care": 700.0, "shared_lives": 450.0, "residential": 1100.0},
        cost_uplift_pct=3.0,
    )
    created = strategy_lead.create_scenario("pytest costs", levers, council=COUNCIL)
    assert created.levers.weekly_costs["residential"] == 1100.0 and created.levers.cost_uplift_pct == 3.0
    try:
        run = strategy_lead.run_scenario(created.scenario_id, draws=100, seed=5)
        costs = run.costs
        assert not costs.empty and "all" in set(costs["client_group"])
        assert ((costs["placements_cost"] + costs["waiting_cost"] - costs["avoided_residential_cost"] - costs["net_cost"]).abs() < 1e-3).all()
        # placements = supported living + extra care + Shared Lives + out of area; each is person-weeks x weekly cost x uplift
        parts = costs["supported_living_cost"] + costs["extra_care_cost"] + costs["shared_lives_cost"] + costs["out_of_area_cost"]
        assert ((parts - costs["placements_cost"]).abs() < 1e-3).all()
        expected = costs["supported_living_weeks"] * 1500.0 * costs["uplift_factor"]
        assert ((expected - costs["supported_living_cost"]).abs() < 1e-3).all()
        assert (costs["avoided_residential_weeks"] > 0).any()
        weekly = run.weekly_costs
        weekly = weekly[(weekly["client_group"] == "all") & (weekly["age_band"] == "")].set_index("setting")
        assert weekly.loc["supported_living", "source"] == "lever"
        assert "person-weeks x weekly cost" in run.cost_basis

        assert weekly.loc["nursing", "source"] == "data"   # not set by the levers: the data's median

        comparison = strategy_lead.compare([created.scenario_id], council=COUNCIL, draws=100, seed=5)
        ours = comparison[comparison["scenario_id"] == created.scenario_id].set_index(["fy", "client_group"])
        base = comparison[comparison["scenario_id"] == ""].set_index(["fy", "client_group"])
        assert ours["net_cost"].notna().all() and base["net_cost"].notna().all()
        # beside the shortfall difference: the net cost difference, in the year and to date
        delta = ours["net_cost"] - base["net_cost"]
        assert ((delta - ours["net_cost_delta_vs_baseline"]).abs() < 1e-3).all()
        delta = ours["net_cost_cumulative"] - base["net_cost_cumulative"]
        assert ((delta - ours["net_cost_cumulative_delta_vs_baseline"]).abs() < 1e-3).all()
    finally:
        strategy_lead.delete_scenario(created.scenario_id)
