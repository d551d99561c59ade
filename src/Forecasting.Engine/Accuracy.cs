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
}
