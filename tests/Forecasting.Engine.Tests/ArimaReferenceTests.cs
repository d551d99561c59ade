using Forecasting.Engine.Models;

namespace Forecasting.Engine.Tests;

/// <summary>
/// ARIMA against R 4 with forecast 8.20 (reference values printed by the R calls quoted at each test; data are R's
/// WWWusage, AirPassengers and lh, and the train part of M1 series YAB6). Tolerances: coefficients 2e-3 absolute
/// (R optimises with BFGS, the engine with Nelder-Mead, on the same likelihood), log-likelihood and AICc 1e-3
/// relative, point forecasts and 95% upper bounds 1e-3 relative.
/// </summary>
[Trait("Category", "unit")]
public class ArimaReferenceTests
{
    internal static readonly double[] WWWusage = { 88, 84, 85, 85, 84, 85, 83, 85, 88, 89, 91, 99, 104, 112, 126, 138, 146, 151, 150, 148, 147, 149, 143, 132, 131, 139, 147, 150, 148, 145, 140, 134, 131, 131, 129, 126, 126, 132, 137, 140, 142, 150, 159, 167, 170, 171, 172, 172, 174, 175, 172, 172, 174, 174, 169, 165, 156, 142, 131, 121, 112, 104, 102, 99, 99, 95, 88, 84, 84, 87, 89, 88, 85, 86, 89, 91, 91, 94, 101, 110, 121, 135, 145, 149, 156, 165, 171, 175, 177, 182, 193, 204, 208, 210, 215, 222, 228, 226, 222, 220 };
    internal static readonly double[] AirPassengers = { 112, 118, 132, 129, 121, 135, 148, 148, 136, 119, 104, 118, 115, 126, 141, 135, 125, 149, 170, 170, 158, 133, 114, 140, 145, 150, 178, 163, 172, 178, 199, 199, 184, 162, 146, 166, 171, 180, 193, 181, 183, 218, 230, 242, 209, 191, 172, 194, 196, 196, 236, 235, 229, 243, 264, 272, 237, 211, 180, 201, 204, 188, 235, 227, 234, 264, 302, 293, 259, 229, 203, 229, 242, 233, 267, 269, 270, 315, 364, 347, 312, 274, 237, 278, 284, 277, 317, 313, 318, 374, 413, 405, 355, 306, 271, 306, 315, 301, 356, 348, 355, 422, 465, 467, 404, 347, 305, 336, 340, 318, 362, 348, 363, 435, 491, 505, 404, 359, 310, 337, 360, 342, 406, 396, 420, 472, 548, 559, 463, 407, 362, 405, 417, 391, 419, 461, 472, 535, 622, 606, 508, 461, 390, 432 };
    internal static readonly double[] Lh = { 2.4, 2.4, 2.4, 2.2, 2.1, 1.5, 2.3, 2.3, 2.5, 2, 1.9, 1.7, 2.2, 1.8, 3.2, 3.2, 2.7, 2.2, 2.2, 1.9, 1.9, 1.8, 2.7, 3, 2.3, 2, 2, 2.9, 2.9, 2.7, 2.7, 2.3, 2.6, 2.4, 1.8, 1.7, 1.5, 1.4, 2.1, 3.3, 3.5, 3.5, 3.1, 2.6, 2.1, 3.4, 3, 2.9 };
    internal static readonly double[] Yab6 = { 119, 111, 163, 203, 197, 192, 94, 151, 258, 147, 180, 151, 147, 213, 152, 124, 118, 167, 152, 169, 121, 106, 165, 183, 249, 199, 272, 236, 422, 550, 595, 503, 856, 563, 604, 616, 698, 658, 464, 703, 901, 585, 929, 660 };

    private static void Check(ArimaModel.ArimaFit f, double[] coef, double loglik, double aicc, double[] mean, double[] upper95)
    {
        Assert.Equal(coef.Length, f.Coefficients.Count);
        for (int i = 0; i < coef.Length; i++) Assert.True(Math.Abs(coef[i] - f.Coefficients[i]) <= 2e-3 * Math.Max(1, Math.Abs(coef[i])), $"coef {i}: R {coef[i]}, engine {f.Coefficients[i]}");
        Assert.True(Math.Abs(f.Loglik - loglik) <= 1e-3 * Math.Abs(loglik), $"loglik: R {loglik}, engine {f.Loglik}");
        Assert.True(Math.Abs(f.Aicc - aicc) <= 1e-3 * Math.Abs(aicc), $"aicc: R {aicc}, engine {f.Aicc}");
        TestUtil.Close(mean, f.Forecast(mean.Length), 1e-3, "mean");
        var sd = f.ForecastStdDev(mean.Length);
        var fc = f.Forecast(mean.Length);
        TestUtil.Close(upper95, fc.Select((v, k) => v + 1.959963984540054 * sd[k]).ToArray(), 1e-3, "upper 95");
    }

    private static ArimaModel.ArimaFit Fit(double[] y, ArimaOrder o) => (ArimaModel.ArimaFit)new ArimaModel(o).Fit(y, o.Period);

    [Fact]
    public void WWWusage_arima_1_1_1()
    {
        // R: f <- Arima(WWWusage, order = c(1,1,1)); coef(f); f$loglik; f$aicc; forecast(f, h = 6)
        Check(Fit(WWWusage, new ArimaOrder(1, 1, 1)), new[] { 0.6503759762, 0.525595889 }, -254.1497358, 514.5521032,
            new[] { 218.8804967, 218.1523987, 217.6788612, 217.3708838, 217.1705828, 217.0403117 },
            new[] { 225.0769982, 232.9915042, 241.1791557, 249.0909686, 256.5342696, 263.4656973 });
    }

    [Fact]
    public void Airline_model_on_log_AirPassengers()
    {
        // R: f <- Arima(log(AirPassengers), order = c(0,1,1), seasonal = c(0,1,1)); forecast(f, h = 12)
        Check(Fit(AirPassengers.Select(v => Math.Log(v)).ToArray(), new ArimaOrder(0, 1, 1, 0, 1, 1, 12)), new[] { -0.4018280168, -0.5569448384 }, 244.6995306, -483.2100848,
            new[] { 6.110185743, 6.053775271, 6.171714856, 6.199300448, 6.232555979, 6.368778676, 6.507293783, 6.502906417, 6.324698246, 6.209008033, 6.063487435, 6.168024882 },
            new[] { 6.182764301, 6.138347492, 6.266779434, 6.303809239, 6.345723558, 6.489988057, 6.636043647, 6.638778934, 6.467338192, 6.358108562, 6.218780001, 6.329271881 });
    }

    [Fact]
    public void Lh_ar1_with_mean()
    {
        // R: f <- Arima(lh, order = c(1,0,0)); forecast(f, h = 4)
        Check(Fit(Lh, new ArimaOrder(1, 0, 0, Constant: true)), new[] { 0.5739296014, 2.413287958 }, -29.37916239, 65.30377932,
            new[] { 2.692626406, 2.573608562, 2.505300698, 2.466096793 },
            new[] { 3.582363743, 3.599470382, 3.572205354, 3.54617934 });
    }

    [Fact]
    public void Yearly_M1_series_ar1_with_drift()
    {
        // R: f <- Arima(ts(yab6), order = c(1,1,0), include.drift = TRUE); forecast(f, h = 6)
        Check(Fit(Yab6, new ArimaOrder(1, 1, 0, Constant: true)), new[] { -0.5940972809, 15.24645661 }, -263.2105603, 533.0365051,
            new[] { 844.1165036, 759.0377245, 833.8871308, 813.7236371, 850.0070489, 852.7555076 },
            new[] { 1064.179841, 996.5386805, 1124.22206, 1128.206462, 1197.688222, 1224.643475 });
    }

    [Fact]
    public void Auto_order_agrees_with_auto_arima()
    {
        // R: auto.arima(WWWusage) is ARIMA(1,1,1); auto.arima(ts(yab6)) is ARIMA(0,1,2) with drift.
        Assert.Equal(new ArimaOrder(1, 1, 1), ArimaModel.AutoOrder(WWWusage, 1));
        var y6 = (ArimaModel.ArimaFit)new ArimaModel().Fit(Yab6, 1);
        Assert.Equal(new ArimaOrder(0, 1, 2, Constant: true), y6.Order);
        // R: coef -0.8087713227 0.3631299386 15.35961409; loglik -260.9950419; aicc 531.0427154
        Check(y6, new[] { -0.8087713227, 0.3631299386, 15.35961409 }, -260.9950419, 531.0427154,
            new[] { 834.7072665, 800.3678699, 815.727484, 831.087098, 846.4467121, 861.8063262 },
            new[] { 1045.624564, 1015.106997, 1060.235301, 1102.113393, 1141.618581, 1179.292723 });
    }
}
