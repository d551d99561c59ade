using System.Diagnostics;
using System.Globalization;
using System.Text;
using Forecasting.Cld.Reading;
using Forecasting.Store;
using Forecasting.Store.Import;
using Forecasting.Store.Import.Cld;

namespace Forecasting.Bench;

/// <summary>
/// Time and peak memory of importing one large CLD submission (default one million rows): the file is generated once
/// per size and seed in the temp directory (kept for the next run), then imported into a fresh store through the
/// validated, all-or-nothing import. Rows are streamed: memory holds the unique events being deduplicated and the
/// person details, never the raw file. Run each size in its own process: the peak only grows.
/// Usage: cld-import [rows, default 1000000] [--clean-only: the pure cleaning without the store]
/// </summary>
public static class CldImportBenchmark
{
    private const int Seed = 20250331;

    public static int Run(string[] args)
    {
        var rows = args.Length > 0 && !args[0].StartsWith('-') ? long.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
        var file = Path.Combine(Path.GetTempPath(), $"forecasting-cld-bench-{rows}-{Seed}.csv");
        var watch = Stopwatch.StartNew();
        if (!File.Exists(file))
        {
            Write(file + ".tmp", rows);
            File.Move(file + ".tmp", file, overwrite: true);
            Console.WriteLine($"generated        {file} in {watch.Elapsed.TotalSeconds:F1} s");
        }
        var work = Directory.CreateTempSubdirectory("forecasting-cld-bench-");
        try
        {
            if (args.Contains("--clean-only"))
            {
                // The pure part alone: read, clean, deduplicate and person details, without the store.
                watch.Restart();
                var read = CldFileReader.Read(file, "f", 0, e => throw new InvalidDataException(e.ToString())).Count();
                Console.WriteLine($"read only        {watch.Elapsed.TotalSeconds:F1} s, {read:N0} rows");
                var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
                watch.Restart();
                var (periods, stream) = CldSubmissions.Open([new CldFile(file, Path.GetFileName(file))], e => throw new InvalidDataException(e.ToString()));
                var cleaned = Forecasting.Cld.Cleaning.CldPipeline.Clean(stream, periods);
                Console.WriteLine($"clean only       {watch.Elapsed.TotalSeconds:F1} s, {cleaned.Events.Count:N0} events, peak working set {Peak() / 1024.0 / 1024.0:N0} MB");
                // What the result holds once cleaning is over: the part of the peak that grows with the unique events.
                var retained = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
                Console.WriteLine($"retained heap    {retained / 1024.0 / 1024.0:N0} MB for {cleaned.Events.Count:N0} events and {cleaned.PeopleList.Count:N0} people "
                    + $"({retained / (double)Math.Max(1, cleaned.Events.Count):N0} bytes per unique event)");
                GC.KeepAlive(cleaned);
                return 0;
            }
            using var store = new ForecastingStore(new StoreOptions { Path = Path.Combine(work.FullName, "cld.duckdb") });
            var importer = new DataImporter(store, message => Console.WriteLine($"log              {message}")) { AsOf = () => new DateOnly(2026, 4, 30) };
            using (var warm = store.Open()) { }
            GC.Collect();
            var before = Peak();

            watch.Restart();
            var report = importer.Import([new ImportFileSpec(CldTables.Submission, file)]);
            var seconds = watch.Elapsed.TotalSeconds;
            var after = Peak();
            if (!report.Succeeded) throw new InvalidOperationException(string.Join("; ", report.Issues.Take(5)));

            long Count(string table) => report.Tables.Single(t => t.Table == table).RowsAfter;
            Console.WriteLine($"file             {new FileInfo(file).Length / 1024.0 / 1024.0:N0} MB, {report.Tables.Single(t => t.Table == CldTables.Events).RowsInFile:N0} rows");
            Console.WriteLine($"stored           {Count(CldTables.Events):N0} unique events, {Count(CldTables.People):N0} people, {report.WarningCount:N0} warnings");
            var productTables = report.Tables.Where(t => t.Table is "contacts" or "assessments" or "services" or "admissions" or "leavers" or "reablement" or "reviews");
            Console.WriteLine($"product tables   {string.Join(", ", productTables.Select(t => $"{t.Table} {t.RowsAfter:N0}"))}");
            Console.WriteLine($"time             {seconds:F1} s ({rows / seconds:N0} rows/s: read, clean, deduplicate, person details, stage, derive the product tables, swap, snapshot)");
            Console.WriteLine($"peak working set {before / 1024.0 / 1024.0:N0} MB before the import, {after / 1024.0 / 1024.0:N0} MB after (managed heap now {GC.GetTotalMemory(false) / 1024.0 / 1024.0:N0} MB)");
            return 0;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>
    /// A council's file of about <paramref name="rows"/> rows: journeys of request, assessment, services split at each
    /// April and reviews, with 1% exact duplicates and Release 1 wording on a third of the rows before 2025/26.
    /// </summary>
    private static void Write(string path, long rows)
    {
        var random = new Random(Seed);
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        writer.Write(string.Join(",", CldColumns.Names));
        writer.Write('\n');
        var cells = new string?[CldColumns.Count];
        long written = 0, record = 0;
        var first = new DateOnly(2022, 4, 1);
        var last = new DateOnly(2026, 3, 31);
        string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        void Emit(string type, DateOnly start, DateOnly? end, string? outcome, Action? more = null)
        {
            Array.Fill(cells, null, CldColumns.EventType, CldColumns.Count - CldColumns.EventType);
            var release1 = start < new DateOnly(2025, 4, 1) && random.Next(3) == 0;
            cells[CldColumns.RecordId] = (++record).ToString(CultureInfo.InvariantCulture);
            cells[CldColumns.ClientType] = release1 ? "Service User" : "Service user";
            cells[CldColumns.EventType] = type;
            cells[CldColumns.EventReference] = "EV" + record.ToString(CultureInfo.InvariantCulture);
            cells[CldColumns.EventStart] = D(start);
            cells[CldColumns.EventEnd] = end is { } e ? D(e) : null;
            cells[CldColumns.EventOutcome] = release1 && outcome == "Progress to support planning or services" ? "Progress to Support Planning / Services" : outcome;
            more?.Invoke();
            var line = string.Join(",", cells.Select(c => c is null ? "" : c.Contains(',') ? "\"" + c + "\"" : c));
            writer.Write(line);
            writer.Write('\n');
            written++;
            if (random.Next(100) == 0) { writer.Write(line); writer.Write('\n'); written++; }
        }

        for (var person = 1; written < rows; person++)
        {
            cells[CldColumns.LaCode] = "E06009999";
            cells[CldColumns.LaName] = "Harbridge City Council";
            cells[CldColumns.PeriodStart] = D(first);
            cells[CldColumns.PeriodEnd] = D(last);
            cells[CldColumns.LaPersonId] = "P" + person.ToString(CultureInfo.InvariantCulture);
            cells[CldColumns.NhsNumber] = random.Next(10) == 0 ? null : "N" + ((long)person * 7919).ToString("x", CultureInfo.InvariantCulture);
            cells[CldColumns.NhsNumberTraced] = cells[CldColumns.NhsNumber];
            cells[CldColumns.Gender] = random.Next(2) == 0 ? "Female" : "Male";
            cells[CldColumns.Ethnicity] = "White: English, Welsh, Scottish, Northern Irish or British";
            var birth = new DateOnly(1925 + random.Next(80), 1 + random.Next(12), 1);
            cells[CldColumns.DateOfBirth] = D(birth);
            cells[CldColumns.BirthYear] = birth.Year.ToString(CultureInfo.InvariantCulture);
            cells[CldColumns.BirthMonth] = birth.Month.ToString(CultureInfo.InvariantCulture);
            cells[CldColumns.PrimarySupportReason] = random.Next(4) == 0 ? "Learning disability support" : "Physical support: Personal care support";
            cells[CldColumns.AccommodationStatus] = random.Next(5) == 0 ? "Registered care home" : "Owner occupier or shared ownership scheme";

            var start = first.AddDays(random.Next(last.DayNumber - first.DayNumber - 60));
            var requestEnd = start.AddDays(random.Next(15));
            Emit("Request", start, requestEnd, "Progress to assessment, review or reassessment", () => cells[CldColumns.RouteOfAccess] = "Community or other route");
            var assessed = requestEnd.AddDays(1 + random.Next(40));
            Emit("Assessment", requestEnd.AddDays(1), assessed, "Progress to support planning or services", () => cells[CldColumns.AssessmentType] = "Long term assessment");
            var segment = assessed.AddDays(1);
            var cost = 200 + random.Next(800);
            while (segment <= last)
            {
                var yearEnd = new DateOnly(segment.Month >= 4 ? segment.Year + 1 : segment.Year, 3, 31);
                var open = yearEnd >= last;
                var weekly = cost.ToString(CultureInfo.InvariantCulture);
                Emit("Service", segment, open ? null : yearEnd, open ? null : "Continuation of support or services", () =>
                {
                    cells[CldColumns.ServiceType] = "Long term support: Community";
                    cells[CldColumns.ServiceComponent] = "Home support or domiciliary care";
                    cells[CldColumns.DeliveryMechanism] = "CASSR commissioned support";
                    cells[CldColumns.UnitCost] = weekly;
                    cells[CldColumns.CostFrequency] = "Weekly";
                    cells[CldColumns.PlannedUnits] = "1";
                });
                if (!open && random.Next(2) == 0)
                    Emit("Review", yearEnd.AddDays(-20), yearEnd.AddDays(-15), "Continuation of support or services", () => cells[CldColumns.ReviewReason] = "Planned");
                if (open || random.Next(3) == 0) break;
                segment = yearEnd.AddDays(1);
                cost += cost / 20;
            }
        }
    }

    private static long Peak()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.PeakWorkingSet64;
    }
}
