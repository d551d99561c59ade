using Forecasting.Engine.Models;
using static Forecasting.Engine.Tests.RReference;

namespace Forecasting.Engine.Tests;

/// <summary>Agreement with R's forecast package (values in RReference, produced by reference/make_reference.R).</summary>
[Trait("Category", "unit")]
public class ReferenceAgreementTests
{
    private static double[] Fc(IForecastModel m, double[] y, int period, int h) => m.Fit(y, period).Forecast(h);
    private static double[] Sd(IForecastModel m, double[] y, int period, int h) => m.Fit(y, period).ForecastStdDev(h);

    [Fact]
    public void Baselines_match_R_exactly()
    {
        TestUtil.Close(YAF2_naive, Fc(new NaiveModel(), YAF2_y, 1, 8), 1e-9, "naive YAF2");
        TestUtil.Close(QNB1_naive, Fc(new NaiveModel(), QNB1_y, 4, 8), 1e-9, "naive QNB1");
        TestUtil.Close(YAF2_drift, Fc(new DriftModel(), YAF2_y, 1, 8), 1e-9, "drift YAF2");
        TestUtil.Close(QNB1_drift, Fc(new DriftModel(), QNB1_y, 4, 8), 1e-9, "drift QNB1");
        TestUtil.Close(QNB1_snaive, Fc(new SeasonalNaiveModel(), QNB1_y, 4, 8), 1e-9, "snaive QNB1");
        TestUtil.Close(MNB1_snaive, Fc(new SeasonalNaiveModel(), MNB1_y, 12, 24), 1e-9, "snaive MNB1");
        TestUtil.Close(AirPassengers_snaive, Fc(new SeasonalNaiveModel(), AirPassengers_y, 12, 24), 1e-9, "snaive AirPassengers");
    }

    [Fact]
    public void Baseline_error_scales_match_R()
    {
        TestUtil.Close(YAF2_naive_sd, Sd(new NaiveModel(), YAF2_y, 1, 8), 1e-6, "naive sd YAF2");
        TestUtil.Close(QNB1_naive_sd, Sd(new NaiveModel(), QNB1_y, 4, 8), 1e-6, "naive sd QNB1");
        TestUtil.Close(YAF2_drift_sd, Sd(new DriftModel(), YAF2_y, 1, 8), 1e-6, "drift sd YAF2");
        TestUtil.Close(QNB1_drift_sd, Sd(new DriftModel(), QNB1_y, 4, 8), 1e-6, "drift sd QNB1");
    }

    [Fact]
    public void Theta_matches_R_thetaf()
    {
        TestUtil.Close(YAF2_theta, Fc(new ThetaModel(), YAF2_y, 1, 8), 1e-3, "theta YAF2");
        TestUtil.Close(QNB1_theta, Fc(new ThetaModel(), QNB1_y, 4, 8), 1e-3, "theta QNB1");
        TestUtil.Close(MNB1_theta, Fc(new ThetaModel(), MNB1_y, 12, 24), 1e-3, "theta MNB1 (seasonal test)");
        TestUtil.Close(AirPassengers_theta, Fc(new ThetaModel(), AirPassengers_y, 12, 24), 1e-3, "theta AirPassengers (multiplicative decomposition)");
    }

    [Fact]
    public void Ets_non_seasonal_matches_R_ets()
    {
        var ann = new EtsModel(EtsSpec.Parse("ANN"));
        TestUtil.Close(YAF2_ets_ANN, Fc(ann, YAF2_y, 1, 8), 1e-3, "ETS(A,N,N) YAF2");
        TestUtil.Close(QNB1_ets_ANN, Fc(ann, QNB1_y, 4, 8), 1e-3, "ETS(A,N,N) QNB1");
        TestUtil.Close(QNB1_ets_ANN_sd, Sd(ann, QNB1_y, 4, 8), 2e-2, "ETS(A,N,N) sd QNB1");
        Assert.Equal(QNB1_ets_ANN_par[0], ann.Fit(QNB1_y, 4).Parameters["alpha"], 2);
        TestUtil.Close(QNB1_ets_AAN, Fc(new EtsModel(EtsSpec.Parse("AAN")), QNB1_y, 4, 8), 1e-2, "ETS(A,A,N) QNB1");
        TestUtil.Close(YAF2_ets_AAN, Fc(new EtsModel(EtsSpec.Parse("AAN")), YAF2_y, 1, 8), 2e-2, "ETS(A,A,N) YAF2");
    }

    [Fact]
    public void Ets_damped_fits_at_least_as_well_as_R_and_forecasts_close()
    {
        // Likelihood surfaces of damped models are flat; our optimum has a slightly smaller error variance than R's
        // (same n - np denominator), so forecasts are compared with a looser tolerance.
        var q = new EtsModel(EtsSpec.Parse("AAdN")).Fit(QNB1_y, 4);
        Assert.True(q.Parameters["sigma2"] <= QNB1_ets_AAdN_sigma2[0] * 1.0001, $"sigma2 {q.Parameters["sigma2"]} vs R {QNB1_ets_AAdN_sigma2[0]}");
        TestUtil.Close(QNB1_ets_AAdN, q.Forecast(8), 2.5e-2, "ETS(A,Ad,N) QNB1");
        var y = new EtsModel(EtsSpec.Parse("AAdN")).Fit(YAF2_y, 1);
        Assert.True(y.Parameters["sigma2"] <= YAF2_ets_AAdN_sigma2[0] * 1.0001, $"sigma2 {y.Parameters["sigma2"]} vs R {YAF2_ets_AAdN_sigma2[0]}");
        TestUtil.Close(YAF2_ets_AAdN, y.Forecast(8), 2.5e-2, "ETS(A,Ad,N) YAF2");
    }

    [Fact]
    public void Ets_seasonal_close_to_R_ets()
    {
        var aaa = new EtsModel(EtsSpec.Parse("AAA")).Fit(AirPassengers_y, 12);
        Assert.True(aaa.Parameters["sigma2"] <= AirPassengers_ets_AAA_sigma2[0] * 1.01, $"AAA sigma2 {aaa.Parameters["sigma2"]} vs R {AirPassengers_ets_AAA_sigma2[0]}");
        // ETS(A,A,A) is misspecified for AirPassengers and its likelihood is flat: R settles near alpha 0.99,
        // gamma 0.0006; we reach an error variance within 1% of R's with different parameters, so only fit quality is compared.
        // R's optimiser stops at a local optimum for ETS(M,A,M) (alpha 0.39, gamma 0.40); ours reaches a smaller
        // error variance, so only the fit quality and the rough level of the forecasts are compared.
        var mam = new EtsModel(EtsSpec.Parse("MAM")).Fit(AirPassengers_y, 12);
        Assert.True(mam.Parameters["sigma2"] <= AirPassengers_ets_MAM_sigma2[0], $"MAM sigma2 {mam.Parameters["sigma2"]} vs R {AirPassengers_ets_MAM_sigma2[0]}");
        TestUtil.Close(AirPassengers_ets_MAM, mam.Forecast(24), 0.15, "ETS(M,A,M) AirPassengers");
    }
}
