using System.Buffers.Text;
using System.Text;
using Lbaas.Api.Http;
using Lbaas.Api.LoadBalancers;

namespace Lbaas.Api.Tests.Unit;

public sealed class LoadBalancerListQueryTests
{
    [Fact]
    public void Parse_NoParameters_UsesDefaults()
    {
        var filter = Parse(new LoadBalancerListQuery(null, null, null, null));

        Assert.Null(filter.Name);
        Assert.Empty(filter.Labels);
        Assert.Equal(LoadBalancerListQuery.DefaultLimit, filter.Limit);
        Assert.Equal(0, filter.After);
    }

    [Fact]
    public void Parse_Name_IsKept() => Assert.Equal("web", Parse(new LoadBalancerListQuery("web", null, null, null)).Name);

    [Theory]
    [InlineData("1", 1)]
    [InlineData("500", 500)]
    [InlineData("42", 42)]
    public void Parse_LimitInRange_IsUsed(string limit, int expected) =>
        Assert.Equal(expected, Parse(new LoadBalancerListQuery(null, null, limit, null)).Limit);

    [Theory]
    [InlineData("0")]
    [InlineData("501")]
    [InlineData("-1")]
    [InlineData("+5")]
    [InlineData(" 5")]
    [InlineData("1.5")]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("99999999999")]
    public void Parse_BadLimit_ReportsLimit(string limit) =>
        AssertOnlyError(new LoadBalancerListQuery(null, null, limit, null), "limit");

    [Theory]
    [InlineData(1)]
    [InlineData(42)]
    [InlineData(long.MaxValue)]
    public void Parse_EncodedCursor_GivesAfter(long lastId) =>
        Assert.Equal(lastId, Parse(new LoadBalancerListQuery(null, null, null, LoadBalancerListQuery.EncodeCursor(lastId))).After);

    [Theory]
    [InlineData("not a cursor!")]
    [InlineData("%%%")]
    [InlineData("")]
    [InlineData("42")]
    public void Parse_MalformedCursor_ReportsCursor(string cursor) =>
        AssertOnlyError(new LoadBalancerListQuery(null, null, null, cursor), "cursor");

    [Theory]
    [InlineData("v2:42")]
    [InlineData("v1:")]
    [InlineData("v1:abc")]
    [InlineData("v1:-1")]
    [InlineData("v1:99999999999999999999")]
    public void Parse_WellEncodedForeignCursor_ReportsCursor(string text) =>
        AssertOnlyError(new LoadBalancerListQuery(null, null, null, Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text))), "cursor");

    [Fact]
    public void Parse_LabelSelectors_AreAllRequired()
    {
        var filter = Parse(new LoadBalancerListQuery(null, ["env=staging", "team/owner=net", "expr=a=b"], null, null));

        Assert.Equal(
            new Dictionary<string, string> { ["env"] = "staging", ["team/owner"] = "net", ["expr"] = "a=b" },
            filter.Labels);
    }

    [Fact]
    public void Parse_SameLabelTwiceWithSameValue_IsAccepted() =>
        Assert.Equal("a", Assert.Single(Parse(new LoadBalancerListQuery(null, ["env=a", "env=a"], null, null)).Labels).Value);

    [Theory]
    [InlineData("env")]
    [InlineData("=staging")]
    [InlineData("-env=staging")]
    [InlineData("e v=staging")]
    public void Parse_MalformedLabelSelector_ReportsLabel(string selector) =>
        AssertOnlyError(new LoadBalancerListQuery(null, [selector], null, null), "label");

    [Fact]
    public void Parse_ConflictingLabelValues_ReportsLabel() =>
        AssertOnlyError(new LoadBalancerListQuery(null, ["env=a", "env=b"], null, null), "label");

    [Fact]
    public void Parse_SeveralBadParameters_ReportsEach()
    {
        var errors = new ValidationErrors();

        Assert.Null(new LoadBalancerListQuery(null, ["bad"], "0", "???").Parse(errors));
        Assert.Equal(["cursor", "label", "limit"], errors.ToDictionary().Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void NextQuery_FilterWithNameAndLabel_CarriesThemEscaped()
    {
        var filter = new LoadBalancerFilter("a b", new() { ["env"] = "x&y" }, 10, 0);

        Assert.Equal("limit=10&cursor=abc%3D&name=a%20b&label=env%3Dx%26y", filter.NextQuery("abc="));
    }

    private static LoadBalancerFilter Parse(LoadBalancerListQuery query)
    {
        var errors = new ValidationErrors();
        var filter = query.Parse(errors);
        Assert.True(errors.IsEmpty, string.Join("; ", errors.ToDictionary().Keys));
        return Assert.IsType<LoadBalancerFilter>(filter);
    }

    private static void AssertOnlyError(LoadBalancerListQuery query, string field)
    {
        var errors = new ValidationErrors();
        Assert.Null(query.Parse(errors));
        Assert.Equal([field], errors.ToDictionary().Keys);
    }
}
