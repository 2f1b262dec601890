using System.Globalization;

namespace Lpp.Cli.Reports;

/// <summary>Number formatting shared by the reports: invariant culture, NaN as an em dash.</summary>
internal static class ReportText
{
    public static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    public static string Num(double value, string format) => double.IsNaN(value) ? "—" : value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>
    /// A threshold or probability with 4 decimals, or with as many more (up to 10) as it takes not to print a value
    /// that is not 0 or 1 as 0.0000 or 1.0000 (an MSP threshold of 0.999995 is not "1.0000": nothing would reach it).
    /// </summary>
    public static string Threshold(double value)
    {
        if (double.IsNaN(value))
        {
            return "—";
        }

        for (var decimals = 4; decimals < 10 && value != Math.Round(value); decimals++)
        {
            var text = value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            if (Math.Abs(double.Parse(text, CultureInfo.InvariantCulture)) is not (0 or 1))
            {
                return text;
            }
        }

        return value.ToString(value == Math.Round(value) ? "F4" : "F10", CultureInfo.InvariantCulture);
    }

    public static string Percent(double share) => double.IsNaN(share) ? "—" : (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    public static string Interval(Interval interval, string format) =>
        double.IsNaN(interval.Low) ? "—" : $"{Num(interval.Low, format)} – {Num(interval.High, format)}";

    public static string MeanSd(Spread spread, string format) =>
        spread.Count == 0 ? "—" : spread.Count == 1 ? Num(spread.Mean, format) : $"{Num(spread.Mean, format)} ± {Num(spread.Sd, format.Split(';')[0].TrimStart('+'))}";

    /// <summary>Relative change "−31.0%" of <paramref name="value"/> against <paramref name="reference"/>.</summary>
    public static string Change(double value, double reference) =>
        reference == 0 || double.IsNaN(reference) || double.IsNaN(value) ? "—" : ((value - reference) / Math.Abs(reference)).ToString("+0.0%;-0.0%;0.0%", CultureInfo.InvariantCulture);
}
