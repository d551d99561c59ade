using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Forecasting.Domain;

namespace Forecasting.Store.Import.Published;

/// <summary>
/// The files of an import after the published ones were turned into store tables: ONS population files (with their
/// lookup) become one population file, the published ASCOF file becomes a published_measures file. The written files
/// live in a temporary directory removed on disposal; every other file is passed through unchanged.
/// </summary>
public sealed class PublishedConversion(IReadOnlyList<ImportFileSpec> files, string? directory) : IDisposable
{
    public IReadOnlyList<ImportFileSpec> Files { get; } = files;

    public void Dispose()
    {
        if (directory is null) return;
        try { Directory.Delete(directory, recursive: true); }
        catch (DirectoryNotFoundException) { }
    }
}

/// <summary>
/// Published files an import accepts as they come, named by what they are:
/// <list type="bullet">
/// <item><c>snpp_&lt;variant&gt;.csv</c>: an ONS subnational population projection, the variant by its ONS name
/// (<see cref="OnsVariants"/>), e.g. snpp_principal.csv, snpp_high_international_migration.csv.</item>
/// <item><c>mye.csv</c> or <c>mye_&lt;year&gt;.csv</c>: ONS mid-year estimates (a one-year table needs its year in the name).</item>
/// <item><c>area_lookup.csv</c>: the ONS district-to-council lookup (<see cref="AreaLookup"/>), for files by district.</item>
/// <item><c>ascof_published.csv</c>: the published ASCOF figures in their long layout (<see cref="AscofPublishedFile"/>).</item>
/// </list>
/// The population files of one import replace the councils' population rows together (one population table), so a
/// council's estimates and projections are given in the same import.
/// </summary>
public static partial class PublishedFiles
{
    public const string AreaLookupName = "area_lookup";
    public const string AscofName = "ascof_published";
    public const string SnppPrefix = "snpp_";
    public const string MyeName = "mye";

    /// <summary>The names of the published files, for messages.</summary>
    public static readonly string Described = "snpp_<variant>, mye, mye_<year>, area_lookup, ascof_published";

    /// <summary>Whether a file name (without extension) or table name is one of the published files.</summary>
    public static bool Recognises(string name) =>
        name is AreaLookupName or AscofName or MyeName || name.StartsWith(SnppPrefix, StringComparison.Ordinal) || MyeYear().IsMatch(name);

    /// <summary>The published CSV files of a directory, as import files named by their file names.</summary>
    public static IEnumerable<ImportFileSpec> InDirectory(string directory) =>
        Directory.EnumerateFiles(directory, "*.csv")
            .Where(f => Recognises(Path.GetFileNameWithoutExtension(f)))
            .Order(StringComparer.Ordinal)
            .Select(f => new ImportFileSpec(Path.GetFileNameWithoutExtension(f), f));

    private static string TableOf(ImportFileSpec file) =>
        string.IsNullOrWhiteSpace(file.Table) ? Path.GetFileNameWithoutExtension(file.Path) : file.Table;

    /// <param name="councils">The councils the population files are summed to: the store's and those of a councils file in the import, within the caller's scope.</param>
    /// <param name="scoped">Whether the caller may import only some councils: the published figures are every area's, so it may not import them.</param>
    internal static PublishedConversion Convert(IReadOnlyList<ImportFileSpec> files, Func<IReadOnlySet<string>> councils, bool scoped, IssueLog log)
    {
        var published = files.Where(f => Recognises(TableOf(f))).ToList();
        if (published.Count == 0) return new PublishedConversion(files, null);

        var issues = new PublishedIssues();
        var passed = files.Where(f => !Recognises(TableOf(f))).ToList();
        var directory = Path.Combine(Path.GetTempPath(), "forecasting-published-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var conversion = new PublishedConversion(passed, directory);
        try
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var file in published)
            {
                if (!seen.Add(TableOf(file))) issues.Error(file.Name, 0, "table", $"'{TableOf(file)}' is given more than once in one import");
                else if (ImportFileSpec.FormatOf(file.DisplayName ?? file.Path, file.Format) == FileFormat.Parquet)
                    issues.Error(file.Name, 0, "format", "published files are read as the CSV they are published as");
                else if (!File.Exists(file.Path)) issues.Error(file.Name, 0, "path", "file does not exist");
            }
            if (issues.HasErrors) return Done(issues, log, conversion);

            var lookupFile = published.FirstOrDefault(f => TableOf(f) == AreaLookupName);
            var lookup = lookupFile is null ? AreaLookup.Empty : Read(lookupFile, issues, (h, r) => AreaLookup.Read(lookupFile.Name, h, r, issues));
            var population = published.Where(f => TableOf(f) is var t && (t == MyeName || MyeYear().IsMatch(t) || t.StartsWith(SnppPrefix, StringComparison.Ordinal))).ToList();
            var ascof = published.FirstOrDefault(f => TableOf(f) == AscofName);
            var outputs = new List<ImportFileSpec>();

            if (population.Count > 0 && lookup is not null)
            {
                if (passed.FirstOrDefault(f => TableOf(f) == "population") is { } given)
                    issues.Error(given.Name, 0, "table", $"the population table is given twice: by {given.Name} and by the ONS files ({string.Join(", ", population.Select(p => p.Name))}); give one or the other");
                else if (Population(population, lookup, lookupFile?.Name, councils(), issues) is { } rows && !issues.HasErrors)
                    outputs.Add(WritePopulation(directory, rows, population));
            }
            else if (lookupFile is not null && population.Count == 0)
                issues.Warning(lookupFile.Name, 0, "", "no ONS population file (snpp_<variant>.csv, mye.csv) in the import: the lookup is not used");

            if (ascof is not null)
            {
                if (scoped)
                    issues.Error(ascof.Name, 0, "", "the published figures are every council's, region's and England's: only a key for every council may import them");
                else if (passed.FirstOrDefault(f => TableOf(f) == "published_measures") is { } given)
                    issues.Error(given.Name, 0, "table", $"the published_measures table is given twice: by {given.Name} and by {ascof.Name}; give one or the other");
                else if (Read(ascof, issues, (h, r) => AscofPublishedFile.Read(ascof.Name, h, r, issues)) is { } rows && !issues.HasErrors)
                    outputs.Add(WriteMeasures(directory, rows, ascof));
            }
            return Done(issues, log, new PublishedConversion([.. passed, .. outputs], directory));
        }
        catch
        {
            conversion.Dispose();
            throw;
        }
    }

    private static PublishedConversion Done(PublishedIssues issues, IssueLog log, PublishedConversion conversion)
    {
        issues.CopyTo(log);
        return conversion;
    }

    /// <summary>Reads a published CSV; an unreadable file (not UTF-8, an unclosed quote) is reported and gives null.</summary>
    private static T? Read<T>(ImportFileSpec file, PublishedIssues issues, Func<IReadOnlyList<string>, IEnumerable<CsvRecord>, T?> read) where T : class
    {
        try
        {
            using var reader = new StreamReader(file.Path, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: false);
            var (header, records) = PublishedCsv.Read(reader);
            return read(header, records);
        }
        catch (InvalidDataException ex)
        {
            issues.Error(file.Name, 0, "", $"cannot read the file as CSV: {ex.Message}");
        }
        catch (DecoderFallbackException)
        {
            issues.Error(file.Name, 0, "", "cannot read the file as CSV: it is not valid UTF-8 text");
        }
        return null;
    }

    private static List<PopulationRow>? Population(List<ImportFileSpec> files, AreaLookup lookup, string? lookupFile, IReadOnlySet<string> councils,
        PublishedIssues issues)
    {
        bool Wanted(string area) => councils.Contains(area) || (lookup.CouncilOf(area) is { } c && councils.Contains(c));
        var rows = new List<PopulationRow>();
        var origin = new Dictionary<(string, int, string, string, string), string>();
        foreach (var file in files)
        {
            var table = TableOf(file);
            string variant;
            int? year = null;
            if (table.StartsWith(SnppPrefix, StringComparison.Ordinal))
            {
                var name = table[SnppPrefix.Length..];
                if (!OnsVariants.StoredCode.TryGetValue(name, out variant!))
                {
                    issues.Error(file.Name, 0, "variant", $"'{name}' is not an ONS projection variant; the file name names one of: {string.Join(", ", OnsVariants.StoredCode.Keys)}", name);
                    continue;
                }
            }
            else
            {
                variant = Forecasting.Planning.PopulationVariants.Estimate;
                if (MyeYear().Match(table) is { Success: true } m) year = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            }
            var counts = Read(file, issues, (h, r) => OnsPopulationFile.Read(file.Name, h, r, year, Wanted, issues));
            if (counts is null) continue;
            if (variant != Forecasting.Planning.PopulationVariants.Estimate && counts.Layout != OnsPopulationLayout.Snpp)
            {
                issues.Error(file.Name, 1, "", "a projection file (snpp_...) must have the subnational projection layout (AREA_CODE, AREA_NAME, COMPONENT, SEX, AGE_GROUP, years)");
                continue;
            }
            if (variant == Forecasting.Planning.PopulationVariants.Estimate && counts.Layout == OnsPopulationLayout.Snpp)
            {
                issues.Error(file.Name, 1, "", "a mid-year estimates file (mye...) has the projection layout: name a projection snpp_<variant>.csv");
                continue;
            }
            // A projection is named by its base year, the first year it holds (the 2022-based projection starts at mid-2022);
            // an estimates series by its latest year, the release that revised the years before it.
            var source = variant == Forecasting.Planning.PopulationVariants.Estimate ? $"ONS MYE {counts.Years.Max()}" : $"ONS {counts.Years.Min()}-based SNPP";
            var areaColumn = counts.Layout switch { OnsPopulationLayout.Snpp => "AREA_CODE", OnsPopulationLayout.MyeSingleYear => "Code", _ => "area code" };
            foreach (var row in CouncilPopulation.Sum(file.Name, areaColumn, counts, lookup, lookupFile, councils, variant, source, issues))
            {
                var key = (row.CouncilCode, row.Year, row.AgeBand, row.Variant, row.Source);
                if (origin.TryGetValue(key, out var other))
                {
                    issues.Error(file.Name, 0, "", $"council {row.CouncilCode}'s {row.Variant} population for {row.Year} is also in {other}: give each year once", row.CouncilCode);
                    break;
                }
                origin[key] = file.Name;
                rows.Add(row);
            }
        }
        return rows;
    }

    private static string Field(string text) => text.Contains(',') || text.Contains('"') ? "\"" + text.Replace("\"", "\"\"") + "\"" : text;

    private static ImportFileSpec WritePopulation(string directory, List<PopulationRow> rows, List<ImportFileSpec> from)
    {
        var path = Path.Combine(directory, "population.csv");
        using (var writer = new StreamWriter(path, false, new UTF8Encoding(false)))
        {
            writer.Write("council_code,year,age_band,variant,source,population\n");
            foreach (var r in rows)
                writer.Write(string.Create(CultureInfo.InvariantCulture,
                    $"{Field(r.CouncilCode)},{r.Year},{r.AgeBand},{r.Variant},{Field(r.Source)},{r.Population}\n"));
        }
        return new ImportFileSpec("population", path, FileFormat.Csv, $"population from {string.Join(", ", from.Select(f => f.Name))}");
    }

    private static ImportFileSpec WriteMeasures(string directory, List<PublishedMeasureRow> rows, ImportFileSpec from)
    {
        var path = Path.Combine(directory, "published_measures.csv");
        static string N(double? v) => v is { } x ? x.ToString("0.######", CultureInfo.InvariantCulture) : "";
        using (var writer = new StreamWriter(path, false, new UTF8Encoding(false)))
        {
            writer.Write("council_code,area_name,measure,fy,published_code,numerator,denominator,value,source\n");
            foreach (var r in rows)
                writer.Write($"{Field(r.AreaCode)},{Field(r.AreaName)},{r.Measure},{FinancialYear.Label(r.FinancialYear)},{Field(r.PublishedCode)},{N(r.Numerator)},{N(r.Denominator)},{N(r.Value)},{Field(r.Source)}\n");
        }
        return new ImportFileSpec("published_measures", path, FileFormat.Csv, $"published_measures from {from.Name}");
    }

    /// <summary>
    /// The councils population is summed to: those in the store and in a councils file of the import, limited to the
    /// caller's councils when the caller is limited to some.
    /// </summary>
    internal static IReadOnlySet<string> Councils(ForecastingStore store, IReadOnlyList<ImportFileSpec> files, IReadOnlyCollection<string>? scope)
    {
        var councils = new HashSet<string>(StringComparer.Ordinal);
        using (var connection = store.Open())
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "SELECT council_code FROM councils";
            using var reader = cmd.ExecuteReader();
            while (reader.Read()) councils.Add(reader.GetString(0));
        }
        if (files.FirstOrDefault(f => TableOf(f) == "councils") is { } file && File.Exists(file.Path)
            && ImportFileSpec.FormatOf(file.DisplayName ?? file.Path, file.Format) == FileFormat.Csv)
        {
            // Bad councils files are the importer's to report; here they only fail to add councils.
            try
            {
                using var reader = new StreamReader(file.Path);
                var (header, records) = PublishedCsv.Read(reader);
                var column = header.ToList().IndexOf("council_code");
                if (column >= 0)
                    foreach (var record in records)
                        if (record[column].Trim() is { Length: > 0 } code) councils.Add(code);
            }
            catch (InvalidDataException) { }
        }
        if (scope is not null) councils.IntersectWith(scope);
        return councils;
    }

    [GeneratedRegex(@"^mye_(\d{4})$")]
    private static partial Regex MyeYear();
}
