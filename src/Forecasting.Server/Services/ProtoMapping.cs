using System.Globalization;
using Forecasting.Store.Analytics;
using Forecasting.Contracts.V1;
using Forecasting.Domain;
using Google.Protobuf.Collections;
using Period = Forecasting.Store.Analytics.Period;

namespace Forecasting.Server.Services;

/// <summary>Translation between the public contract and the domain types, with argument checks that name the field.</summary>
public static class ProtoMapping
{
    public static SeriesQuery ToQuery(SeriesSelector? selector, string field = "selector", Period? defaultPeriod = null)
    {
        if (selector is null) throw new InvalidArgumentException(field, "a series selector is required");
        return new SeriesQuery(
            Metric: selector.Metric,
            CouncilCode: NullIfEmpty(selector.CouncilCode),
            Period: selector.Period == Contracts.V1.Period.Unspecified && defaultPeriod is { } d ? d : ToPeriod(selector.Period),
            From: ParseDate(selector.FromDate, $"{field}.from_date"),
            To: ParseDate(selector.ToDate, $"{field}.to_date"),
            Filters: ToFilters(selector.Filters, $"{field}.filters"),
            Breakdown: selector.Breakdown.ToList());
    }

    public static Period ToPeriod(Contracts.V1.Period period) => period switch
    {
        Contracts.V1.Period.Unspecified or Contracts.V1.Period.Month => Period.Month,
        Contracts.V1.Period.Quarter => Period.Quarter,
        Contracts.V1.Period.FinancialYear => Period.FinancialYear,
        _ => throw new InvalidArgumentException("selector.period", $"unknown period {(int)period}; use MONTH, QUARTER or FINANCIAL_YEAR"),
    };

    public static Contracts.V1.Period ToProto(Period period) => period switch
    {
        Period.Month => Contracts.V1.Period.Month,
        Period.Quarter => Contracts.V1.Period.Quarter,
        _ => Contracts.V1.Period.FinancialYear,
    };

    /// <summary>Dates a request may name: wide enough for any history or plan, narrow enough that period arithmetic cannot overflow.</summary>
    public static readonly DateOnly EarliestDate = new(1900, 1, 1), LatestDate = new(2199, 12, 31);

    public static DateOnly? ParseDate(string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            throw new InvalidArgumentException(field, Forecasting.Store.Import.DataImporter.NotADate(text));
        if (date < EarliestDate || date > LatestDate)
            throw new InvalidArgumentException(field, $"{text} is outside {EarliestDate:yyyy-MM-dd} to {LatestDate:yyyy-MM-dd}");
        return date;
    }

    public static Dictionary<string, IReadOnlyList<string>> ToFilters(RepeatedField<Filter> filters, string field)
    {
        var result = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var filter in filters)
        {
            if (string.IsNullOrEmpty(filter.Dimension)) throw new InvalidArgumentException(field, "a filter needs a dimension");
            var values = result.TryGetValue(filter.Dimension, out var existing) ? existing.Concat(filter.Values) : filter.Values;
            result[filter.Dimension] = values.Distinct().ToList();
        }
        return result;
    }

    public static SeriesGroup ToProto(Series series)
    {
        var group = new SeriesGroup();
        group.Key.Add(new Dictionary<string, string>(series.Key));
        group.Points.AddRange(series.Points.Select(p => ToProto(Application.Forecasts.SeriesForecaster.ToHistory(p))));
        return group;
    }

    public static SeriesPoint ToProto(Application.Forecasts.HistoryPoint point) => new()
    {
        PeriodLabel = point.PeriodLabel, PeriodStart = point.PeriodStart, Value = point.Value, YearToDate = point.YearToDate,
    };

    public static TableResponse ToProto(TableResult table)
    {
        var response = new TableResponse
        {
            Title = table.Title,
            AsOf = table.AsOf is { } d ? FinancialCalendar.Iso(d) : "",
            SnapshotId = table.SnapshotId ?? "",
        };
        response.DimensionNames.AddRange(table.DimensionNames);
        response.MeasureNames.AddRange(table.MeasureNames);
        foreach (var row in table.Rows)
        {
            var r = new Row();
            r.Dimensions.Add(new Dictionary<string, string>(row.Dimensions));
            r.Measures.Add(new Dictionary<string, double>(row.Measures));
            response.Rows.Add(r);
        }
        return response;
    }

    public static string? NullIfEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
