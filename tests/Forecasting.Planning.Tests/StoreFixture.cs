using System.Reflection;
using DuckDB.NET.Data;
using Forecasting.Store.Planning;

namespace Forecasting.Planning.Tests;

/// <summary>An in-memory DuckDB with the Store's embedded migrations applied in name order.</summary>
public static class TestStore
{
    public static IReadOnlyList<(string Name, string Sql)> Migrations()
    {
        var assembly = Assembly.Load("Forecasting.Store");
        var list = assembly.GetManifestResourceNames()
            .Where(n => n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                using var stream = assembly.GetManifestResourceStream(n)!;
                using var reader = new StreamReader(stream);
                return (Name: n, Sql: reader.ReadToEnd());
            })
            .OrderBy(m => m.Name, StringComparer.Ordinal)
            .ToList();
        Assert.Contains(list, m => m.Name.EndsWith("002_planning.sql"));
        return list;
    }

    public static DuckDBConnection Open()
    {
        var conn = new DuckDBConnection("Data Source=:memory:");
        conn.Open();
        foreach (var (_, sql) in Migrations()) Exec(conn, sql);
        return conn;
    }

    /// <summary>A runner on the connection: baselines loaded from it, scenarios and results stored in it.</summary>
    public static ScenarioRunner Runner(DuckDBConnection conn, IFlowProjector projector) =>
        new(new PlanningDataLoader(conn), new ScenarioRepository(conn), projector);

    public static void Exec(DuckDBConnection conn, string sql)
    {
        using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    public const string Council = "E00000001";

    /// <summary>A small hand-made dataset; LoaderTests lists the values expected from it.</summary>
    public static void Seed(DuckDBConnection conn)
    {
        Exec(conn, """
            INSERT INTO waiting_list VALUES
              ('E00000001', 'W1', '2024-01-01', 'ld_autism', 'shared', '25-64', NULL, NULL),
              ('E00000001', 'W2', '2024-06-01', 'ld_autism', 'shared', '25-64', '2025-01-10', 'housed'),
              ('E00000001', 'W3', '2025-04-05', 'ld_autism', 'shared', '25-64', NULL, NULL),
              ('E00000001', 'W4', '2023-01-01', 'mental_health', 'no_preference', '25-64', '2025-05-01', 'housed'),
              ('E00000002', 'W5', '2023-01-01', 'mental_health', 'no_preference', '25-64', NULL, NULL);
            INSERT INTO admissions VALUES
              ('E00000001', 'A1', 'R1', '2020-01-01', 'residential', 40, 'learning_disability', NULL, 'council', 'community', true),
              ('E00000001', 'A2', 'R2', '2019-01-01', 'residential', 50, 'mental_health', NULL, 'council', 'community', true),
              ('E00000001', 'A3', 'R3', '2024-10-01', 'residential', 70, NULL, NULL, 'council', 'hospital', true),
              ('E00000001', 'A4', 'R4', '2024-12-01', 'nursing', 80, 'physical_support', NULL, 'council', 'hospital', false),
              ('E00000001', 'A5', 'R5', '2024-05-01', 'residential', 30, 'learning_disability', NULL, 'council', 'community', false),
              ('E00000001', 'A6', 'R6', '2025-06-01', 'residential', 30, 'learning_disability', NULL, 'council', 'community', true);
            INSERT INTO leavers VALUES ('E00000001', 'A2', '2024-06-01', 'moved_to_supported_living');
            INSERT INTO transitions VALUES
              ('E00000001', 'T1', '2008-01-01', 'pmld', 'supported_living', NULL, true, 0.8, '2025-01-01'),
              ('E00000001', 'T2', '2006-01-01', 'autism', 'supported_living', NULL, false, 0.9, '2023-01-01');
            INSERT INTO accommodation_needs VALUES
              ('E00000001', 'N1', 'inpatient', 'mental_health', '2024-01-01', '2025-06-30', NULL),
              ('E00000001', 'N2', 'temporary_accommodation', 'ld_autism', '2024-02-01', '2026-02-01', '2025-02-01'),
              ('E00000001', 'N3', 'older_awaiting_extra_care', 'older_dementia', '2025-05-01', '2026-01-01', NULL),
              ('E00000001', 'N4', 'inpatient', 'mental_health', '2024-01-01', '2025-03-01', NULL);
            INSERT INTO schemes VALUES
              ('E00000001', 'S1', 'Oak Court', 'supported_living', 'ld_autism', NULL, true, 'council', 'P', 'self_contained', '2010-01-01', NULL),
              ('E00000001', 'S2', 'Far House', 'supported_living', 'mental_health', NULL, false, 'rsl', 'P', 'shared', '2012-01-01', '2026-06-30');
            INSERT INTO units VALUES
              ('E00000001', 'U1', 'S1'), ('E00000001', 'U2', 'S1'), ('E00000001', 'U3', 'S1'), ('E00000001', 'U4', 'S1'), ('E00000001', 'U5', 'S2');
            INSERT INTO unit_status VALUES
              ('E00000001', 'U1', 'occupied', '2020-01-01', NULL),
              ('E00000001', 'U2', 'occupied', '2020-01-01', '2025-03-01'),
              ('E00000001', 'U2', 'void', '2025-03-01', NULL),
              ('E00000001', 'U3', 'offline', '2025-01-01', NULL),
              ('E00000001', 'U4', 'void', '2025-05-01', NULL),
              ('E00000001', 'U5', 'occupied', '2024-03-15', NULL);
            INSERT INTO tenancies VALUES
              ('E00000001', 'TN1', 'U1', 'P1', '2025-02-10', NULL, NULL),
              ('E00000001', 'TN2', 'U2', 'P2', '2020-01-01', '2025-03-01', 'moved_on'),
              ('E00000001', 'TN3', 'U5', 'P3', '2024-03-15', NULL, NULL),
              ('E00000001', 'TN4', 'U1', 'P4', '2019-06-01', '2025-02-09', 'deceased');
            INSERT INTO pipeline VALUES
              ('E00000001', 'PL1', 'Birch View', 6, 'supported_living', 'ld_autism', 'self_contained', true, '2026-06-30', 'Phase 2', 'confirmed', '2025-01-01'),
              ('E00000001', 'PL2', 'Old Win', 4, 'supported_living', 'ld_autism', 'self_contained', true, '2023-06-30', 'Phase 1', 'delivered', '2023-06-30');
            INSERT INTO population VALUES
              ('E00000001', 2025, '0-17', 'principal', 'ONS 2022 SNPP', 500),
              ('E00000001', 2025, '18-24', 'principal', 'ONS 2022 SNPP', 100),
              ('E00000001', 2025, '25-64', 'principal', 'ONS 2022 SNPP', 900),
              ('E00000001', 2025, '65-74', 'principal', 'ONS 2022 SNPP', 50),
              ('E00000001', 2025, '75-84', 'principal', 'ONS 2022 SNPP', 30),
              ('E00000001', 2025, '85+', 'principal', 'ONS 2022 SNPP', 20),
              ('E00000001', 2030, '18-24', 'principal', 'ONS 2022 SNPP', 110),
              ('E00000001', 2030, '25-64', 'principal', 'ONS 2022 SNPP', 990);
            INSERT INTO contacts VALUES
              ('E00000001', 'C1', '2024-05-01', 'community', 'phone', NULL, NULL, NULL, 'long_term_support', false),
              ('E00000001', 'C2', '2024-06-01', 'community', 'phone', NULL, NULL, NULL, 'information_advice', false),
              ('E00000001', 'C3', '2024-07-01', 'community', 'phone', NULL, NULL, NULL, 'information_advice', false),
              ('E00000001', 'C4', '2025-03-31', 'community', 'phone', NULL, NULL, NULL, 'no_further_action', false),
              ('E00000001', 'C5', '2023-03-01', 'community', 'phone', NULL, NULL, NULL, 'long_term_support', false);
            INSERT INTO strategies VALUES
              ('E00000001', 'sl-2021', 1, 'Supported living strategy', 2021, 2030, NULL, '2021-03-16 10:00:00', 'R. Okafor', 'Initial');
            INSERT INTO strategy_phases VALUES
              ('E00000001', 'sl-2021', 1, 'Phase 1', 2021, 2021, 196),
              ('E00000001', 'sl-2021', 1, 'Phase 2', 2022, 2025, 66),
              ('E00000001', 'sl-2021', 1, 'Phase 3', 2026, 2030, 289);
            INSERT INTO councils VALUES ('E00000001', 'Test council', 'Test region'), ('E00000002', 'Second council', 'Test region');
            INSERT INTO snapshots (snapshot_id, created_at, source, table_counts, as_of_date) VALUES
              ('snap-old', '2025-01-01 00:00:00', 'csv', '{}', '2024-12-31'),
              ('snap-new', '2025-04-02 00:00:00', 'csv', '{}', '2025-03-31');
            """);
    }
}
