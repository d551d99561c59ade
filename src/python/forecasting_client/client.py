"""Client for the Forecasting gRPC service, returning pandas DataFrames."""

from __future__ import annotations

import math
import os
import time
from dataclasses import dataclass
from typing import Callable, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Union

import grpc
import pandas as pd

from ._generated.forecasting.v1 import (
    analytics_pb2,
    analytics_pb2_grpc,
    audit_pb2,
    audit_pb2_grpc,
    common_pb2,
    data_pb2,
    data_pb2_grpc,
    forecast_pb2,
    forecast_pb2_grpc,
    performance_pb2,
    performance_pb2_grpc,
    planning_pb2,
    planning_pb2_grpc,
    policy_pb2,
)
from .models import (
    ImportResult,
    PlanningBacktest,
    PrevalenceCheck,
    Scenario,
    ScenarioLevers,
    ScenarioRun,
    Strategy,
    StoreStatus,
    YearEnd,
    _iso,
)

DEFAULT_SERVER = "http://127.0.0.1:5080"


def _method_policies() -> Dict[str, "policy_pb2.MethodPolicy"]:
    """The policy each RPC declares in its proto (``option (forecasting.v1.policy)``), by method name.

    The retry decision comes from here, as the server's role check and the C# client's retries do, so a read
    added to the protos is retried without a change to this file."""
    policies: Dict[str, policy_pb2.MethodPolicy] = {}
    for module in (data_pb2, analytics_pb2, forecast_pb2, planning_pb2, performance_pb2, audit_pb2):
        for service in module.DESCRIPTOR.services_by_name.values():
            for method in service.methods:
                options = method.GetOptions()
                if not options.HasExtension(policy_pb2.policy):
                    raise RuntimeError(f"{method.full_name} declares no policy in its proto")
                if method.name in policies:
                    raise RuntimeError(f"two services name a method {method.name}: key the policies by service")
                policies[method.name] = options.Extensions[policy_pb2.policy]
    return policies


METHOD_POLICIES = _method_policies()
API_KEY_HEADER = "x-api-key"
AUTHORIZATION_HEADER = "authorization"

_PERIODS = {
    None: common_pb2.PERIOD_UNSPECIFIED,
    "": common_pb2.PERIOD_UNSPECIFIED,
    "month": common_pb2.MONTH,
    "quarter": common_pb2.QUARTER,
    "year": common_pb2.FINANCIAL_YEAR,
    "fy": common_pb2.FINANCIAL_YEAR,
    "financial_year": common_pb2.FINANCIAL_YEAR,
}

Filters = Optional[Mapping[str, Union[str, Sequence[str]]]]
Progress = Optional[Union[bool, Callable[[int, int, str], None]]]


class ForecastingError(Exception):
    """A call failed: ``code`` is the grpc.StatusCode, ``details`` the server's message."""

    def __init__(self, operation: str, code: grpc.StatusCode, details: str):
        self.operation = operation
        self.code = code
        self.details = details or ""
        super().__init__(f"{operation} failed: {code.name}: {self.details}")

    @property
    def code_name(self) -> str:
        return self.code.name


def _timestamp(ts) -> Optional[pd.Timestamp]:
    if ts is None or (ts.seconds == 0 and ts.nanos == 0):
        return None
    return pd.Timestamp(ts.seconds * 1_000_000_000 + ts.nanos, unit="ns", tz="UTC")


def _date(value: str):
    return pd.Timestamp(value) if value else pd.NaT


def _typed(df: pd.DataFrame, dimensions: Iterable[str] = (), counts: Iterable[str] = ()) -> pd.DataFrame:
    """Dimension columns as categoricals; count columns as integers (nullable Int64) when every value is whole."""
    for c in dimensions:
        if c in df.columns:
            df[c] = df[c].astype("category")
    for c in counts:
        if c in df.columns and pd.api.types.is_float_dtype(df[c]):
            values = df[c].dropna()
            if (values == values.round()).all():
                df[c] = df[c].round().astype("Int64")
    return df


_NOT_COUNTS = ("rate", "share", "pct", "probability", "mean", "average", "ratio")


def _filters(filters: Filters) -> List[common_pb2.Filter]:
    result = []
    for dimension, values in (filters or {}).items():
        if isinstance(values, str):
            values = [values]
        result.append(common_pb2.Filter(dimension=dimension, values=[str(v) for v in values]))
    return result


def _by(by) -> List[str]:
    if by is None:
        return []
    return [by] if isinstance(by, str) else list(by)


def _period(period) -> int:
    key = period.lower() if isinstance(period, str) else period
    if key not in _PERIODS:
        raise ValueError(f"period must be month, quarter or year; got {period!r}")
    return _PERIODS[key]


def _selector(metric, council, period, start, end, filters, by) -> common_pb2.SeriesSelector:
    return common_pb2.SeriesSelector(
        metric=metric,
        council_code=council or "",
        period=_period(period),
        from_date=_iso(start),
        to_date=_iso(end),
        filters=_filters(filters),
        breakdown=_by(by),
    )


def _fy(year: Union[str, int]) -> int:
    """A financial year as its first calendar year: "2025/26" or 2025 -> 2025."""
    if isinstance(year, int):
        return year
    text = str(year)
    first, _, second = text.partition("/")
    if not (len(first) == 4 and len(second) == 2 and first.isdigit() and second.isdigit() and (int(first) + 1) % 100 == int(second)):
        raise ValueError(f"{text!r} is not a financial year like 2025/26")
    return int(first)


def _level_name(level: float) -> str:
    return f"{level:g}"


# Net cost columns of a scenario comparison (optional fields: NaN when costs were not computed).
_COMPARISON_COST_FIELDS = ("net_cost", "net_cost_delta_vs_baseline", "net_cost_cumulative", "net_cost_cumulative_delta_vs_baseline")


def _print_progress(label: str) -> Callable[[int, int, str], None]:
    def show(done: int, total: int, detail: str) -> None:
        width = 30
        filled = int(round(width * done / total)) if total else 0
        print(f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total} {detail[:40]:<40}", end="", flush=True)
        if total and done >= total:
            print()

    return show


def _check_token(token: str, source: str) -> None:
    """Refuses what cannot be a bearer token, never quoting it."""
    if token.lower().startswith("bearer "):
        raise ValueError(f"{source} must be the token alone; the client adds 'Bearer '")
    if any(c.isspace() or not c.isprintable() for c in token):
        raise ValueError(f"{source} holds a space or a control character, so it is not an access token")


def _credentials(api_key: Optional[str], token):
    """The key or the token: one given as an argument wins over the environment; two from the same place is an
    error, since the server would take the key and ignore the token."""
    if api_key and token:
        raise ValueError("give api_key or token, not both")
    if api_key is None and token is None:
        api_key = os.environ.get("FORECASTING_API_KEY") or None
        token = os.environ.get("FORECASTING_TOKEN") or None
        if api_key and token:
            raise ValueError("FORECASTING_API_KEY and FORECASTING_TOKEN are both set: unset one, or pass api_key or token")
    if isinstance(token, str):
        _check_token(token, "token")
    elif token is not None and not callable(token):
        raise TypeError("token is an access token (str) or a function of no arguments returning one")
    return api_key or None, token or None


class Client:
    """Connects to a Forecasting server.

    ``address`` is ``http://host:port`` (plain HTTP/2), ``https://host:port`` or ``host:port``; ``api_key`` is
    sent as the ``x-api-key`` header on every call. Instead of a key, ``token`` signs in with the council's
    directory: an access token (the token alone, without ``Bearer``), or a function of no arguments returning one
    (asked before every call, so a library that caches and renews tokens, such as MSAL or azure-identity, can be
    plugged in), sent as ``authorization: Bearer <token>``. Without either, ``FORECASTING_API_KEY`` or
    ``FORECASTING_TOKEN`` is used; a key and a token together raise ``ValueError``. Every call has a deadline (``timeout`` seconds, and
    ``long_timeout`` for imports, forecasts, refreshes and scenario runs); reads are retried a few times while
    the server is unavailable. Failures raise :class:`ForecastingError`.
    """

    def __init__(
        self,
        address: Optional[str] = None,
        api_key: Optional[str] = None,
        timeout: float = 30.0,
        long_timeout: float = 600.0,
        retries: int = 3,
        token: Optional[Union[str, Callable[[], str]]] = None,
    ):
        address = address or os.environ.get("FORECASTING_SERVER") or DEFAULT_SERVER
        api_key, token = _credentials(api_key, token)
        self.address = address
        self.timeout = timeout
        self.long_timeout = long_timeout
        self.retries = max(1, retries)
        self._key_metadata = ((API_KEY_HEADER, api_key),) if api_key else ()
        self._token = token
        target = address
        options = [("grpc.max_receive_message_length", 64 * 1024 * 1024)]
        if target.startswith("https://"):
            self._channel = grpc.secure_channel(target[len("https://"):].rstrip("/"), grpc.ssl_channel_credentials(), options)
        else:
            if target.startswith("http://"):
                target = target[len("http://"):]
            self._channel = grpc.insecure_channel(target.rstrip("/"), options)
        self._data = data_pb2_grpc.DataServiceStub(self._channel)
        self._analytics = analytics_pb2_grpc.AnalyticsServiceStub(self._channel)
        self._forecast = forecast_pb2_grpc.ForecastServiceStub(self._channel)
        self._planning = planning_pb2_grpc.PlanningServiceStub(self._channel)
        self._audit = audit_pb2_grpc.AuditServiceStub(self._channel)
        self._performance = performance_pb2_grpc.PerformanceServiceStub(self._channel)
        self._council: Optional[str] = None

    def close(self) -> None:
        """Closes the connection to the server; the client cannot be used afterwards."""
        self._channel.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---------- plumbing ----------

    def _metadata(self) -> tuple:
        """The key, or the directory's token (asked for afresh when a function gives it)."""
        if self._token is None:
            return self._key_metadata
        token = self._token() if callable(self._token) else self._token
        if not token:
            raise ValueError("the token function returned no token")
        _check_token(token, "the token function's token")
        return ((AUTHORIZATION_HEADER, "Bearer " + token),)

    def _unary(self, operation: str, method, request, long: bool = False):
        """One call; retried on UNAVAILABLE, within its deadline, only when its proto policy declares it a read."""
        retries = self.retries if METHOD_POLICIES[operation].read else 1
        deadline = time.monotonic() + (self.long_timeout if long else self.timeout)
        delay = 0.2
        metadata = self._metadata()
        for attempt in range(1, retries + 1):
            remaining = deadline - time.monotonic()
            try:
                return method(request, timeout=max(remaining, 0.001), metadata=metadata)
            except grpc.RpcError as e:
                code = e.code()
                if code == grpc.StatusCode.UNAVAILABLE and attempt < retries and time.monotonic() + delay < deadline:
                    time.sleep(delay)
                    delay *= 2
                    continue
                raise ForecastingError(operation, code, e.details()) from None

    def _stream(self, operation: str, method, request) -> Iterator:
        try:
            for message in method(request, timeout=self.long_timeout, metadata=self._metadata()):
                yield message
        except grpc.RpcError as e:
            raise ForecastingError(operation, e.code(), e.details()) from None

    def _require_council(self, council: Optional[str]) -> str:
        if council:
            return council
        if os.environ.get("FORECASTING_COUNCIL"):
            return os.environ["FORECASTING_COUNCIL"]
        if self._council is None:
            codes = list(self.status().councils["council_code"])
            if len(codes) != 1:
                raise ValueError(f"pass council=...: the store holds {len(codes)} councils {codes}")
            self._council = codes[0]
        return self._council

    # ---------- data ----------

    def status(self) -> StoreStatus:
        """The store: schema version, current snapshot, rows and date range per table, and the councils it holds."""
        s = self._unary("GetStatus", self._data.GetStatus, data_pb2.StatusRequest())
        tables = pd.DataFrame(
            [(t.table, t.rows, t.date_column, t.min_date, t.max_date) for t in s.tables],
            columns=["table", "rows", "date_column", "min_date", "max_date"],
        )
        councils = pd.DataFrame([(c.council_code, c.name, c.region) for c in s.councils], columns=["council_code", "name", "region"])
        return StoreStatus(s.schema_version, s.snapshot_id, _timestamp(s.snapshot_time) if s.HasField("snapshot_time") else None,
                           s.database_path, tables, councils)

    @staticmethod
    def _import_result(r: data_pb2.ImportReport) -> ImportResult:
        tables = pd.DataFrame([(t.table, t.rows_in_file, t.rows_after) for t in r.tables], columns=["table", "rows_in_file", "rows_after"])
        issues = pd.DataFrame(
            [(data_pb2.Severity.Name(i.severity).lower(), i.file, i.row, i.column, i.reason, i.value) for i in r.issues],
            columns=["severity", "file", "row", "column", "reason", "value"],
        )
        summaries = pd.DataFrame(
            [(data_pb2.Severity.Name(s.severity).lower(), s.file, s.column, s.rule, s.count, s.listed) for s in r.summaries],
            columns=["severity", "file", "column", "rule", "count", "listed"],
        )
        changes = pd.DataFrame(
            [(c.table, c.council_code, c.rows_before, c.rows_added, c.rows_removed, c.rows_changed, c.rows_unchanged) for c in r.changes],
            columns=["table", "council_code", "rows_before", "added", "removed", "changed", "unchanged"],
        )
        return ImportResult(r.import_id, r.succeeded, r.dry_run, r.snapshot_id,
                            _timestamp(r.created_at) if r.HasField("created_at") else None,
                            tables, issues, r.error_count, r.warning_count, summaries, changes, r.as_of_date)

    @staticmethod
    def _format(path: str) -> int:
        ext = os.path.splitext(path)[1].lower()
        return {".csv": data_pb2.CSV, ".parquet": data_pb2.PARQUET}.get(ext, data_pb2.FILE_FORMAT_UNSPECIFIED)

    def import_directory(self, directory: str, dry_run: bool = False, allow_shrink: bool = False,
                         as_of_date: str = "") -> ImportResult:
        """Imports every <table>.csv / .parquet in a directory on the server (analyst).

        An import that would remove more than half of a council's rows in a table fails unless
        ``allow_shrink``; ``changes`` of the result shows rows added, removed and changed. ``as_of_date``
        ("YYYY-MM-DD", at most today; empty = the current data's as-of date, today for an empty store) is the date the data run to: rows dated after it are
        refused (planned dates excepted) and every answer's default period ends at it."""
        r = self._unary("Import", self._data.Import,
                        data_pb2.ImportRequest(directory=directory, dry_run=dry_run, allow_shrink=allow_shrink,
                                               as_of_date=as_of_date), long=True)
        return self._import_result(r)

    def import_files(self, files: Iterable[Union[str, tuple]], dry_run: bool = False, allow_shrink: bool = False,
                     as_of_date: str = "") -> ImportResult:
        """Imports server-side files: paths, or (table, path) pairs (analyst); ``allow_shrink`` and ``as_of_date``
        as for import_directory."""
        pb = []
        for f in files:
            table, path = (f if isinstance(f, tuple) else ("", f))
            pb.append(data_pb2.ImportFile(table=table, path=path, format=self._format(path)))
        r = self._unary("Import", self._data.Import,
                        data_pb2.ImportRequest(files=pb, dry_run=dry_run, allow_shrink=allow_shrink, as_of_date=as_of_date),
                        long=True)
        return self._import_result(r)

    def upload(self, paths: Union[str, os.PathLike, Iterable], dry_run: bool = False,
               chunk_size: int = 64 * 1024, allow_shrink: bool = False, as_of_date: str = "") -> ImportResult:
        """Streams local files (or every .csv/.parquet of a local directory) to the server and imports them (analyst);
        ``allow_shrink`` and ``as_of_date`` as for import_directory."""
        if isinstance(paths, (str, os.PathLike)):
            paths = [paths]
        files: List[str] = []
        for p in paths:
            p = os.fspath(p)
            if os.path.isdir(p):
                files.extend(sorted(os.path.join(p, f) for f in os.listdir(p) if f.lower().endswith((".csv", ".parquet"))))
            elif os.path.isfile(p):
                files.append(p)
            else:
                raise FileNotFoundError(p)
        if not files:
            raise ValueError("no .csv or .parquet files to upload")

        def chunks():
            for path in files:
                yield data_pb2.UploadChunk(header=data_pb2.UploadHeader(
                    file_name=os.path.basename(path), format=self._format(path), dry_run=dry_run,
                    allow_shrink=allow_shrink, as_of_date=as_of_date))
                with open(path, "rb") as fh:
                    while True:
                        block = fh.read(chunk_size)
                        if not block:
                            break
                        yield data_pb2.UploadChunk(data=block)

        r = self._unary("Upload", self._data.Upload, chunks(), long=True)
        return self._import_result(r)

    # ---------- analytics ----------

    def metrics(self) -> pd.DataFrame:
        """The metrics the analytics calls accept: name, kind, description and the dimensions to filter or break down by."""
        r = self._unary("ListMetrics", self._analytics.ListMetrics, analytics_pb2.ListMetricsRequest())
        return pd.DataFrame([(m.name, m.kind, m.description, list(m.dimensions)) for m in r.metrics],
                            columns=["name", "kind", "description", "dimensions"])

    @staticmethod
    def _key_columns(keys: Iterable[Mapping[str, str]], by) -> List[str]:
        cols = list(_by(by))
        for k in keys:
            for name in k:
                if name not in cols:
                    cols.append(name)
        return cols

    def series(self, metric: str, council: Optional[str] = None, period: Optional[str] = "month",
               start=None, end=None, filters: Filters = None, by=None) -> pd.DataFrame:
        """A flow series: one row per (breakdown group, period) with value and year_to_date as integer counts;
        breakdown columns are categoricals."""
        r = self._unary("GetFlowSeries", self._analytics.GetFlowSeries,
                       analytics_pb2.FlowSeriesRequest(selector=_selector(metric, council, period, start, end, filters, by)))
        cols = self._key_columns((g.key for g in r.groups), by)
        rows = [[g.key.get(c, "") for c in cols] + [p.period_label, _date(p.period_start), p.value, p.year_to_date]
                for g in r.groups for p in g.points]
        df = pd.DataFrame(rows, columns=cols + ["period_label", "period_start", "value", "year_to_date"])
        df.attrs.update(metric=r.metric, snapshot_id=r.snapshot_id, as_of_date=r.as_of_date)
        return _typed(df, dimensions=cols, counts=["value", "year_to_date"])

    def rates(self, metric: str, age_group: str, council: Optional[str] = None, period: Optional[str] = None,
              variant: str = "", start=None, end=None, filters: Filters = None, by=None) -> pd.DataFrame:
        """Rates per 100,000 population of the age group (18-64 or 65+), per financial year by default: count and
        population as integers, breakdown columns as categoricals."""
        request = analytics_pb2.RateRequest(selector=_selector(metric, council, period, start, end, filters, by),
                                            age_group=age_group, population_variant=variant)
        r = self._unary("GetRates", self._analytics.GetRates, request)
        cols = self._key_columns((g.key for g in r.groups), by)
        rows = [[g.key.get(c, "") for c in cols]
                + [p.period_label, _date(p.period_start), p.count, p.population, p.population_year, p.rate_per_100k]
                for g in r.groups for p in g.points]
        df = pd.DataFrame(rows, columns=cols + ["period_label", "period_start", "count", "population", "population_year", "rate_per_100k"])
        df.attrs.update(metric=r.metric, age_group=r.age_group, denominator=r.denominator, snapshot_id=r.snapshot_id, as_of_date=r.as_of_date)
        return _typed(df, dimensions=cols, counts=["count", "population"])

    @staticmethod
    def _table(t: analytics_pb2.TableResponse) -> pd.DataFrame:
        dims = list(t.dimension_names)
        measures = list(t.measure_names)
        for row in t.rows:
            dims += [d for d in row.dimensions if d not in dims]
            measures += [m for m in row.measures if m not in measures]
        rows = [[row.dimensions.get(d, "") for d in dims] + [row.measures[m] if m in row.measures else math.nan for m in measures]
                for row in t.rows]
        df = pd.DataFrame(rows, columns=dims + measures)
        df.attrs.update(title=t.title, as_of=t.as_of, snapshot_id=t.snapshot_id, as_of_date=t.as_of_date)
        return _typed(df, dimensions=dims, counts=[m for m in measures if not any(word in m for word in _NOT_COUNTS)])

    def stock(self, measure: str, council: Optional[str] = None, as_of=None, filters: Filters = None, by=None) -> pd.DataFrame:
        """A stock measure at a date (units, waiting_list, residential_care): dimensions as categoricals, counts as
        integers, rates and shares as floats."""
        request = analytics_pb2.StockRequest(measure=measure, council_code=council or "", as_of=_iso(as_of),
                                             filters=_filters(filters), breakdown=_by(by))
        return self._table(self._unary("GetStockSnapshot", self._analytics.GetStockSnapshot, request))

    def transitions(self, council: Optional[str] = None, from_fy: int = 0, to_fy: int = 0,
                    filters: Filters = None, by=None) -> pd.DataFrame:
        """Young people by the financial year of their 18th birthday (``from_fy``/``to_fy`` as starting years, 0 = all).

        ``by`` breaks the cohort down by primary_need, predicted_setting, out_of_area or locality.
        """
        request = analytics_pb2.TransitionsRequest(council_code=council or "", from_fy=from_fy, to_fy=to_fy,
                                                   filters=_filters(filters), breakdown=_by(by))
        return self._table(self._unary("GetTransitionsCohort", self._analytics.GetTransitionsCohort, request))

    def pipeline(self, council: Optional[str] = None, filters: Filters = None, by=None) -> pd.DataFrame:
        """Pipeline schemes by delivery status and financial year of expected delivery.

        ``by`` breaks the table down by status, category, client_group, design or in_area.
        """
        request = analytics_pb2.PipelineRequest(council_code=council or "", filters=_filters(filters), breakdown=_by(by))
        return self._table(self._unary("GetPipeline", self._analytics.GetPipeline, request))

    # ---------- forecasts ----------

    def models(self) -> List[str]:
        """The names of the forecasting models :meth:`forecast` accepts."""
        return list(self._unary("ListModels", self._forecast.ListModels, forecast_pb2.ListModelsRequest()).models)

    @staticmethod
    def _forecast_frame(run: forecast_pb2.ForecastRun, by=None) -> pd.DataFrame:
        cols = Client._key_columns((s.key for s in run.series), by)
        levels = sorted({i.level for s in run.series for p in s.points for i in p.intervals})
        interval_cols = [f"{side}_{_level_name(l)}" for l in levels for side in ("lower", "upper")]
        rows = []
        for s in run.series:
            key = [s.key.get(c, "") for c in cols]
            for h in s.history:
                rows.append(key + [s.metric, s.model, h.period_label, _date(h.period_start), "actual", h.value, math.nan]
                            + [math.nan] * len(interval_cols))
            for p in s.points:
                bounds = {i.level: i for i in p.intervals}
                values = []
                for l in levels:
                    b = bounds.get(l)
                    values += [b.lower, b.upper] if b else [math.nan, math.nan]
                rows.append(key + [s.metric, s.model, p.period_label, _date(p.period_start), "forecast", math.nan, p.mean] + values)
        df = pd.DataFrame(rows, columns=cols + ["metric", "model", "period_label", "period_start", "kind", "actual", "mean"] + interval_cols)
        df.attrs.update(run_id=run.run_id, snapshot_id=run.snapshot_id, as_of_date=run.as_of_date, kind=run.kind,
                        levels=levels, notes={" ".join(f"{k}={v}" for k, v in sorted(s.key.items())): list(s.notes) for s in run.series})
        return df

    def forecast(self, metric: str, council: Optional[str] = None, period: Optional[str] = "month",
                 horizon: int = 0, until_fy: str = "", model: str = "", levels: Sequence[float] = (),
                 start=None, end=None, filters: Filters = None, by=None, break_date=None,
                 reconciliation: str = "", keep_top: bool = False) -> pd.DataFrame:
        """Forecasts a flow series: history rows (kind 'actual') then forecast rows with mean and
        lower_<level>/upper_<level> interval columns. ``df.attrs['run_id']`` names the stored run.
        ``break_date``: first day measured under a changed definition; the model is fitted from there.
        ``reconciliation`` (with ``by``): bottom_up, ols, wls or mint; the total (empty key columns) and every
        level of the breakdown come back adding up; ``keep_top`` keeps the total's own forecast."""
        request = forecast_pb2.ForecastRequest(selector=_selector(metric, council, period, start, end, filters, by),
                                               horizon=horizon, until_fy=until_fy, model=model, levels=list(levels),
                                               break_date=_iso(break_date), reconciliation=reconciliation, keep_top=keep_top)
        run = self._unary("Forecast", self._forecast.Forecast, request, long=True)
        return self._forecast_frame(run, by)

    def refresh(self, council: Optional[str] = None, until_fy: str = "", levels: Sequence[float] = (),
                progress: Progress = True) -> str:
        """Recomputes every standard forecast (analyst). Progress is printed, or passed to a callable
        ``progress(done, total, current)``. Returns the run id."""
        show = _print_progress("refresh") if progress is True else (progress or None)
        run_id = ""
        request = forecast_pb2.RefreshRequest(council_code=council or "", until_fy=until_fy, levels=list(levels))
        for p in self._stream("Refresh", self._forecast.Refresh, request):
            if show:
                show(p.done, p.total, p.current)
            if p.run_id:
                run_id = p.run_id
        if not run_id:
            raise ForecastingError("Refresh", grpc.StatusCode.INTERNAL, "the progress stream ended without a run id")
        return run_id

    def runs(self, limit: int = 0) -> pd.DataFrame:
        """Stored forecast runs, one row each, with their kind, time and data snapshot (``limit`` 0 = 50)."""
        r = self._unary("ListRuns", self._forecast.ListRuns, forecast_pb2.ListRunsRequest(limit=limit))
        return pd.DataFrame(
            [(x.run_id, x.kind, _timestamp(x.created_at), x.snapshot_id, x.series_count) for x in r.runs],
            columns=["run_id", "kind", "created_at", "snapshot_id", "series_count"],
        )

    def audit(self, since=None, key_name: str = "", method: str = "", limit: int = 0) -> pd.DataFrame:
        """The audit trail of writes, newest first (analyst keys only).

        One row per import, upload, refresh, forecast, strategy version, scenario change, run or comparison:
        when, the key's name and role, the method, the council, the ids written, the outcome (``OK`` or a
        gRPC status name) and the correlation id the server log carries. Refused calls (a role without the right,
        a key past its rate, an unknown key) are counted, one row per key, method and minute, with ``calls`` saying
        how many (1 for a write). ``since`` takes a date, date-time or
        pandas Timestamp (UTC); ``method`` a short name such as ``"Import"``; ``limit`` at most 1,000 (0 = 100).
        """
        since_text = "" if since is None else pd.Timestamp(since).strftime("%Y-%m-%dT%H:%M:%SZ")
        r = self._unary("ListAuditEvents", self._audit.ListAuditEvents,
                       audit_pb2.ListAuditEventsRequest(since=since_text, key_name=key_name, method=method, limit=limit))
        return pd.DataFrame(
            [(_timestamp(e.at), e.key_name, e.role, e.method.rsplit("/", 1)[-1], e.council_code, e.target, e.outcome,
              e.detail, e.seconds, e.correlation_id, e.calls) for e in r.events],
            columns=["at", "key_name", "role", "method", "council_code", "target", "outcome", "detail", "seconds", "correlation_id",
                     "calls"],
        )

    def run(self, run_id: str) -> pd.DataFrame:
        """A stored forecast run in the same layout as :meth:`forecast`."""
        return self._forecast_frame(self._unary("GetRun", self._forecast.GetRun, forecast_pb2.GetRunRequest(run_id=run_id)))

    def _latest_run_id(self) -> str:
        runs = self.runs()
        if runs.empty:
            raise ValueError("no forecast run is stored yet: call refresh() first")
        refreshes = runs[runs["kind"] == "refresh"]
        chosen = refreshes if not refreshes.empty else runs
        return chosen.sort_values("created_at").iloc[-1]["run_id"]

    def accuracy(self, run_id: Optional[str] = None, candidates: bool = False) -> pd.DataFrame:
        """Backtest accuracy per series of a run (default: the latest refresh): the chosen model's MAE, RMSE,
        sMAPE, MASE and interval coverage; with ``candidates=True`` one row per candidate model."""
        run_id = run_id or self._latest_run_id()
        run = self._unary("GetRun", self._forecast.GetRun, forecast_pb2.GetRunRequest(run_id=run_id))
        rows = []
        for s in run.series:
            b = s.backtest
            series = " ".join([s.metric] + [f"{k}={v}" for k, v in sorted(s.key.items())])
            scores = list(b.candidates) if candidates else ([b.chosen] if b.HasField("chosen") else [])
            for m in scores:
                row = {"series": series, "metric": s.metric, **dict(s.key), "model": m.model, "chosen": m.model == s.model,
                       "origins": b.origins, "horizon": b.horizon, "mae": m.mae, "rmse": m.rmse, "smape": m.smape, "mase": m.mase}
                row.update({f"coverage_{k}": v for k, v in m.coverage.items()})
                rows.append(row)
        df = pd.DataFrame(rows)
        df.attrs.update(run_id=run.run_id, snapshot_id=run.snapshot_id, as_of_date=run.as_of_date)
        return df

    def year_end(self, metric: str, financial_year: str = "", months_elapsed: int = 0, council: Optional[str] = None,
                 filters: Filters = None, levels: Sequence[float] = ()) -> YearEnd:
        """Estimated end-of-year total from year-to-date months and earlier years' seasonality."""
        request = forecast_pb2.YearEndRequest(selector=_selector(metric, council, "month", None, None, filters, None),
                                              financial_year=financial_year, months_elapsed=months_elapsed, levels=list(levels))
        r = self._unary("EstimateYearEnd", self._forecast.EstimateYearEnd, request)
        intervals = pd.DataFrame([(i.level, i.lower, i.upper) for i in r.intervals], columns=["level", "lower", "upper"])
        return YearEnd(r.financial_year, r.months_elapsed, r.year_to_date, r.estimate, intervals, r.method,
                       None if math.isnan(r.actual) else r.actual, r.snapshot_id)

    # ---------- strategies ----------

    def strategies(self, council: Optional[str] = None) -> pd.DataFrame:
        """Every version of every strategy, one row each."""
        request = planning_pb2.ListStrategiesRequest(council_code=self._require_council(council))
        r = self._unary("ListStrategies", self._planning.ListStrategies, request)
        return pd.DataFrame(
            [(s.council_code, s.strategy_id, s.version, s.name, s.start_fy, s.end_fy, s.client_group or "all",
              s.total_target, s.author, s.reason, _timestamp(s.created_at)) for s in r.strategies],
            columns=["council_code", "strategy_id", "version", "name", "start_fy", "end_fy", "client_group",
                     "total_target", "author", "reason", "created_at"],
        )

    def strategy(self, strategy_id: str, council: Optional[str] = None, version: int = 0) -> Strategy:
        """One version of a strategy with its phases and targets (``version`` 0 = the latest)."""
        request = planning_pb2.GetStrategyRequest(council_code=self._require_council(council), strategy_id=strategy_id, version=version)
        return self._strategy(self._unary("GetStrategy", self._planning.GetStrategy, request))

    def create_strategy_version(self, strategy_id: str, phases: Sequence[tuple], reason: str, council: Optional[str] = None,
                                name: str = "", start_fy: Union[str, int, None] = None,
                                end_fy: Union[str, int, None] = None, targets: Sequence[tuple] = ()) -> Strategy:
        """Re-base a strategy's unit targets as a new version (strategy_lead or analyst keys).

        ``phases`` holds one ``(name, first_fy, last_fy, units)`` tuple per phase, years as ``"2025/26"`` or
        ``2025``. ``targets`` optionally holds ``(client_group, fy, units)`` tuples: units to deliver in that
        financial year, or over the whole strategy period when ``fy`` is ``None`` (accrued in a straight line per
        year); ``client_group`` may be ``"all"``. ``phases`` may be empty when ``targets`` are given; when both are
        given their totals must agree. ``reason`` is required; the author recorded is the key's name. ``name``,
        ``start_fy`` and ``end_fy`` left empty keep the previous version's. Earlier versions stay readable.
        """
        request = planning_pb2.CreateStrategyVersionRequest(
            council_code=self._require_council(council), strategy_id=strategy_id, name=name, reason=reason,
            start_fy=_fy(start_fy) if start_fy is not None else 0, end_fy=_fy(end_fy) if end_fy is not None else 0,
            phases=[planning_pb2.StrategyPhase(name=p[0], start_fy=_fy(p[1]), end_fy=_fy(p[2]), unit_target=int(p[3])) for p in phases],
            targets=[planning_pb2.StrategyTarget(client_group=t[0], fy=_fy(t[1]) if t[1] is not None else 0, unit_target=int(t[2]))
                     for t in targets])
        return self._strategy(self._unary("CreateStrategyVersion", self._planning.CreateStrategyVersion, request))

    @staticmethod
    def _strategy(s: planning_pb2.Strategy) -> Strategy:
        phases = pd.DataFrame([(p.name, p.start_fy, p.end_fy, p.unit_target, p.cumulative_target) for p in s.phases],
                              columns=["name", "start_fy", "end_fy", "unit_target", "cumulative_target"])
        targets = pd.DataFrame([(t.client_group, t.fy if t.fy else None, t.unit_target) for t in s.targets],
                               columns=["client_group", "fy", "unit_target"])
        return Strategy(s.council_code, s.strategy_id, s.version, s.name, s.start_fy, s.end_fy, s.client_group, phases,
                        s.author, s.reason, _timestamp(s.created_at), s.total_target, targets)

    # ---------- scenarios ----------

    @staticmethod
    def _scenario(s: planning_pb2.Scenario) -> Scenario:
        return Scenario.from_proto(s)

    def create_scenario(self, name: str, levers: Optional[ScenarioLevers] = None, council: Optional[str] = None,
                        description: str = "") -> Scenario:
        """Saves a named scenario (strategy_lead or analyst)."""
        request = planning_pb2.CreateScenarioRequest(council_code=self._require_council(council), name=name,
                                                     description=description, levers=(levers or ScenarioLevers()).to_proto())
        return self._scenario(self._unary("CreateScenario", self._planning.CreateScenario, request))

    def update_scenario(self, scenario_id: str, levers: Optional[ScenarioLevers] = None, name: Optional[str] = None,
                        description: Optional[str] = None) -> Scenario:
        """Stores a new revision; unset arguments keep the current revision's values."""
        current = self.scenario(scenario_id)
        request = planning_pb2.UpdateScenarioRequest(
            scenario_id=scenario_id,
            name=current.name if name is None else name,
            description=current.description if description is None else description,
            levers=(current.levers or ScenarioLevers() if levers is None else levers).to_proto(),
        )
        return self._scenario(self._unary("UpdateScenario", self._planning.UpdateScenario, request))

    def scenarios(self, council: Optional[str] = None, include_deleted: bool = False) -> pd.DataFrame:
        """The saved scenarios of the council, one row each at their latest revision; deleted ones only when asked."""
        r = self._unary("ListScenarios", self._planning.ListScenarios,
                       planning_pb2.ListScenariosRequest(council_code=self._require_council(council),
                                                         include_deleted=include_deleted))
        return pd.DataFrame(
            [(s.scenario_id, s.name, s.revision, s.council_code, s.author, _timestamp(s.created_at), s.deleted, s.description)
             for s in r.scenarios],
            columns=["scenario_id", "name", "revision", "council_code", "author", "created_at", "deleted", "description"],
        )

    def scenario(self, scenario_id: str, revision: int = 0) -> Scenario:
        """One revision of a saved scenario with its levers (``revision`` 0 = the latest)."""
        return self._scenario(self._unary("GetScenario", self._planning.GetScenario,
                                         planning_pb2.GetScenarioRequest(scenario_id=scenario_id, revision=revision)))

    def delete_scenario(self, scenario_id: str) -> None:
        """Marks a scenario deleted (strategy_lead or analyst keys of its council); it stays listed with ``include_deleted``."""
        self._unary("DeleteScenario", self._planning.DeleteScenario, planning_pb2.DeleteScenarioRequest(scenario_id=scenario_id))

    _PUBLICATION_COLUMNS = ["publication_id", "result_id", "council_code", "scenario_id", "scenario_name", "label", "published_by",
                            "published_at", "draws", "seed", "snapshot_id"]

    @staticmethod
    def _publication_row(p: planning_pb2.Publication) -> tuple:
        return (p.publication_id, p.result_id, p.council_code, p.scenario_id, p.scenario_name, p.label, p.published_by,
                _timestamp(p.published_at), p.draws, p.seed, p.snapshot_id)

    def publish_result(self, result_id: str, label: str) -> pd.Series:
        """Publishes a stored result as the council's figures under a label (strategy_lead or analyst keys): the web pages,
        the committee report and the downloads show the latest published baseline. Returns the publication."""
        p = self._unary("PublishResult", self._planning.PublishResult,
                        planning_pb2.PublishResultRequest(result_id=result_id, label=label))
        return pd.Series(self._publication_row(p), index=self._PUBLICATION_COLUMNS)

    def publications(self, council: Optional[str] = None) -> pd.DataFrame:
        """The council's publications, newest first, with who published each run, when, and its draws and seed."""
        r = self._unary("ListPublications", self._planning.ListPublications,
                       planning_pb2.ListPublicationsRequest(council_code=self._require_council(council)))
        return pd.DataFrame([self._publication_row(p) for p in r.publications], columns=self._PUBLICATION_COLUMNS)

    @staticmethod
    def _shortfall_frame(r: planning_pb2.ScenarioResult) -> pd.DataFrame:
        rows = []
        for y in r.years:
            d = y.shortfall_distribution
            has = y.HasField("shortfall_distribution")
            rows.append({
                "fy": y.fy, "fy_label": y.fy_label, "client_group": y.client_group,
                "demand": y.demand, "supply": y.supply,
                "shortfall_in_year": y.shortfall_in_year, "shortfall_cumulative": y.shortfall_cumulative,
                "p10": d.p10 if has else math.nan, "p50": d.p50 if has else math.nan, "p90": d.p90 if has else math.nan,
                "mean": d.mean if has else math.nan,
                "probability_shortfall": d.probability_positive if has else math.nan,
                "target_cumulative": y.target_cumulative,
                "sum_of_group_gaps": y.sum_of_group_gaps,
                "sum_of_group_surpluses": y.sum_of_group_surpluses,
                "months_covered": y.months_covered,
                **{f"demand_{k}": v for k, v in sorted(y.demand_components.items())},
                **{f"supply_{k}": v for k, v in sorted(y.supply_components.items())},
            })
        df = pd.DataFrame(rows, columns=None if rows else [
            "fy", "fy_label", "client_group", "demand", "supply", "shortfall_in_year", "shortfall_cumulative",
            "p10", "p50", "p90", "mean", "probability_shortfall", "target_cumulative"])
        df.attrs.update(result_id=r.result_id, scenario_id=r.scenario_id, basis=r.basis.description,
                        headline=r.headline_statistic, target_basis=r.basis.target_description)
        return df

    @staticmethod
    def _stock_frames(r: planning_pb2.ScenarioResult) -> tuple:
        stocks = pd.DataFrame(
            [(y.fy, y.fy_label, y.client_group, s.stock, s.opening, s.inflows, s.outflows, s.closing)
             for y in r.years for s in y.reconciliation],
            columns=["fy", "fy_label", "client_group", "stock", "opening", "inflows", "outflows", "closing"])
        flows = pd.DataFrame(
            [(y.fy, y.fy_label, y.client_group, name, people) for y in r.years for name, people in sorted(y.flows.items())],
            columns=["fy", "fy_label", "client_group", "flow", "people"])
        return stocks, flows

    _COST_COLUMNS = ["fy", "fy_label", "client_group", "supported_living_weeks", "extra_care_weeks", "shared_lives_weeks",
                     "avoided_residential_weeks", "uplift_factor", "supported_living_cost", "extra_care_cost",
                     "shared_lives_cost", "placements_cost", "avoided_residential_cost", "net_cost", "net_cost_cumulative",
                     "out_of_area_weeks", "out_of_area_cost", "waiting_cost", "discount_factor", "present_value",
                     "present_value_cumulative", "net_cost_p10", "net_cost_p50", "net_cost_p90"]

    @staticmethod
    def _cost_frames(r: planning_pb2.ScenarioResult) -> tuple:
        """The costs per year and client group, and the weekly costs they were priced with (per setting and client
        group; residential and nursing also per age band). ``costs.attrs["waiting"]`` holds the cost of each waiting
        cohort (where it waits) and ``costs.attrs["budgets"]`` the modelled cost against each budget line."""
        def rng(c, field):
            return getattr(c.net_cost_range, field) if c.HasField("net_cost_range") else math.nan
        costs = pd.DataFrame(
            [(y.fy, y.fy_label, y.client_group, c.supported_living_weeks, c.extra_care_weeks, c.shared_lives_weeks,
              c.avoided_residential_weeks, c.uplift_factor, c.supported_living_cost, c.extra_care_cost, c.shared_lives_cost,
              c.placements_cost, c.avoided_residential_cost, c.net_cost, c.net_cost_cumulative, c.out_of_area_weeks,
              c.out_of_area_cost, c.waiting_cost, c.discount_factor, c.present_value, c.present_value_cumulative,
              rng(c, "p10"), rng(c, "p50"), rng(c, "p90"))
             for y in r.years if y.HasField("costs") for c in [y.costs]],
            columns=Client._COST_COLUMNS)
        basis = r.cost_basis
        weekly = pd.DataFrame(
            [(w.setting, w.client_group or "all", w.age_band, w.weekly_cost if w.HasField("weekly_cost") else math.nan,
              w.source, w.services, w.description)
             for w in basis.weekly_costs],
            columns=["setting", "client_group", "age_band", "weekly_cost", "source", "services", "description"])
        waiting = pd.DataFrame(
            [(y.fy, y.fy_label, y.client_group, w.cohort, w.setting, w.weeks, w.weekly_cost, w.cost)
             for y in r.years if y.HasField("costs") for w in y.costs.waiting],
            columns=["fy", "fy_label", "client_group", "cohort", "setting", "weeks", "weekly_cost", "cost"])
        budgets = pd.DataFrame(
            [(b.fy, b.fy_label, b.service_line, ", ".join(b.settings), b.budget,
              b.outturn if b.HasField("outturn") else math.nan, b.modelled_cost, b.share) for b in basis.budgets],
            columns=["fy", "fy_label", "service_line", "settings", "budget", "outturn", "modelled_cost", "share"])
        costs.attrs.update(result_id=r.result_id, computed=basis.computed, price_fy=basis.price_fy,
                           cost_uplift_pct=basis.cost_uplift_pct, discount_rate_pct=basis.discount_rate_pct,
                           description=basis.description, waiting=waiting, budgets=budgets)
        return costs, weekly

    def run_scenario(self, scenario_id: Optional[str] = None, council: Optional[str] = None, draws: int = 0,
                     seed: int = 0, revision: int = 0, progress: Progress = False, as_of: str = "") -> ScenarioRun:
        """Runs a scenario, or the baseline when ``scenario_id`` is None, and returns its shortfall table:
        one row per financial year and client group ("all" = the total) with demand, supply, cumulative
        shortfall and its P10/P50/P90 range across draws (every figure is the mean of the draws), and the
        people behind it (``stocks``, ``flows``). ``as_of`` (ISO date) projects from an earlier date."""
        show = _print_progress("scenario") if progress is True else (progress or None)
        request = planning_pb2.RunScenarioRequest(
            scenario_id=scenario_id or "", revision=revision,
            council_code=self._require_council(council) if not scenario_id else (council or ""),
            draws=draws, seed=seed, as_of=as_of)
        result = None
        for p in self._stream("RunScenario", self._planning.RunScenario, request):
            if show:
                show(p.done, p.total, p.stage)
            if p.HasField("result"):
                result = p.result
        if result is None:
            raise ForecastingError("RunScenario", grpc.StatusCode.INTERNAL, "the progress stream ended without a result")
        targets = pd.DataFrame(
            [(t.fy, t.fy_label, t.client_group or "all", t.phase, t.target_due, t.target_in_year, t.cumulative_target_due,
              t.delivered_to_date, t.delivered_netted, t.pipeline_counted, t.remaining_requirement, t.surplus,
              t.demand_shortfall, t.statement) for t in result.targets],
            columns=["fy", "fy_label", "client_group", "phase", "target_due", "target_in_year", "cumulative_target_due",
                     "delivered_to_date", "delivered_netted", "pipeline_counted", "remaining_requirement", "surplus",
                     "demand_shortfall", "statement"])
        stocks, flows = self._stock_frames(result)
        costs, weekly_costs = self._cost_frames(result)
        return ScenarioRun(result.result_id, result.scenario_id, result.revision, result.council_code, result.strategy_id,
                           result.strategy_version, result.snapshot_id, result.forecast_run_id, result.seed, result.draws,
                           result.basis.description, self._shortfall_frame(result), result.seconds,
                           result.scenario_name, result.as_of, targets, list(result.warnings), result.simulation_method,
                           result.headline_statistic, stocks, flows, costs, weekly_costs, result.cost_basis.description)

    def shortfall(self, scenario_id: Optional[str] = None, council: Optional[str] = None, draws: int = 0,
                  seed: int = 0) -> pd.DataFrame:
        """The shortfall table of a scenario run (baseline when ``scenario_id`` is None)."""
        return self.run_scenario(scenario_id, council=council, draws=draws, seed=seed).shortfall

    def backtest_planning(self, council: Optional[str] = None, origins: Sequence[str] = (), end: str = "",
                          draws: int = 0, seed: int = 0, first_origin: str = "", step_months: int = 0,
                          client_groups: Sequence[str] = ()) -> PlanningBacktest:
        """Runs the baseline as of each origin (ISO dates; default every quarter end the data supports, or every
        ``step_months`` months from ``first_origin``, to one year before ``end``) on the data known then, and compares
        the people housed, the waiting list and lettings with what the data shows, beside the naive and
        seasonal-naive forecasts."""
        request = planning_pb2.BacktestPlanningRequest(council_code=self._require_council(council), origins=list(origins),
                                                      end=end, draws=draws, seed=seed, first_origin=first_origin,
                                                      origin_step_months=step_months, client_groups=list(client_groups))
        r = self._unary("BacktestPlanning", self._planning.BacktestPlanning, request, long=True)
        row_fields = ["origin", "fy", "fy_label", "horizon", "months", "client_group", "measure", "actual", "mean", "p025", "p10",
                      "p25", "p50", "p75", "p90", "p975", "naive", "seasonal_naive", "crps", "interval_score_80",
                      "inside_p25_p75", "inside_p10_p90", "inside_p2_5_p97_5"]
        rows = pd.DataFrame([tuple(getattr(x, f) for f in row_fields) for x in r.rows], columns=row_fields)
        summary = pd.DataFrame([(x.measure, x.rows, x.coverage_p10_p90, x.weighted_absolute_percentage_error) for x in r.summary],
                               columns=["measure", "rows", "coverage_p10_p90", "weighted_absolute_percentage_error"])
        score_fields = ["measure", "client_group", "horizon", "rows", "model_mae", "model_bias", "coverage_50", "coverage_80",
                        "coverage_95", "interval_score_80", "crps", "naive_mae", "naive_bias", "seasonal_naive_mae",
                        "seasonal_naive_bias"]
        scores = pd.DataFrame([tuple(getattr(x, f) for f in score_fields) for x in r.scores], columns=score_fields)
        p = r.pipeline
        pipeline = pd.DataFrame([(x.origin, x.fy, x.fy_label, x.horizon, x.schemes, x.expected_units, x.delivered_units) for x in p.rows],
                                columns=["origin", "fy", "fy_label", "horizon", "schemes", "expected_units", "delivered_units"])
        calibration = pd.DataFrame([(x.probability, x.forecasts, x.delivered) for x in p.calibration],
                                   columns=["probability", "forecasts", "delivered"])
        return PlanningBacktest(r.council_code, r.snapshot_id, r.end, r.draws, r.seed, r.method, rows, summary, scores,
                                list(r.substitutions), list(r.origins), r.origin_rule, r.model, r.data_as_of, r.seconds,
                                pipeline, calibration, list(p.history.notes))

    def prevalence_check(self, council: Optional[str] = None, result_id: str = "", draws: int = 0, seed: int = 0,
                         as_of: str = "") -> PrevalenceCheck:
        """Cross-checks a stored result (``result_id``), or the council's baseline run now, with prevalence x population
        per client group and extra-care units per 1,000 people aged 75+; each row explains where the two differ."""
        request = planning_pb2.GetPrevalenceCheckRequest(council_code="" if result_id and council is None else self._require_council(council),
                                                         result_id=result_id, draws=draws, seed=seed, as_of=as_of)
        r = self._unary("GetPrevalenceCheck", self._planning.GetPrevalenceCheck, request, long=True)

        def opt(message, field):
            return getattr(message, field) if message.HasField(field) else math.nan

        rows = pd.DataFrame(
            [(x.fy, x.fy_label, x.client_group, x.age_bands, x.population, x.prevalent_people, x.need_share, x.prevalence_need,
              opt(x, "prevalence_need_low"), opt(x, "prevalence_need_high"), x.flow_demand, opt(x, "flow_demand_p10"),
              opt(x, "flow_demand_p90"), x.flow_need_arising, x.difference, x.explanation) for x in r.rows],
            columns=["fy", "fy_label", "client_group", "age_bands", "population", "prevalent_people", "need_share", "prevalence_need",
                     "prevalence_need_low", "prevalence_need_high", "flow_demand", "flow_demand_p10", "flow_demand_p90",
                     "flow_need_arising", "difference", "explanation"])
        extra = pd.DataFrame(
            [(x.fy, x.fy_label, x.population_aged_75_plus, x.units_per_1000, x.units_needed, x.existing_units, x.pipeline_units,
              x.supply, x.gap, x.flow_older_demand, x.flow_older_supply, x.flow_older_shortfall, x.explanation) for x in r.extra_care],
            columns=["fy", "fy_label", "population_aged_75_plus", "units_per_1000", "units_needed", "existing_units", "pipeline_units",
                     "supply", "gap", "flow_older_demand", "flow_older_supply", "flow_older_shortfall", "explanation"])
        return PrevalenceCheck(r.council_code, r.result_id, r.snapshot_id, r.as_of, r.population_variant, r.population_source,
                               r.method, rows, extra, list(r.sources), list(r.warnings), r.summary)

    def compare(self, scenario_ids: Union[str, Sequence[str]], council: Optional[str] = None, draws: int = 0,
                seed: int = 0) -> pd.DataFrame:
        """Scenarios side by side with the baseline: one row per year, client group and scenario
        (scenario_id "" = baseline), with delta_vs_baseline of the cumulative shortfall (net across groups on "all"),
        sum_of_group_gaps (the demand-based shortfall: on "all" the groups that are short) with its delta and the
        surpluses beside it, and the net cost
        (GBP, placements - residential avoided) in the year and cumulatively with their differences from the
        baseline (NaN when costs were not computed)."""
        if isinstance(scenario_ids, str):
            scenario_ids = [scenario_ids]
        request = planning_pb2.CompareScenariosRequest(council_code=self._require_council(council),
                                                       scenario_ids=list(scenario_ids), draws=draws, seed=seed)
        r = self._unary("CompareScenarios", self._planning.CompareScenarios, request, long=True)
        df = pd.DataFrame(
            [(x.fy, x.fy_label, x.client_group, x.scenario_id, x.scenario_name or ("baseline" if not x.scenario_id else x.scenario_id),
              x.demand, x.supply, x.shortfall_cumulative, x.shortfall_p50, x.delta_vs_baseline, x.probability_positive,
              *(getattr(x, f) if x.HasField(f) else math.nan for f in _COMPARISON_COST_FIELDS),
              x.sum_of_group_gaps, x.sum_of_group_gaps_delta_vs_baseline, x.sum_of_group_surpluses)
             for x in r.rows],
            columns=["fy", "fy_label", "client_group", "scenario_id", "scenario_name", "demand", "supply",
                     "shortfall_cumulative", "shortfall_p50", "delta_vs_baseline", "probability_shortfall",
                     *_COMPARISON_COST_FIELDS, "sum_of_group_gaps", "sum_of_group_gaps_delta_vs_baseline", "sum_of_group_surpluses"],
        )
        df.attrs.update(basis=r.baseline.basis.description if r.HasField("baseline") else "",
                        baseline_result_id=r.baseline.result_id if r.HasField("baseline") else "",
                        result_ids={x.scenario_id: x.result_id for x in r.results})
        return df

    # ---------- performance ----------

    def measures(self) -> pd.DataFrame:
        """The measure catalogue, one row per measure: name, published code (e.g. "ASCOF 2A(2)"), title, definition,
        shape (flow or stock), unit, polarity, numerator, denominator, the date the definition applies from, the
        dimensions to filter or break down by, the source table and whether it is a proportion."""
        r = self._unary("ListMeasures", self._performance.ListMeasures, performance_pb2.ListMeasuresRequest())
        df = pd.DataFrame(
            [(m.name, m.code, m.title, m.definition, _shape_name(m.shape), m.unit, _polarity_name(m.polarity), m.numerator,
              m.denominator, m.effective_from, list(m.dimensions), m.source_table, m.proportion) for m in r.measures],
            columns=["name", "code", "title", "definition", "shape", "unit", "polarity", "numerator", "denominator",
                     "effective_from", "dimensions", "source_table", "proportion"])
        return _typed(df, dimensions=["shape", "polarity"])

    def measure_series(self, measure: str, council: Optional[str] = None, period: Optional[str] = "month",
                       start=None, end=None, filters: Filters = None, by=None) -> pd.DataFrame:
        """A measure per month (default), quarter or financial year: one row per (breakdown group, period) with
        numerator, denominator (NaN when the measure has none), value and the year-to-date numerator, denominator
        and value (flows accumulate from 1 April; a stock's year to date is its snapshot). Breakdown columns are
        categoricals; ``df.attrs`` carries the measure's title, unit, shape and polarity, the notes and the snapshot."""
        request = performance_pb2.MeasureSeriesRequest(
            measure=measure, council_code=council or "", period=_period(period), from_date=_iso(start), to_date=_iso(end),
            filters=_filters(filters), breakdown=_by(by))
        r = self._unary("GetMeasureSeries", self._performance.GetMeasureSeries, request)
        cols = self._key_columns((g.key for g in r.groups), by)
        values = ["numerator", "denominator", "value", "ytd_numerator", "ytd_denominator", "ytd_value"]
        rows = [[g.key.get(c, "") for c in cols]
                + [p.period_label, _date(p.period_start), _date(p.period_end)] + [getattr(p, v) for v in values]
                for g in r.groups for p in g.points]
        df = pd.DataFrame(rows, columns=cols + ["period_label", "period_start", "period_end"] + values)
        m = r.measure
        df.attrs.update(measure=m.name or measure, code=m.code, title=m.title, unit=m.unit, shape=_shape_name(m.shape),
                        polarity=_polarity_name(m.polarity), period=common_pb2.Period.Name(r.period).lower(),
                        notes=list(r.notes), snapshot_id=r.snapshot_id)
        return _typed(df, dimensions=cols)

    def performance(self, financial_year: Union[str, int] = "", council: Optional[str] = None,
                    measures: Union[str, Sequence[str]] = (), months_elapsed: int = 0,
                    levels: Sequence[float] = ()) -> "PerformanceReport":
        """The scorecard of a council for a financial year (default: the latest in its data).

        ``scorecard`` has one row per measure (every measure with data, or those named): year to date, the estimated
        end of year with lower_<level>/upper_<level> columns (default 80 and 95), the current target and its amber
        margin, the RAG status of the estimate (a categorical: green, amber, red; empty without a target), the
        probability of meeting the target, and the benchmark rank, quartile (1 = best) and the change needed to
        reach the next quartile. ``months`` has each month's year to date, estimate and RAG status per measure;
        ``comparators`` the benchmark values beside the council's. ``months_elapsed`` uses only the first N months
        (e.g. 9 for the picture at Q3)."""
        year = financial_year if isinstance(financial_year, str) else _fy_label(financial_year)
        names = [measures] if isinstance(measures, str) else list(measures)
        request = performance_pb2.PerformanceRequest(council_code=self._require_council(council), financial_year=year,
                                                     measures=names, months_elapsed=months_elapsed, levels=list(levels))
        r = self._unary("GetPerformance", self._performance.GetPerformance, request)
        return _performance_report(r)

    def set_target(self, measure: str, financial_year: Union[str, int], target: float, reason: str,
                   amber_margin: Optional[float] = None, council: Optional[str] = None) -> pd.Series:
        """Adds a version of a measure's year-end target (strategy_lead keys), in the measure's unit.

        ``amber_margin`` is how far on the wrong side of the target still counts as amber (the server's default is
        5% of the target); ``reason`` is required and kept with the author (the key's name). Returns the stored
        version as a row like those of :meth:`targets`."""
        year = financial_year if isinstance(financial_year, str) else _fy_label(financial_year)
        request = performance_pb2.SetTargetRequest(council_code=self._require_council(council), measure=measure,
                                                   financial_year=year, target=float(target), reason=reason)
        if amber_margin is not None:
            request.amber_margin = float(amber_margin)
        t = self._unary("SetTarget", self._performance.SetTarget, request)
        return pd.Series(_target_row(t), index=_TARGET_COLUMNS)

    def targets(self, council: Optional[str] = None, measure: str = "") -> pd.DataFrame:
        """Every version of the council's measure targets (or one measure's), newest first per measure and year."""
        request = performance_pb2.ListTargetsRequest(council_code=self._require_council(council), measure=measure)
        r = self._unary("ListTargets", self._performance.ListTargets, request)
        return pd.DataFrame([_target_row(t) for t in r.targets], columns=_TARGET_COLUMNS)

    def budget_outturn(self, council: Optional[str] = None, financial_year: Union[str, int] = "") -> pd.DataFrame:
        """Budget, outturn (or in-year forecast outturn) and variance by service line and financial year (default
        every year), beside the spend the services data accounts for: dimensions as categoricals, money as floats."""
        year = financial_year if isinstance(financial_year, str) else _fy_label(financial_year)
        request = performance_pb2.BudgetOutturnRequest(council_code=self._require_council(council), financial_year=year)
        t = self._unary("GetBudgetOutturn", self._performance.GetBudgetOutturn, request)
        df = self._table(t)
        for c in t.measure_names:
            if c in df.columns:
                df[c] = df[c].astype(float)
        return df

    def national_measures(self, financial_year: Union[str, int] = "", council: Optional[str] = None) -> "NationalMeasures":
        """One financial year (default the latest the CLD reaches) of the national measures computed from the council's
        imported Client Level Data as DHSC's and NHS England's code computes them: ASCOF 2A-2E and 3D (with the codes they
        replaced), the SALT tables LTS001a, LTS001b, STS001 and LTS003, and the waiting times."""
        year = financial_year if isinstance(financial_year, str) else _fy_label(financial_year)
        request = performance_pb2.NationalMeasuresRequest(council_code=self._require_council(council), financial_year=year)
        r = self._unary("GetNationalMeasures", self._performance.GetNationalMeasures, request)
        measures = pd.DataFrame(
            [(m.code, m.title, m.framework, m.unit, m.period_start, m.period_end, m.numerator, m.denominator, m.value,
              ", ".join(a.code for a in m.aliases), " ".join(m.notes)) for m in r.measures],
            columns=["code", "title", "framework", "unit", "period_start", "period_end", "numerator", "denominator", "value",
                     "old_codes", "notes"])
        slices = pd.DataFrame([(m.code, s.slice, s.numerator, s.denominator, s.value) for m in r.measures for s in m.slices],
                              columns=["code", "slice", "numerator", "denominator", "value"])
        tables = {t.code: pd.DataFrame([list(row.keys) + [row.count] for row in t.rows], columns=list(t.columns) + ["count"])
                  for t in r.tables}
        waits = pd.DataFrame([(w.metric, w.period_start, w.period_end, w.age_band, w.waits, w.median_days) for w in r.waiting_times],
                             columns=["metric", "period_start", "period_end", "age_band", "waits", "median_days"])
        return NationalMeasures(r.council_code, r.financial_year, r.data_start, r.data_end, r.snapshot_id, measures, slices, tables,
                                waits, list(r.warnings))

    def cld_quality(self, council: Optional[str] = None) -> pd.DataFrame:
        """The data-quality report of the council's imported CLD: per field, rows valid, mapped from Release 1, invalid and
        missing; rows dropped by the national rules and duplicates removed, with the first examples."""
        t = self._unary("GetCldQuality", self._performance.GetCldQuality,
                       performance_pb2.CldQualityRequest(council_code=self._require_council(council)))
        df = self._table(t)
        df["rows"] = df["rows"].astype(int)
        return df


# ---------- performance results ----------

_RAG_NAMES = ["green", "amber", "red"]

_TARGET_COLUMNS = ["council_code", "measure", "financial_year", "version", "target", "amber_margin", "created_at",
                   "author", "reason"]


def _fy_label(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


def _shape_name(shape: int) -> str:
    return {performance_pb2.FLOW: "flow", performance_pb2.STOCK: "stock"}.get(shape, "")


def _polarity_name(polarity: int) -> str:
    return {performance_pb2.HIGHER_IS_BETTER: "higher_is_better", performance_pb2.LOWER_IS_BETTER: "lower_is_better",
            performance_pb2.NEUTRAL: "neutral"}.get(polarity, "")


def _rag_name(rag: int) -> Optional[str]:
    return {performance_pb2.GREEN: "green", performance_pb2.AMBER: "amber", performance_pb2.RED: "red"}.get(rag)


def _rag(values) -> pd.Categorical:
    return pd.Categorical(values, categories=_RAG_NAMES)


def _target_row(t) -> list:
    return [t.council_code, t.measure, t.financial_year, t.version, t.target, t.amber_margin,
            _timestamp(t.created_at) if t.HasField("created_at") else None, t.author, t.reason]


@dataclass
class NationalMeasures:
    """National measures of one financial year from a council's CLD: ``measures`` (one row per measure: code, value,
    numerator, denominator, the old codes it replaced), ``slices`` (per age band or gender), ``tables`` (the SALT tables by
    code, one row per cell with its count), ``waiting_times`` (median days per quarter and age band) and ``warnings``."""
    council_code: str
    financial_year: str
    data_start: str
    data_end: str
    snapshot_id: str
    measures: pd.DataFrame
    slices: pd.DataFrame
    tables: dict
    waiting_times: pd.DataFrame
    warnings: list


@dataclass
class PerformanceReport:
    """A council's measures for one financial year (``Client.performance``)."""

    council_code: str
    financial_year: str
    as_of: str  # the last day of the data used
    snapshot_id: str
    scorecard: pd.DataFrame  # one row per measure; see Client.performance
    months: pd.DataFrame  # measure, period_label, month_end, ytd_value, year_end_estimate, rag
    comparators: pd.DataFrame  # measure, benchmark_year, comparator_type, comparator_code, comparator_name, value
    notes: Dict[str, List[str]]  # measure -> notes

    def measure(self, name: str) -> pd.Series:
        """The scorecard row of one measure."""
        rows = self.scorecard[self.scorecard["measure"] == name]
        if rows.empty:
            raise KeyError(f"{name!r} is not in the report; it has {list(self.scorecard['measure'])}")
        return rows.iloc[0]


def _performance_report(r) -> PerformanceReport:
    levels = sorted({i.level for m in r.measures for i in m.year_end.intervals})
    interval_cols = [f"{side}_{_level_name(l)}" for l in levels for side in ("lower", "upper")]
    rows, months, comparators = [], [], []
    for m in r.measures:
        d = m.measure
        bounds = {i.level: i for i in m.year_end.intervals}
        interval_values = []
        for l in levels:
            b = bounds.get(l)
            interval_values += [b.lower, b.upper] if b else [math.nan, math.nan]
        has_target = m.HasField("target")
        has_benchmark = m.HasField("benchmark")
        b = m.benchmark
        rows.append([d.name, d.code, d.title, d.unit, _shape_name(d.shape), _polarity_name(d.polarity), m.financial_year,
                     m.months_elapsed, m.ytd_numerator, m.ytd_denominator, m.ytd_value, m.year_end.estimate]
                    + interval_values
                    + [m.year_end.actual, m.year_end.method,
                       m.target.target if has_target else math.nan, m.target.amber_margin if has_target else math.nan,
                       m.target.version if has_target else pd.NA, _rag_name(m.rag),
                       m.probability_of_meeting_target if has_target else math.nan,
                       b.financial_year if has_benchmark else "", b.council_value if has_benchmark else math.nan,
                       b.rank if has_benchmark and b.rank else pd.NA, b.of if has_benchmark and b.of else pd.NA,
                       b.quartile if has_benchmark and b.quartile else pd.NA,
                       b.next_quartile_boundary if has_benchmark else math.nan,
                       b.change_to_next_quartile if has_benchmark else math.nan,
                       b.quartile_method if has_benchmark else "", b.source if has_benchmark else ""])
        for s in m.months:
            months.append([d.name, s.period_label, s.ytd_value, s.year_end_estimate, _rag_name(s.rag)])
        if has_benchmark:
            for c in b.comparators:
                comparators.append([d.name, b.financial_year, c.comparator_type, c.comparator_code, c.comparator_name, c.value])
    scorecard = pd.DataFrame(rows, columns=[
        "measure", "code", "title", "unit", "shape", "polarity", "financial_year", "months_elapsed", "ytd_numerator",
        "ytd_denominator", "ytd_value", "year_end"] + interval_cols + [
        "actual", "method", "target", "amber_margin", "target_version", "rag", "probability", "benchmark_year",
        "benchmark_value", "rank", "of", "quartile", "next_quartile_boundary", "change_to_next_quartile",
        "quartile_method", "benchmark_source"])
    for c in ("target_version", "rank", "of", "quartile"):
        scorecard[c] = scorecard[c].astype("Int64")
    scorecard["rag"] = _rag(scorecard["rag"])
    for c in ("measure", "shape", "polarity"):
        scorecard[c] = scorecard[c].astype("category")
    scorecard.attrs.update(council_code=r.council_code, financial_year=r.financial_year, as_of=r.as_of,
                           snapshot_id=r.snapshot_id, levels=levels)
    month_frame = pd.DataFrame(months, columns=["measure", "period_label", "ytd_value", "year_end_estimate", "rag"])
    month_frame.insert(2, "month_end", [pd.Period(p, freq="M").end_time.normalize() if p else pd.NaT
                                        for p in month_frame["period_label"]])
    month_frame["measure"] = month_frame["measure"].astype("category")
    month_frame["rag"] = _rag(month_frame["rag"])
    month_frame.attrs.update(council_code=r.council_code, financial_year=r.financial_year, snapshot_id=r.snapshot_id,
                             as_of_date=r.as_of_date)
    comparator_frame = pd.DataFrame(comparators, columns=["measure", "benchmark_year", "comparator_type", "comparator_code",
                                                          "comparator_name", "value"])
    comparator_frame["comparator_type"] = comparator_frame["comparator_type"].astype("category")
    return PerformanceReport(r.council_code, r.financial_year, r.as_of, r.snapshot_id, scorecard, month_frame,
                             comparator_frame, {m.measure.name: list(m.notes) for m in r.measures})
