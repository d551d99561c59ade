"""Python client for the Forecasting gRPC service: pandas DataFrames out, dataclasses in."""

from .client import DEFAULT_SERVER, Client, ForecastingError, NationalMeasures
from .models import (
    ImportResult,
    NewScheme,
    PlanningBacktest,
    PrevalenceCheck,
    Scenario,
    ScenarioLevers,
    ScenarioRun,
    SchemeOverride,
    SchemeSlippage,
    StoreStatus,
    Strategy,
    YearEnd,
)
from .plots import plot_forecast, plot_performance, plot_shortfall

__all__ = [
    "Client",
    "DEFAULT_SERVER",
    "ForecastingError",
    "ImportResult",
    "NationalMeasures",
    "NewScheme",
    "PlanningBacktest",
    "PrevalenceCheck",
    "Scenario",
    "ScenarioLevers",
    "ScenarioRun",
    "SchemeOverride",
    "SchemeSlippage",
    "StoreStatus",
    "Strategy",
    "YearEnd",
    "plot_forecast",
    "plot_performance",
    "plot_shortfall",
]
