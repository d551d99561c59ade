"""The prevalence cross-check in the Python client: prevalent people, units needed and the extra-care ratio recomputed
here with pandas from the sample CSVs (population at 31 March = a quarter of one mid-year plus three quarters of the next)."""

from __future__ import annotations

import math

import pandas as pd

from conftest import COUNCIL, SAMPLE


def _population_at_31_march(band: str, fy: int) -> float:
    pop = pd.read_csv(SAMPLE / "population.csv")
    principal = pop[(pop.variant == "principal") & (pop.age_band == band)].set_index("year")["population"]
    return 0.25 * principal[fy] + 0.75 * principal[fy + 1]


def test_prevalence_check_matches_the_csvs(commissioner):
    check = commissioner.prevalence_check(COUNCIL, draws=200, seed=5)
    rates = pd.read_csv(SAMPLE / "prevalence_rates.csv")
    ratios = pd.read_csv(SAMPLE / "accommodation_benchmarks.csv")
    shares = ratios[ratios.measure == "unit_need_share"].set_index("client_group")["value"]

    assert set(check.rows.client_group) == set(rates.client_group)
    assert any(w.startswith("complex_needs: no prevalence rate") for w in check.warnings)
    for _, row in check.rows.iterrows():
        group = rates[rates.client_group == row.client_group]
        people = sum(r.rate / (100 if r.unit == "per_100" else 1000) * _population_at_31_march(r.age_band, row.fy)
                     for r in group.itertuples())
        assert math.isclose(row.prevalent_people, people, rel_tol=1e-9)
        assert math.isclose(row.prevalence_need, people * shares[row.client_group], rel_tol=1e-9)
        assert math.isclose(row.difference, row.flow_demand - row.prevalence_need, abs_tol=1e-9)
        assert row.prevalence_need_low < row.prevalence_need < row.prevalence_need_high
        assert row.explanation.startswith(f"{row.fy_label}: the flow model needs")

    ratio = ratios[ratios.measure == "extra_care_units_per_1000_75plus"]["value"].item()
    for _, e in check.extra_care.iterrows():
        aged75 = _population_at_31_march("75-84", e.fy) + _population_at_31_march("85+", e.fy)
        assert math.isclose(e.units_needed, aged75 * ratio / 1000, rel_tol=1e-9)
        assert math.isclose(e.gap, e.units_needed - e.existing_units - e.pipeline_units, abs_tol=1e-6)

    again = commissioner.prevalence_check(result_id=check.result_id)
    pd.testing.assert_frame_equal(check.rows, again.rows)
