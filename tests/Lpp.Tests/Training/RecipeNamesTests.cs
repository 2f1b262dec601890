namespace Lpp.Tests;

public sealed class RecipeNamesTests
{
    [Fact]
    public void Name_EveryRecipe_ParsesBack()
    {
        Assert.Equal(["default", "paper"], RecipeNames.All);
        Assert.All(Enum.GetValues<Recipe>(), r => Assert.Equal(r, RecipeNames.Parse(r.Name())));
    }

    [Theory]
    [InlineData("Paper")]
    [InlineData("")]
    [InlineData(null)]
    public void Parse_NotARecipeName_ThrowsNamingTheChoices(string? name)
    {
        var e = Assert.Throws<FormatException>(() => RecipeNames.Parse(name));
        Assert.Equal($"recipe '{name}' is not one of default, paper", e.Message);
    }
}
