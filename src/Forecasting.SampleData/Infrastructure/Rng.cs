namespace Forecasting.SampleData.Infrastructure;

/// <summary>
/// A thin wrapper over <see cref="System.Random"/> seeded per table, so that changing how one
/// table is generated never shifts the random stream of another.
/// </summary>
public sealed class Rng
{
    private readonly Random _random;

    public Rng(int seed) => _random = new Random(seed);

    /// <summary>A fixed seed derived from the run seed and a table name (FNV-1a of the name).</summary>
    public static Rng For(int seed, string stream)
    {
        uint hash = 2166136261;
        foreach (var c in stream)
        {
            hash ^= c;
            hash *= 16777619;
        }
        return new Rng((int)(((uint)seed ^ hash) & 0x7fffffff));
    }

    public double NextDouble() => _random.NextDouble();

    /// <summary>Uniform integer in [min, maxExclusive).</summary>
    public int Next(int min, int maxExclusive) => _random.Next(min, maxExclusive);

    public bool Chance(double probability) => _random.NextDouble() < probability;

    public double Uniform(double min, double max) => min + (max - min) * _random.NextDouble();

    /// <summary>Standard normal by Box-Muller.</summary>
    public double Normal()
    {
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    public double Exponential(double mean) => -mean * Math.Log(1.0 - _random.NextDouble());

    public int Poisson(double lambda)
    {
        if (lambda <= 0) return 0;
        if (lambda > 60) return Math.Max(0, (int)Math.Round(lambda + Math.Sqrt(lambda) * Normal()));
        var limit = Math.Exp(-lambda);
        var k = 0;
        var p = _random.NextDouble();
        while (p > limit)
        {
            k++;
            p *= _random.NextDouble();
        }
        return k;
    }

    /// <summary>Uniform date in [from, to] inclusive.</summary>
    public DateOnly DateBetween(DateOnly from, DateOnly to)
    {
        var span = to.DayNumber - from.DayNumber;
        return span <= 0 ? from : from.AddDays(_random.Next(0, span + 1));
    }

    public T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(0, items.Count)];

    public void Shuffle<T>(IList<T> list)
    {
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = _random.Next(0, i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }
}

/// <summary>A discrete distribution over values, picked with an <see cref="Rng"/>.</summary>
public sealed class Weighted<T>
{
    private readonly T[] _values;
    private readonly double[] _cumulative;

    public Weighted(params (T Value, double Weight)[] options)
    {
        _values = options.Select(o => o.Value).ToArray();
        _cumulative = new double[options.Length];
        double total = 0;
        for (var i = 0; i < options.Length; i++)
        {
            total += options[i].Weight;
            _cumulative[i] = total;
        }
        for (var i = 0; i < _cumulative.Length; i++) _cumulative[i] /= total;
    }

    public T Pick(Rng rng)
    {
        var u = rng.NextDouble();
        for (var i = 0; i < _cumulative.Length; i++)
            if (u < _cumulative[i]) return _values[i];
        return _values[^1];
    }
}
