using System.Text;

namespace Lpp.Serving.Tests;

public sealed class ApiKeysTests
{
    [Fact]
    public void Find_KeyInFile_ReturnsItsNameAndScopes()
    {
        // Given a keys file holding the SHA-256 of "secret"
        var keys = ApiKeys.Parse(Encoding.UTF8.GetBytes($$"""{"keys": [{"name": "ci", "sha256": "{{ApiKeys.Hash("secret").ToUpperInvariant()}}", "scopes": ["route", "admin"]}]}"""));

        // When keys are looked up, then only the right text finds it, with its scopes
        var found = keys.Find("secret")!;
        Assert.Equal(("ci", ApiScope.Route | ApiScope.Admin), (found.Name, found.Scopes));
        Assert.Null(keys.Find("Secret"));
        Assert.Equal("2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b", ApiKeys.Hash("secret"));
    }

    [Fact]
    public void Find_ReviewersListedOrNot_ActsForThemOrItsOwnName()
    {
        // Given a key naming its reviewers and a key naming none
        var keys = ApiKeys.Parse(Encoding.UTF8.GetBytes($$"""
            {"keys": [{"name": "desk", "sha256": "{{ApiKeys.Hash("a")}}", "scopes": ["review"], "reviewers": ["alice", "bob"]},
                      {"name": "carol", "sha256": "{{ApiKeys.Hash("c")}}", "scopes": ["review"]}]}
            """));

        // When they are asked whom they act for, then the first for its list only, the second for its own name only
        var desk = keys.Find("a")!;
        var carol = keys.Find("c")!;
        Assert.True(desk.ActsFor("alice") && desk.ActsFor("bob"));
        Assert.False(desk.ActsFor("desk") || desk.ActsFor("carol"));
        Assert.True(carol.ActsFor("carol"));
        Assert.False(carol.ActsFor("alice"));
        Assert.True(ApiKey.Anonymous.ActsFor("anyone"));
    }

    [Theory]
    [InlineData("{\"keys\": [{\"name\": \"a\", \"sha256\": \"2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b\", \"scopes\": []}, {\"name\": \"a\", \"sha256\": \"3bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b\", \"scopes\": []}]}", "keys[1].name: the name 'a' is used by an earlier key")]
    [InlineData("{\"keys\": [{\"name\": \"a\", \"sha256\": \"2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b\", \"scopes\": [], \"reviewers\": \"bob\"}]}", "keys[0].reviewers must be a list of reviewer names")]
    [InlineData("{\"keys\": [{\"name\": \"a\", \"sha256\": \"2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b\", \"scopes\": [], \"reviewers\": [\"\"]}]}", "keys[0].reviewers must be a list of non-empty reviewer names")]
    [InlineData("[]", "expected {\"keys\"")]
    [InlineData("{\"keys\": [{\"sha256\": \"00\", \"scopes\": []}]}", "keys[0].name must be a non-empty string")]
    [InlineData("{\"keys\": [{\"name\": \"a\", \"sha256\": \"00\", \"scopes\": []}]}", "keys[0].sha256 must be 64 hex digits")]
    [InlineData("{\"keys\": [{\"name\": \"a\", \"sha256\": \"2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b\", \"scopes\": [\"root\"]}]}", "keys[0].scopes: 'root' is not one of route, review, admin")]
    [InlineData("{\"keys\": [{\"name\": \"\", \"sha256\": \"2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b\", \"scopes\": []}]}", "keys[0].name must be a non-empty string")]
    [InlineData("{\"keys\": [{\"name\": \"a\", \"scopes\": []}]}", "keys[0].sha256 must be 64 hex digits")]
    [InlineData("{\"keys\": [{\"name\": \"a\", \"sha256\": 12, \"scopes\": []}]}", "keys[0].sha256 must be 64 hex digits")]
    [InlineData("{\"keys\": [{\"name\": \"a\", \"sha256\": \"gggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggg\", \"scopes\": []}]}", "keys[0].sha256 must be 64 hex digits")]
    [InlineData("{\"keys\": [{\"name\": \"a\", \"sha256\": \"2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b\"}]}", "keys[0].scopes must be a list of route, review, admin")]
    [InlineData("{\"keys\": [{\"name\": \"a\", \"sha256\": \"2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b\", \"scopes\": \"route\"}]}", "keys[0].scopes must be a list of route, review, admin")]
    [InlineData("{\"keys\": [{\"name\": \"a\", \"sha256\": \"2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b\", \"scopes\": [1]}]}", "keys[0].scopes must be a list of route, review, admin")]
    [InlineData("{\"keys\": [{\"name\": \"a\", \"sha256\": \"2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b\", \"scopes\": []}, {\"name\": \"b\", \"sha256\": \"2BB80D537B1DA3E38BD30361AA855686BDE0EACD7162FEF6A25FE97BF527A25B\", \"scopes\": []}]}", "keys[1]: the same key hash appears twice")]
    public void Parse_Malformed_NamesTheField(string json, string message)
    {
        var e = Assert.Throws<FormatException>(() => ApiKeys.Parse(Encoding.UTF8.GetBytes(json)));
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_InvalidJson_OneLineWithoutTheParsersPath()
    {
        var e = Assert.Throws<FormatException>(() => ApiKeys.Parse("{\"keys\": ["u8));

        Assert.StartsWith("invalid JSON (", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Path:", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Parse_ScopeListedTwice_IsStillGranted()
    {
        var keys = ApiKeys.Parse(Encoding.UTF8.GetBytes($$"""{"keys": [{"name": "ci", "sha256": "{{ApiKeys.Hash("s")}}", "scopes": ["route", "route", "review"]}]}"""));

        Assert.Equal(ApiScope.Route | ApiScope.Review, keys.Find("s")!.Scopes);
    }

    [Fact]
    public void Load_MissingOrMalformedFile_OneLineNamingTheOptionAndPath()
    {
        // Given a path that does not exist and a file that is not JSON
        using var dir = new TempDir();
        var missing = dir.File("missing.json");
        var broken = dir.Write("broken.json", "{");

        // When each is loaded, then a ServeException names --api-keys, the path and what is wrong
        var notRead = Assert.Throws<ServeException>(() => ApiKeys.Load(missing));
        Assert.StartsWith($"--api-keys {missing}: cannot read (", notRead.Message, StringComparison.Ordinal);
        var notJson = Assert.Throws<ServeException>(() => ApiKeys.Load(broken));
        Assert.StartsWith($"--api-keys {broken}: invalid JSON (", notJson.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Anonymous_RoutesAndReviews_NeverAdministers()
    {
        // The caller without a keys file (loopback only), as the audit log names it
        Assert.Equal("anonymous", ApiKey.Anonymous.Name);
        Assert.Equal(ApiScope.Route | ApiScope.Review, ApiKey.Anonymous.Scopes);
    }
}
