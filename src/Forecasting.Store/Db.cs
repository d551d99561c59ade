using System.Data.Common;
using DuckDB.NET.Data;

namespace Forecasting.Store;

internal static class Db
{
    public static DuckDBCommand Command(DuckDBConnection conn, string sql, params (string Name, object? Value)[] parameters)
    {
        var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters)
            cmd.Parameters.Add(new DuckDBParameter(name, value ?? DBNull.Value));
        return cmd;
    }

    public static List<T> Query<T>(DuckDBConnection conn, string sql, Func<DbDataReader, T> map, params (string Name, object? Value)[] parameters)
    {
        using var cmd = Command(conn, sql, parameters);
        using var reader = cmd.ExecuteReader();
        var list = new List<T>();
        while (reader.Read()) list.Add(map(reader));
        return list;
    }

    public static int Execute(DuckDBConnection conn, string sql, params (string Name, object? Value)[] parameters)
    {
        using var cmd = Command(conn, sql, parameters);
        return cmd.ExecuteNonQuery();
    }

    public static object? Scalar(DuckDBConnection conn, string sql, params (string Name, object? Value)[] parameters)
    {
        using var cmd = Command(conn, sql, parameters);
        var v = cmd.ExecuteScalar();
        return v is DBNull ? null : v;
    }

    public static DateOnly Date(DbDataReader r, int i) => r.GetValue(i) switch
    {
        DateOnly d => d,
        DateTime dt => DateOnly.FromDateTime(dt),
        var v => DateOnly.FromDateTime(Convert.ToDateTime(v)),
    };

    public static DateOnly? NullableDate(DbDataReader r, int i) => r.IsDBNull(i) ? null : Date(r, i);
    public static string? NullableString(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
    public static long Long(DbDataReader r, int i) => r.GetValue(i) is System.Numerics.BigInteger b ? (long)b : Convert.ToInt64(r.GetValue(i));
    public static double Double(DbDataReader r, int i) => r.GetValue(i) is System.Numerics.BigInteger b ? (double)b : Convert.ToDouble(r.GetValue(i));

    public static DateTimeOffset Timestamp(DbDataReader r, int i) => r.GetValue(i) switch
    {
        DateTime dt => new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)),
        DateTimeOffset o => o,
        var v => new DateTimeOffset(DateTime.SpecifyKind(Convert.ToDateTime(v), DateTimeKind.Utc)),
    };

    /// <summary>Timestamps are stored as UTC without zone.</summary>
    public static DateTime Utc(DateTimeOffset t) => DateTime.SpecifyKind(t.UtcDateTime, DateTimeKind.Unspecified);

    /// <summary>SQL for the financial year of a DATE expression.</summary>
    public static string Fy(string column) => Forecasting.Domain.FinancialYear.Sql(column);
}
