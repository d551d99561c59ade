namespace Forecasting.Engine;

/// <summary>Point and interval accuracy measures (M3/M4 definitions).</summary>
public static class Accuracy
{
    /// <summary>200|a-f|/(|a|+|f|); 0 when both are 0.</summary>
    public static double SmapeTerm(double actual, double forecast)
    {
        double d = Math.Abs(actual) + Math.Abs(forecast);
        return d == 0 ? 0 : 200 * Math.Abs(actual - forecast) / d;
    }

    public static double Smape(double[] actual, double[] forecast) => actual.Select((a, i) => SmapeTerm(a, forecast[i])).Average();

    /// <summary>Mean absolute error scaled by the in-sample seasonal naive MAE of <paramref name="train"/>.</summary>
    public static double Mase(double[] train, int period, double[] actual, double[] forecast)
    {
        double scale = SeriesTools.NaiveScale(train, train.Length > period ? period : 1);
        return actual.Select((a, i) => Math.Abs(a - forecast[i])).Average() / scale;
    }

    /// <summary>Fraction of actuals inside [lower, upper].</summary>
    public static double Coverage(double[] actual, double[] lower, double[] upper) =>
        actual.Select((a, i) => a >= lower[i] && a <= upper[i] ? 1.0 : 0.0).Average();

    /// <summary>
    /// Mean scaled interval score (M4): mean over the horizon of (U - L) + (2/a)(L - y)[y &lt; L] + (2/a)(y - U)[y &gt; U],
    /// a = 1 - level/100, divided by the in-sample seasonal naive MAE of <paramref name="train"/> (as MASE).
    /// </summary>
    public static double Msis(double[] train, int period, double[] actual, double[] lower, double[] upper, double level)
    {
        double a = 1 - level / 100, scale = SeriesTools.NaiveScale(train, train.Length > period ? period : 1);
        double sum = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            double y = actual[i], lo = lower[i], hi = upper[i];
            sum += hi - lo + (y < lo ? 2 / a * (lo - y) : 0) + (y > hi ? 2 / a * (y - hi) : 0);
        }
        return sum / actual.Length / scale;
    }
}
