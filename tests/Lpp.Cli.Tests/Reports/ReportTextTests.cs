using Lpp.Cli.Reports;

namespace Lpp.Cli.Tests;

public sealed class ReportTextTests
{
    [Theory]
    [InlineData(0.68, "0.6800")]
    [InlineData(0.9999960273878834, "0.999996")] // F4 and F5 round to 1: the sixth decimal is the first that does not
    [InlineData(0.99994, "0.9999")]
    [InlineData(0.0000123, "0.00001")]
    [InlineData(1.0, "1.0000")]
    [InlineData(0.0, "0.0000")]
    [InlineData(double.NaN, "—")]
    public void Threshold_NeverShowsAValueThatIsNotZeroOrOneAsZeroOrOne(double value, string expected)
    {
        Assert.Equal(expected, ReportText.Threshold(value));
    }
}
