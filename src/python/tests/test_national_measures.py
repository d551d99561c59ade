"""The national measures from CLD in the Python client: after the CLD sample is imported, 2B and 2C are recomputed here
from population.csv with pandas, percentages stay within 0-100 and the SALT tables add up."""

from __future__ import annotations

import math

import pandas as pd

from conftest import COUNCIL, SAMPLE


def _population(year: int, bands: list[str]) -> float:
    pop = pd.read_csv(SAMPLE / "population.csv")
    return float(pop[(pop.year == year) & (pop.variant == "estimate") & pop.age_band.isin(bands)]["population"].sum())


def test_national_measures_of_a_year_from_the_imported_cld(analyst, commissioner):
    result = analyst.import_directory("harbridge-cld")
    assert result.succeeded, result.issues
    report = commissioner.national_measures("2024/25", COUNCIL)
    m = report.measures.set_index("code")

    b, c = m.loc["2B"], m.loc["2C"]
    assert b.denominator == _population(2024, ["18-24", "25-64"])
    assert c.denominator == _population(2024, ["65-74", "75-84", "85+"])
    assert math.isclose(b.value, round(b.numerator * 100_000 / b.denominator + 1e-12, 1))
    assert "2A(1)" in b.old_codes and "2A(2)" in c.old_codes

    percent = report.measures[report.measures.unit == "percent"]
    assert not percent.empty
    assert ((percent.value >= 0) & (percent.value <= 100)).all()
    assert (percent.numerator <= percent.denominator).all()

    assert list(report.tables) == ["LTS001a", "LTS001b", "STS001", "LTS003"]
    # People on long-term support at 31 March are among those supported during the year.
    assert report.tables["LTS001b"]["count"].sum() <= report.tables["LTS001a"]["count"].sum()
    assert not report.waiting_times.empty

    quality = analyst.cld_quality(COUNCIL)
    assert {"section", "field", "category", "rows"} <= set(quality.columns)
    assert quality["rows"].sum() > 0
