using System.CommandLine;

namespace Lpp.Cli.Commands;

/// <summary>The cost options (<c>--cost-error</c>, <c>--cost-review</c>, <c>--cost-model</c>), defined once.</summary>
internal sealed record CostOptions(Option<double> Error, Option<double> Review, Option<string> Model)
{
    public static CostOptions Create()
    {
        var error = new Option<double>("--cost-error") { Description = "Cost of trusting a wrong answer.", DefaultValueFactory = _ => CostDefaults.CError };
        var review = new Option<double>("--cost-review") { Description = "Cost of one human review.", DefaultValueFactory = _ => CostDefaults.CReview };
        var model = new Option<string>("--cost-model") { Description = "paper (relative to always-trust) or absolute (errors plus reviews).", DefaultValueFactory = _ => CostModel.Default.FormName };
        model.AcceptOnlyFromAmong("paper", "absolute");
        return new CostOptions(error, review, model);
    }

    public CostModel Read(ParseResult parse)
    {
        var cost = new CostModel(CostModel.ParseForm(parse.GetValue(Model)!), parse.GetValue(Error), parse.GetValue(Review));
        CommonOptions.Validated(cost.Validate);
        return cost;
    }
}
