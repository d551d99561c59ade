using Forecasting.Domain;
using static Forecasting.Store.Analytics.MetricCatalog;

namespace Forecasting.Store.Analytics;

public enum MeasureShape { Flow, Stock }

public enum Polarity { HigherIsBetter, LowerIsBetter, Neutral }

/// <summary>
/// One reported measure: what it counts, over what, from when, and the SQL that computes it. Table alias x is the
/// main row. A flow sums <see cref="NumeratorSql"/> (and <see cref="DenominatorSql"/>) over the events dated
/// <see cref="DateSql"/> in a period; a stock evaluates them over the rows of <see cref="FromSql"/> at a snapshot
/// date, written <c>$as_of</c>. <c>$to</c> stands for the last day of the requested range (service episodes are
/// spread over the months they cover up to it). A measure with a denominator reports numerator / denominator x
/// <see cref="Scale"/>; one with <see cref="PopulationAgeGroup"/> reports a rate per 100,000 of that population.
/// </summary>
public sealed record Measure(
    string Name,
    string Code,
    string Title,
    string Definition,
    MeasureShape Shape,
    string Unit,
    Polarity Polarity,
    string SourceTable,
    string FromSql,
    string RangeDateSql,
    string NumeratorSql,
    string NumeratorText,
    IReadOnlyList<Dimension> Dimensions,
    string? DateSql = null,
    string? DenominatorSql = null,
    string? DenominatorText = null,
    double Scale = 1,
    bool Proportion = false,
    string? PopulationAgeGroup = null,
    DateOnly? EffectiveFrom = null,
    bool EmptyIsZero = true)
{
    /// <summary>The Care Act 2014 took effect on 1 April 2015; local measures are defined from then.</summary>
    public static readonly DateOnly CareActStart = new(2015, 4, 1);

    public DateOnly EffectiveFromDate => EffectiveFrom ?? CareActStart;

    public bool HasDenominator => DenominatorSql is not null || PopulationAgeGroup is not null;

    /// <summary>The measure's value from its numerator and denominator: a rate per 100,000, a scaled ratio or the numerator itself.</summary>
    public double ValueOf(double numerator, double denominator) =>
        PopulationAgeGroup is not null ? (denominator > 0 ? numerator / denominator * 100_000 : double.NaN)
        : DenominatorSql is not null ? (denominator > 0 ? numerator / denominator * Scale : double.NaN)
        : numerator;
}

/// <summary>
/// The measures councils report to their committees (Domain/docs/measures.md, "What performance papers report"), each defined once: definition,
/// numerator, denominator, unit, polarity and the date the definition applies from. ASCOF measures follow the
/// 2023/24 handbook's definitions where they changed.
/// </summary>
public static class MeasureCatalog
{
    /// <summary>ASCOF was revised for 2023/24 (Domain/docs/measures.md, "ASCOF codes, old and new").</summary>
    private static readonly DateOnly AscofRevision = new(2023, 4, 1);

    private static Dimension AgeGroupFromBand(string column, bool nullable = false) => nullable
        ? new("age_group", $"CASE WHEN {column} IS NULL THEN '{NotSpecified}' WHEN {column} IN ('18-24', '25-64') THEN '18-64' ELSE '65+' END",
            [.. Vocabulary.AgeGroups, NotSpecified])
        : new("age_group", $"CASE WHEN {column} IN ('18-24', '25-64') THEN '18-64' ELSE '65+' END", Vocabulary.AgeGroups,
            new Dictionary<string, string> { ["18-64"] = $"{column} IN ('18-24', '25-64')", ["65+"] = $"{column} NOT IN ('18-24', '25-64')" });

    private static IReadOnlyList<Dimension> AgeDimensions(bool nullable = false) =>
        [AgeGroupFromBand("x.age_band", nullable), Coded("age_band", "x.age_band", Vocabulary.AgeBands, nullable)];

    private static readonly IReadOnlyList<Dimension> ServiceDimensions =
    [
        Coded("service_type", "x.service_type", Vocabulary.ServiceTypes),
        new("setting", "CASE WHEN x.service_type IN ('residential', 'nursing') THEN x.service_type ELSE 'community' END",
            ["residential", "nursing", "community"]),
        .. AgeDimensions(),
        Coded("psr", "x.psr", Vocabulary.PrimarySupportReasons, nullable: true),
        Coded("funding", "x.funding", Vocabulary.ServiceFundings),
        Locality(),
        Council(),
    ];

    private const string OpenService = "x.start_date <= $as_of AND (x.end_date IS NULL OR x.end_date > $as_of)";
    private const string CommunityService = "x.service_type NOT IN ('residential', 'nursing')";

    /// <summary>
    /// Service episodes spread over the calendar months they cover (to <c>$to</c> when open): m.month_start is the
    /// month and m.days the days of the episode in it, so hours and spend are counted in the months they happen.
    /// </summary>
    private const string ServiceMonths = """
        services x CROSS JOIN LATERAL (
            SELECT CAST(month_start AS DATE) AS month_start,
                   date_diff('day', greatest(x.start_date, CAST(month_start AS DATE)),
                       least(coalesce(x.end_date, CAST($to AS DATE) + 1), CAST(month_start + INTERVAL 1 MONTH AS DATE))) AS days
            FROM (SELECT unnest(generate_series(date_trunc('month', x.start_date),
                       date_trunc('month', least(coalesce(x.end_date - 1, CAST($to AS DATE)), CAST($to AS DATE))), INTERVAL 1 MONTH)) AS month_start)
        ) m
        """;

    private static readonly IReadOnlyList<Dimension> AssessmentDimensions =
    [
        Coded("priority", "x.priority", Vocabulary.AssessmentPriorities),
        .. AgeDimensions(nullable: true),
        Coded("psr", "x.psr", Vocabulary.PrimarySupportReasons, nullable: true),
        Council(),
    ];

    private static readonly IReadOnlyList<Dimension> ReablementDimensions =
    [
        Coded("source", "x.source", Vocabulary.ReablementSources),
        .. AgeDimensions(),
        Council(),
    ];

    private static readonly IReadOnlyList<Dimension> DischargeDimensions =
    [
        new("pathway", "CAST(x.pathway AS VARCHAR)", ["0", "1", "2", "3"]),
        .. AgeDimensions(),
        Council(),
    ];

    private static readonly IReadOnlyList<Dimension> AgeOnlyDimensions = [.. AgeDimensions(nullable: true), Council()];

    private static IReadOnlyList<Dimension> AdmissionDimensions =>
    [
        Coded("setting", "x.setting", Vocabulary.Settings),
        Coded("psr", "x.psr", Vocabulary.PrimarySupportReasons, nullable: true),
        Coded("funding", "x.funding", Vocabulary.Fundings),
        Coded("source", "x.source", Vocabulary.AdmissionSources),
        Council(),
    ];

    private const string AssessmentWait = "date_diff('day', x.received_date, $as_of)";
    private const string WaitingAssessment = "assessments x WHERE x.received_date <= $as_of AND (x.completed_date IS NULL OR x.completed_date > $as_of)";

    /// <summary>
    /// Open services joined to the reviews of the same person completed in the window ending at the date: a person
    /// counts as reviewed when any row has a review (a join the database runs as one hash join per person, where a
    /// correlated lookup per service and date was four times slower).
    /// </summary>
    private static string ServicesWithReviewsSince(string windowStart) => $"""
        services x LEFT JOIN reviews r ON r.council_code = x.council_code AND r.person_id = x.person_id
            AND r.completed_date > {windowStart} AND r.completed_date <= $as_of
        WHERE {OpenService}
        """;

    private const string Reviewed = "count(DISTINCT x.person_id) FILTER (WHERE r.review_id IS NOT NULL)";

    public static readonly IReadOnlyList<Measure> All =
    [
        // Long-term support
        new("lts_caseload", "", "People on long-term support",
            "People with at least one open long-term service at the date. In a breakdown a person with services of two types counts under each; the total counts each person once.",
            MeasureShape.Stock, "people", Polarity.Neutral, "services", $"services x WHERE {OpenService}", "x.start_date",
            "count(DISTINCT x.person_id)", "people with an open service at the date", ServiceDimensions),
        new("lts_new_starts", "", "New long-term services by setting",
            "Long-term service episodes starting in the period; a move to another service type is a start in the new one.",
            MeasureShape.Flow, "services", Polarity.Neutral, "services", "services x", "x.start_date",
            "count(*)", "service episodes starting in the period", ServiceDimensions, DateSql: "x.start_date"),
        new("home_care_people", "", "People receiving home care",
            "People with an open home care service at the date.",
            MeasureShape.Stock, "people", Polarity.Neutral, "services", $"services x WHERE {OpenService} AND x.service_type = 'home_care'", "x.start_date",
            "count(DISTINCT x.person_id)", "people with open home care", ServiceDimensions),
        new("home_care_hours", "", "Home care hours",
            "Planned weekly hours of home care spread over the days each package was open in the period (hours per week x days / 7).",
            MeasureShape.Flow, "hours", Polarity.Neutral, "services", $"{ServiceMonths} WHERE x.service_type = 'home_care'", "x.start_date",
            "sum(x.planned_hours_per_week * m.days / 7.0)", "planned weekly hours x days open in the period / 7", ServiceDimensions, DateSql: "m.month_start"),
        new("spend", "", "Spend on long-term services",
            "Weekly cost of each service for the days it was open in the period (weekly cost x days / 7).",
            MeasureShape.Flow, "GBP", Polarity.Neutral, "services", ServiceMonths, "x.start_date",
            "sum(x.weekly_cost * m.days / 7.0)", "weekly cost x days open in the period / 7", ServiceDimensions, DateSql: "m.month_start"),
        new("weekly_spend", "", "Weekly cost of open services",
            "The weekly cost of every service open at the date: the council's spend per week at that date.",
            MeasureShape.Stock, "GBP", Polarity.Neutral, "services", $"services x WHERE {OpenService}", "x.start_date",
            "sum(x.weekly_cost)", "weekly cost of services open at the date", ServiceDimensions),
        new("new_package_weekly_cost", "", "Weekly cost of new packages",
            "Average weekly cost of the long-term services starting in the period: package cost growth from year to year.",
            MeasureShape.Flow, "GBP", Polarity.LowerIsBetter, "services", "services x", "x.start_date",
            "sum(x.weekly_cost)", "weekly cost of the services starting in the period", ServiceDimensions, DateSql: "x.start_date",
            DenominatorSql: "count(*)", DenominatorText: "services starting in the period"),
        new("cost_per_home_care_hour", "", "Cost per home care hour",
            "Spend on home care divided by the home care hours of the same period.",
            MeasureShape.Flow, "GBP", Polarity.LowerIsBetter, "services", $"{ServiceMonths} WHERE x.service_type = 'home_care'", "x.start_date",
            "sum(x.weekly_cost * m.days / 7.0)", "home care spend in the period", ServiceDimensions, DateSql: "m.month_start",
            DenominatorSql: "sum(x.planned_hours_per_week * m.days / 7.0)", DenominatorText: "home care hours in the period"),
        new("care_home_weekly_cost", "", "Cost per care home week",
            "Spend on residential and nursing care divided by the weeks of care provided in the period.",
            MeasureShape.Flow, "GBP", Polarity.LowerIsBetter, "services", $"{ServiceMonths} WHERE x.service_type IN ('residential', 'nursing')", "x.start_date",
            "sum(x.weekly_cost * m.days / 7.0)", "care home spend in the period", ServiceDimensions, DateSql: "m.month_start",
            DenominatorSql: "sum(m.days / 7.0)", DenominatorText: "weeks of care home placements in the period"),

        // ASCOF
        new("ascof_1c1", "ASCOF 1C(1)", "Self-directed support",
            "Share of people on community-based long-term support whose support is self-directed: a direct payment or an individual service fund.",
            MeasureShape.Stock, "%", Polarity.HigherIsBetter, "services", $"services x WHERE {OpenService} AND {CommunityService}", "x.start_date",
            "count(DISTINCT x.person_id) FILTER (WHERE x.funding IN ('direct_payment', 'individual_service_fund'))",
            "people with a community service funded by direct payment or individual service fund", ServiceDimensions,
            DenominatorSql: "count(DISTINCT x.person_id)", DenominatorText: "people with an open community service (not residential or nursing)",
            Scale: 100, Proportion: true, EffectiveFrom: AscofRevision),
        new("ascof_1c2", "ASCOF 1C(2)", "Direct payments",
            "Share of people on community-based long-term support who receive a direct payment.",
            MeasureShape.Stock, "%", Polarity.HigherIsBetter, "services", $"services x WHERE {OpenService} AND {CommunityService}", "x.start_date",
            "count(DISTINCT x.person_id) FILTER (WHERE x.funding = 'direct_payment')", "people with a community service funded by direct payment",
            ServiceDimensions, DenominatorSql: "count(DISTINCT x.person_id)", DenominatorText: "people with an open community service (not residential or nursing)",
            Scale: 100, Proportion: true, EffectiveFrom: AscofRevision),
        new("ascof_1g", "ASCOF 1G", "Adults with a learning disability in their own home or with family",
            "Share of adults aged 18-64 with a learning disability on long-term support who live in their own home or with family; supported living counts as own home, residential care and an unrecorded status do not.",
            MeasureShape.Stock, "%", Polarity.HigherIsBetter, "services",
            $"services x WHERE {OpenService} AND x.psr = 'learning_disability' AND x.age_band IN ('18-24', '25-64')", "x.start_date",
            "count(DISTINCT x.person_id) FILTER (WHERE x.accommodation_status IN ('own_home_or_family', 'supported_living'))",
            "adults 18-64 with a learning disability whose accommodation is own home, family or supported living",
            [Coded("service_type", "x.service_type", Vocabulary.ServiceTypes), Coded("age_band", "x.age_band", Vocabulary.AgeBands), Council()],
            DenominatorSql: "count(DISTINCT x.person_id)", DenominatorText: "adults 18-64 with a learning disability on long-term support",
            Scale: 100, Proportion: true, EffectiveFrom: AscofRevision),
        new("ascof_2a1", "ASCOF 2A(1)", "Permanent admissions 18-64 per 100,000",
            "Adults aged 18-64 whose long-term needs were met by permanent admission to residential or nursing care, per 100,000 population aged 18-64.",
            MeasureShape.Flow, "per 100,000", Polarity.LowerIsBetter, "admissions", "admissions x WHERE x.age_at_admission < 65", "x.admission_date",
            "count(*)", "permanent admissions of people aged 18-64", AdmissionDimensions, DateSql: "x.admission_date",
            DenominatorText: "ONS mid-year population aged 18-64", PopulationAgeGroup: "18-64"),
        new("ascof_2a2", "ASCOF 2A(2)", "Permanent admissions 65+ per 100,000",
            "Adults aged 65 and over whose long-term needs were met by permanent admission to residential or nursing care, per 100,000 population aged 65 and over.",
            MeasureShape.Flow, "per 100,000", Polarity.LowerIsBetter, "admissions", "admissions x WHERE (x.age_at_admission >= 65 OR x.age_at_admission IS NULL)",
            "x.admission_date", "count(*)", "permanent admissions of people aged 65 and over", AdmissionDimensions, DateSql: "x.admission_date",
            DenominatorText: "ONS mid-year population aged 65 and over", PopulationAgeGroup: "65+"),
        new("ascof_2b1", "ASCOF 2B(1)", "At home 91 days after discharge into reablement",
            "Share of people aged 65 and over discharged from hospital into reablement who were at home 91 days after the episode ended; people who died count in the denominator. Episodes whose 91 days have not passed are not counted.",
            MeasureShape.Flow, "%", Polarity.HigherIsBetter, "reablement",
            "reablement x WHERE x.source = 'hospital_discharge' AND x.age_band IN ('65-74', '75-84', '85+') AND x.status_91_days IS NOT NULL", "x.end_date",
            "count(*) FILTER (WHERE x.status_91_days = 'at_home')", "episodes with the person at home 91 days after discharge", ReablementDimensions,
            DateSql: "x.end_date", DenominatorSql: "count(*)", DenominatorText: "episodes of people 65+ discharged from hospital into reablement, ended in the period",
            Scale: 100, Proportion: true),
        new("ascof_2d", "ASCOF 2D", "Short-term support with no further request for support",
            "Share of reablement episodes ended in the period after which the person needed no further support or only low-level support.",
            MeasureShape.Flow, "%", Polarity.HigherIsBetter, "reablement", "reablement x WHERE x.outcome IS NOT NULL", "x.end_date",
            "count(*) FILTER (WHERE x.outcome IN ('no_further_support', 'ongoing_low_level'))", "episodes followed by no or low-level support",
            ReablementDimensions, DateSql: "x.end_date", DenominatorSql: "count(*)", DenominatorText: "reablement episodes ended in the period",
            Scale: 100, Proportion: true),
        new("reablement_independent", "", "Reablement ending with the person fully independent",
            "Share of reablement episodes ended in the period after which the person needed no further support.",
            MeasureShape.Flow, "%", Polarity.HigherIsBetter, "reablement", "reablement x WHERE x.outcome IS NOT NULL", "x.end_date",
            "count(*) FILTER (WHERE x.outcome = 'no_further_support')", "episodes followed by no further support",
            ReablementDimensions, DateSql: "x.end_date", DenominatorSql: "count(*)", DenominatorText: "reablement episodes ended in the period",
            Scale: 100, Proportion: true),
        new("reablement_starts", "", "Reablement starts", "Reablement episodes starting in the period.",
            MeasureShape.Flow, "episodes", Polarity.Neutral, "reablement", "reablement x", "x.start_date",
            "count(*)", "reablement episodes starting in the period", ReablementDimensions, DateSql: "x.start_date"),

        // Assessments and reviews
        new("assessment_requests", "", "Requests for a Care Act assessment", "Requests for an assessment received in the period.",
            MeasureShape.Flow, "requests", Polarity.Neutral, "assessments", "assessments x", "x.received_date",
            "count(*)", "requests received in the period", AssessmentDimensions, DateSql: "x.received_date"),
        new("waiting_for_assessment", "", "People waiting for a Care Act assessment",
            "Requests received and not completed (or withdrawn) at the date.",
            MeasureShape.Stock, "people", Polarity.LowerIsBetter, "assessments", WaitingAssessment, "x.received_date",
            "count(*)", "requests open at the date", AssessmentDimensions),
        new("waiting_for_allocation", "", "People waiting for allocation to a named worker",
            "Requests received and not yet allocated to a named worker (nor completed) at the date; by priority, urgent is the highest.",
            MeasureShape.Stock, "people", Polarity.LowerIsBetter, "assessments",
            "assessments x WHERE x.received_date <= $as_of AND (x.allocated_date IS NULL OR x.allocated_date > $as_of) AND (x.completed_date IS NULL OR x.completed_date > $as_of)",
            "x.received_date", "count(*)", "requests not allocated at the date", AssessmentDimensions),
        new("waiting_for_package", "", "People waiting for a package of support",
            "People found eligible whose support had not begun at the date.",
            MeasureShape.Stock, "people", Polarity.LowerIsBetter, "assessments",
            "assessments x WHERE x.outcome = 'eligible' AND x.completed_date <= $as_of AND (x.support_start_date IS NULL OR x.support_start_date > $as_of)",
            "x.received_date", "count(*)", "eligible people without support at the date", AssessmentDimensions),
        new("assessment_wait_median", "", "Median wait for an assessment",
            "Median days since the request of the people waiting at the date.",
            MeasureShape.Stock, "days", Polarity.LowerIsBetter, "assessments", WaitingAssessment, "x.received_date",
            $"quantile_cont({AssessmentWait}, 0.5)", "median days waiting (linear interpolation)", AssessmentDimensions, EmptyIsZero: false),
        new("assessment_wait_p90", "", "90th percentile wait for an assessment",
            "The 90th percentile of days since the request of the people waiting at the date.",
            MeasureShape.Stock, "days", Polarity.LowerIsBetter, "assessments", WaitingAssessment, "x.received_date",
            $"quantile_cont({AssessmentWait}, 0.9)", "90th percentile of days waiting (linear interpolation)", AssessmentDimensions, EmptyIsZero: false),
        new("assessments_within_28_days", "", "Assessments completed within 28 days",
            "Share of assessments completed in the period that were completed within 28 days of the request.",
            MeasureShape.Flow, "%", Polarity.HigherIsBetter, "assessments", "assessments x WHERE x.completed_date IS NOT NULL AND x.outcome <> 'withdrawn'",
            "x.completed_date", "count(*) FILTER (WHERE date_diff('day', x.received_date, x.completed_date) <= 28)",
            "assessments completed within 28 days of the request", AssessmentDimensions, DateSql: "x.completed_date",
            DenominatorSql: "count(*)", DenominatorText: "assessments completed in the period (withdrawn requests excluded)", Scale: 100, Proportion: true),
        new("reviews_in_12_months", "", "People on long-term support reviewed in the last 12 months",
            "Share of people on long-term support at the date who had a review completed in the 12 months to the date.",
            MeasureShape.Stock, "%", Polarity.HigherIsBetter, "reviews", ServicesWithReviewsSince("$as_of - INTERVAL 12 MONTH"), "x.start_date",
            Reviewed, "people on long-term support with a review completed in the 12 months to the date",
            ServiceDimensions, DenominatorSql: "count(DISTINCT x.person_id)", DenominatorText: "people on long-term support at the date",
            Scale: 100, Proportion: true),
        new("reviewed_this_year", "", "People on long-term support reviewed this year",
            "Share of people on long-term support at the date who had a review completed since 1 April of the date's financial year.",
            MeasureShape.Stock, "%", Polarity.HigherIsBetter, "reviews", ServicesWithReviewsSince($"{FinancialYear.SqlStart("$as_of")} - 1"), "x.start_date",
            Reviewed, "people on long-term support with a review completed since 1 April",
            ServiceDimensions, DenominatorSql: "count(DISTINCT x.person_id)", DenominatorText: "people on long-term support at the date",
            Scale: 100, Proportion: true),

        // Hospital discharge
        new("discharges", "", "Hospital discharges", "People discharged from hospital with social care involvement in the period.",
            MeasureShape.Flow, "people", Polarity.Neutral, "discharges", "discharges x WHERE x.discharge_date IS NOT NULL", "x.discharge_date",
            "count(*)", "discharges in the period", DischargeDimensions, DateSql: "x.discharge_date"),
        new("discharge_delay_days", "", "Days of delayed discharge",
            "Days from the decision that a person was ready to leave hospital to their discharge, summed over the discharges of the period.",
            MeasureShape.Flow, "days", Polarity.LowerIsBetter, "discharges", "discharges x WHERE x.discharge_date IS NOT NULL", "x.discharge_date",
            "sum(date_diff('day', x.decision_date, x.discharge_date))", "days from decision to discharge", DischargeDimensions, DateSql: "x.discharge_date"),
        new("discharge_mean_delay", "", "Average days from discharge decision to discharge",
            "Mean days from the decision that a person was ready to leave hospital to their discharge.",
            MeasureShape.Flow, "days", Polarity.LowerIsBetter, "discharges", "discharges x WHERE x.discharge_date IS NOT NULL", "x.discharge_date",
            "sum(date_diff('day', x.decision_date, x.discharge_date))", "days from decision to discharge", DischargeDimensions, DateSql: "x.discharge_date",
            DenominatorSql: "count(*)", DenominatorText: "discharges in the period"),

        // DoLS and safeguarding
        new("dols_applications", "", "DoLS applications", "Deprivation of Liberty Safeguards applications received in the period.",
            MeasureShape.Flow, "applications", Polarity.Neutral, "dols", "dols x", "x.received_date",
            "count(*)", "applications received", AgeOnlyDimensions, DateSql: "x.received_date"),
        new("dols_waiting", "", "DoLS applications waiting", "Applications received and not completed at the date.",
            MeasureShape.Stock, "applications", Polarity.LowerIsBetter, "dols",
            "dols x WHERE x.received_date <= $as_of AND (x.completed_date IS NULL OR x.completed_date > $as_of)", "x.received_date",
            "count(*)", "applications open at the date", AgeOnlyDimensions),
        new("dols_authorisations", "", "DoLS authorisations", "Applications authorised in the period.",
            MeasureShape.Flow, "authorisations", Polarity.Neutral, "dols", "dols x WHERE x.outcome = 'authorised'", "x.completed_date",
            "count(*)", "applications authorised", AgeOnlyDimensions, DateSql: "x.completed_date"),
        new("dols_days_to_authorisation", "", "Average days from DoLS application to authorisation",
            "Mean days from receipt to authorisation of the applications authorised in the period.",
            MeasureShape.Flow, "days", Polarity.LowerIsBetter, "dols", "dols x WHERE x.outcome = 'authorised'", "x.completed_date",
            "sum(date_diff('day', x.received_date, x.completed_date))", "days from receipt to authorisation", AgeOnlyDimensions, DateSql: "x.completed_date",
            DenominatorSql: "count(*)", DenominatorText: "applications authorised in the period"),
        new("safeguarding_concerns", "", "Safeguarding concerns", "Safeguarding concerns raised in the period.",
            MeasureShape.Flow, "concerns", Polarity.Neutral, "safeguarding", "safeguarding x", "x.concern_date",
            "count(*)", "concerns received", AgeOnlyDimensions, DateSql: "x.concern_date"),
        new("safeguarding_enquiries", "", "Section 42 enquiries", "Section 42 safeguarding enquiries started in the period.",
            MeasureShape.Flow, "enquiries", Polarity.Neutral, "safeguarding", "safeguarding x WHERE x.enquiry_start_date IS NOT NULL", "x.enquiry_start_date",
            "count(*)", "enquiries started", AgeOnlyDimensions, DateSql: "x.enquiry_start_date"),
        new("safeguarding_conversion", "", "Concerns leading to a section 42 enquiry",
            "Share of the concerns raised in the period that led to a section 42 enquiry.",
            MeasureShape.Flow, "%", Polarity.Neutral, "safeguarding", "safeguarding x", "x.concern_date",
            "count(*) FILTER (WHERE x.enquiry_start_date IS NOT NULL)", "concerns that led to an enquiry", AgeOnlyDimensions, DateSql: "x.concern_date",
            DenominatorSql: "count(*)", DenominatorText: "concerns raised in the period", Scale: 100, Proportion: true),

        // Care homes
        new("care_home_residents_65", "", "Older people in permanent residential or nursing care",
            "People aged 65 and over (at admission) admitted permanently to residential or nursing care and not yet left at the date.",
            MeasureShape.Stock, "people", Polarity.LowerIsBetter, "admissions",
            ResidentsAtDate + " AND (x.age_at_admission >= 65 OR x.age_at_admission IS NULL)",
            "x.admission_date", "count(*)", "residents aged 65 and over at the date", AdmissionDimensions),
        new("care_home_residents", "", "People in permanent residential or nursing care",
            "People admitted permanently to residential or nursing care and not yet left at the date.",
            MeasureShape.Stock, "people", Polarity.LowerIsBetter, "admissions",
            ResidentsAtDate, "x.admission_date", "count(*)", "residents at the date",
            [AgeGroupFromAge("x.age_at_admission"), .. AdmissionDimensions]),
    ];

    public static readonly IReadOnlyList<string> Names = All.Select(m => m.Name).ToList();

    public static Measure Find(string name) =>
        All.FirstOrDefault(m => m.Name == name)
        ?? throw new QueryException("measure",
            string.IsNullOrEmpty(name)
                ? $"a measure is required; valid measures: {string.Join(", ", Names)}"
                : $"unknown measure '{name}'; valid measures: {string.Join(", ", Names)}");
}
