using System.Globalization;
using Forecasting.Application.Performance;
using Forecasting.Cld.Cleaning;
using Forecasting.Cld.Measures;
using Forecasting.Contracts.V1;
using Forecasting.Domain;
using NationalMeasuresReport = Forecasting.Contracts.V1.NationalMeasuresReport;
using Polarity = Forecasting.Contracts.V1.Polarity;

namespace Forecasting.Server.Services;

/// <summary>Maps the national measures of a council's CLD and its data-quality report onto the contract.</summary>
public static class NationalMeasuresMapping
{
    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static NationalMeasuresReport ToProto(NationalMeasuresAnswer answer)
    {
        var r = answer.Report;
        var proto = new NationalMeasuresReport
        {
            CouncilCode = answer.CouncilCode,
            FinancialYear = FinancialYear.Label(r.FinancialYear),
            DataStart = Iso(r.DataStart),
            DataEnd = Iso(r.DataEnd),
            SnapshotId = answer.SnapshotId ?? "",
        };
        proto.Warnings.AddRange(r.Warnings);
        if (answer.PopulationSource is { } source) proto.Warnings.Add($"2B and 2C per 100,000 of the population of {source}");
        foreach (var m in r.Measures)
        {
            var definition = CldMeasureCatalogue.All.FirstOrDefault(d => d.Code == m.Code);
            var measure = new NationalMeasure
            {
                Code = m.Code,
                Title = m.Title,
                Framework = m.FrameworkYear,
                Unit = definition?.Unit switch
                {
                    CldUnit.Percent => "percent",
                    CldUnit.Per100000 => "per_100000",
                    CldUnit.Days => "days",
                    _ => "count",
                },
                PeriodStart = Iso(m.PeriodStart),
                PeriodEnd = Iso(m.PeriodEnd),
                Numerator = m.Numerator,
                Denominator = m.Denominator,
                Value = (double)m.Value,
                Polarity = definition?.HigherIsBetter switch { true => Polarity.HigherIsBetter, false => Polarity.LowerIsBetter, _ => Polarity.Neutral },
                Source = definition?.Source ?? "",
            };
            measure.Slices.AddRange(m.Rows.Select(s => new NationalMeasureSlice
            {
                Slice = s.Slice, Numerator = s.Numerator, Denominator = s.Denominator, Value = (double)s.Value,
            }));
            measure.Notes.AddRange(m.Notes);
            if (definition is not null)
                measure.Aliases.AddRange(definition.Aliases.Select(a => new MeasureAlias
                {
                    Code = a.Code, EffectiveFrom = Iso(a.EffectiveFrom), EffectiveTo = Iso(a.EffectiveTo), Approximate = a.Approximate, Note = a.Note,
                }));
            proto.Measures.Add(measure);
        }
        foreach (var t in r.Tables)
        {
            var table = new NationalTable
            {
                Code = t.Code, Title = t.Title, PeriodStart = Iso(t.PeriodStart), PeriodEnd = Iso(t.PeriodEnd), Total = t.Total,
            };
            table.Columns.AddRange(t.Columns);
            table.Rows.AddRange(t.Rows.Select(row => { var x = new NationalTableRow { Count = row.Count }; x.Keys.AddRange(row.Keys); return x; }));
            table.Notes.AddRange(t.Notes);
            proto.Tables.Add(table);
        }
        proto.WaitingTimes.AddRange(r.WaitingTimes.Rows.Select(w => new WaitingTime
        {
            Metric = w.Metric, PeriodStart = Iso(w.PeriodStart), PeriodEnd = Iso(w.PeriodEnd), AgeBand = w.AgeBand, Waits = w.Waits, MedianDays = w.MedianDays,
        }));
        proto.WaitingTimeNotes.AddRange(r.WaitingTimes.Notes);
        return proto;
    }

    /// <summary>One row per finding: section, field, category, the rows it covers and the first examples (file:row = value).</summary>
    public static TableResponse ToProto(IReadOnlyList<CldQualityLine> lines, string? snapshotId)
    {
        var table = new TableResponse { Title = "CLD data quality", SnapshotId = snapshotId ?? "" };
        table.DimensionNames.AddRange(["section", "field", "category", "examples"]);
        table.MeasureNames.Add("rows");
        foreach (var line in lines)
        {
            var row = new Row();
            row.Dimensions["section"] = line.Section;
            row.Dimensions["field"] = line.Field;
            row.Dimensions["category"] = line.Category;
            row.Dimensions["examples"] = string.Join("; ", line.Examples.Select(e => $"{e.File} row {e.Row}: {e.Value ?? "(blank)"}"));
            row.Measures["rows"] = line.Count;
            table.Rows.Add(row);
        }
        return table;
    }
}
