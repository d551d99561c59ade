using System.Globalization;
using Forecasting.Contracts.V1;
using Forecasting.Tests.Support;
using Grpc.Core;
using static Forecasting.Tests.Support.ServerFactory;
using static Forecasting.TestSupport.SampleServerFactory;

namespace Forecasting.Tests.Grpc;

/// <summary>
/// The national measures through the API: nothing before a CLD import (FAILED_PRECONDITION), then, after the CLD sample
/// is imported beside the Harbridge sample, every measure of 2024/25 with its aliases, 2B and 2C per 100,000 of the
/// population the CSV holds, and the data-quality report.
/// </summary>
[Trait("Category", "integration")]
public sealed class NationalMeasuresGrpcTests(ServerFactory factory) : IClassFixture<ServerFactory>
{
    private PerformanceService.PerformanceServiceClient Performance => new(factory.Channel());
    private DataService.DataServiceClient Data => new(factory.Channel());

    private static double PopulationOf(string year, params string[] bands)
    {
        var population = Csv.Sample("population");
        return population.Rows.Where(r => population.Get(r, "year") == year && population.Get(r, "variant") == "estimate" && bands.Contains(population.Get(r, "age_band")))
            .Sum(r => double.Parse(population.Get(r, "population"), CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Measures_of_a_year_come_from_the_imported_CLD_with_their_old_codes_and_the_years_population()
    {
        var request = new NationalMeasuresRequest { CouncilCode = Council, FinancialYear = "2024/25" };
        var before = await Assert.ThrowsAsync<RpcException>(() => Performance.GetNationalMeasuresAsync(request, Key(CommissionerKey)).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, before.StatusCode);
        Assert.Contains("no Client Level Data", before.Status.Detail);

        var import = await Data.ImportAsync(new ImportRequest { Directory = "harbridge-cld" }, Key(AnalystKey));
        Assert.True(import.Succeeded, string.Join("; ", import.Issues.Select(i => $"{i.File}:{i.Row} {i.Column} {i.Reason}")));

        var report = await Performance.GetNationalMeasuresAsync(request, Key(CommissionerKey));
        Assert.Equal("2024/25", report.FinancialYear);
        var codes = report.Measures.Select(m => m.Code).ToHashSet();
        foreach (var code in new[] { "2A", "2B", "2C", "2E" }) Assert.Contains(codes, c => c.StartsWith(code, StringComparison.Ordinal));
        Assert.Contains(codes, c => c.StartsWith("2D", StringComparison.Ordinal));
        Assert.Contains(codes, c => c.StartsWith("3D", StringComparison.Ordinal));

        // 2B and 2C: people with a new long-term residential or nursing admission per 100,000 of the mid-2024 population of
        // the age band, from population.csv (18-24 + 25-64; 65-74 + 75-84 + 85+).
        var b = report.Measures.Single(m => m.Code == "2B");
        var c = report.Measures.Single(m => m.Code == "2C");
        Assert.Equal(PopulationOf("2024", "18-24", "25-64"), b.Denominator);
        Assert.Equal(PopulationOf("2024", "65-74", "75-84", "85+"), c.Denominator);
        Assert.Equal(Math.Round(b.Numerator * 100_000.0 / b.Denominator, 1, MidpointRounding.AwayFromZero), b.Value, 9);
        Assert.True(c.Numerator > 0);
        Assert.Contains(b.Aliases, a => a.Code == "2A(1)" && a.EffectiveTo == "2023-03-31");
        Assert.Contains(c.Aliases, a => a.Code == "2A(2)");

        // Percentages: numerators within their denominators and values within 0-100, slice by slice.
        foreach (var m in report.Measures.Where(m => m.Unit == "percent"))
        {
            Assert.InRange(m.Value, 0, 100);
            Assert.True(m.Numerator <= m.Denominator, m.Code);
            foreach (var s in m.Slices) Assert.True(s.Numerator <= s.Denominator && s.Value is >= 0 and <= 100, $"{m.Code} {s.Slice}");
        }
        Assert.Equal(["LTS001a", "LTS001b", "STS001", "LTS003"], report.Tables.Select(t => t.Code));
        foreach (var t in report.Tables) Assert.Equal(t.Rows.Sum(r => r.Count), t.Total);
        Assert.NotEmpty(report.WaitingTimes);

        var quality = await Performance.GetCldQualityAsync(new CldQualityRequest { CouncilCode = Council }, Key(AnalystKey));
        Assert.NotEmpty(quality.Rows);
        Assert.Contains(quality.Rows, r => r.Dimensions["category"].Contains("Release 1", StringComparison.OrdinalIgnoreCase)
                                           || r.Dimensions["category"].Contains("mapped", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_CLD_submission_can_be_uploaded_like_any_other_file()
    {
        // A dry run: the CLD file is staged as table "cld" and cleaned, and nothing is written.
        using var call = Data.Upload(Key(AnalystKey));
        var file = Path.Combine(Forecasting.TestSupport.RepoPaths.Root, "data-samples", "harbridge-cld", "cld_2025-10-01_2026-03-31_resubmission.csv");
        await call.RequestStream.WriteAsync(new UploadChunk { Header = new UploadHeader { FileName = Path.GetFileName(file), DryRun = true } });
        await call.RequestStream.WriteAsync(new UploadChunk { Data = Google.Protobuf.ByteString.CopyFrom(File.ReadAllBytes(file)) });
        await call.RequestStream.CompleteAsync();
        var report = await call;
        Assert.True(report.Succeeded, string.Join("; ", report.Issues.Select(i => $"{i.File}:{i.Row} {i.Column} {i.Reason}")));
        Assert.Contains(report.Tables, t => t.Table == "cld_events" && t.RowsInFile > 0);
    }

    [Fact]
    public async Task A_year_that_is_not_a_financial_year_is_an_invalid_argument()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Performance.GetNationalMeasuresAsync(
            new NationalMeasuresRequest { CouncilCode = Council, FinancialYear = "2024" }, Key(CommissionerKey)).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }
}
