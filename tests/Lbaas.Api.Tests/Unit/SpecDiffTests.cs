using System.Text.Json.Nodes;
using Lbaas.Api.Revisions;

namespace Lbaas.Api.Tests.Unit;

public sealed class SpecDiffTests
{
    private static IReadOnlyList<string> Diff(string before, string after) => SpecDiff.Between(JsonNode.Parse(before), JsonNode.Parse(after));

    [Fact]
    public void Between_SameSpec_IsEmpty()
    {
        const string spec = """{"name": "a", "labels": {"env": "prod"}, "backends": [{"host": "10.0.0.1", "port": 80, "weight": 1}]}""";

        Assert.Empty(Diff(spec, spec));
    }

    [Fact]
    public void Between_ChangedScalar_ReadsOldToNew()
    {
        Assert.Equal(["algorithm: round_robin -> least_connections"],
            Diff("""{"algorithm": "round_robin"}""", """{"algorithm": "least_connections"}"""));
    }

    [Fact]
    public void Between_NestedObjects_NamePathWithDots()
    {
        Assert.Equal(["health_check.interval: 2s -> 5s", "labels.env: staging -> prod"],
            Diff("""{"health_check": {"path": "/", "interval": "2s"}, "labels": {"env": "staging"}}""",
                 """{"health_check": {"path": "/", "interval": "5s"}, "labels": {"env": "prod"}}"""));
    }

    [Fact]
    public void Between_AddedAndRemovedKeys_ShowNone()
    {
        Assert.Equal(["max_connections: 100 -> (none)", "labels.team: (none) -> web", "labels.env: prod -> (none)"],
            Diff("""{"max_connections": 100, "labels": {"env": "prod"}}""", """{"max_connections": null, "labels": {"team": "web"}}"""));
    }

    [Fact]
    public void Between_MissingAndNull_AreEqual()
    {
        Assert.Empty(Diff("""{"name": "a"}""", """{"name": "a", "slow_start": null}"""));
    }

    [Fact]
    public void Between_EmptyString_IsQuoted()
    {
        Assert.Equal(["description: \"\" -> shop"], Diff("""{"description": ""}""", """{"description": "shop"}"""));
    }

    [Fact]
    public void Between_Backends_MatchByHostAndPort()
    {
        var changes = Diff(
            """{"backends": [{"host": "127.0.0.1", "port": 9001, "weight": 1}, {"host": "127.0.0.1", "port": 9003, "weight": 1}]}""",
            """{"backends": [{"host": "127.0.0.1", "port": 9002, "weight": 1}, {"host": "127.0.0.1", "port": 9001, "weight": 3}]}""");

        Assert.Equal(["backend 127.0.0.1:9002 added", "backend 127.0.0.1:9001 weight: 1 -> 3", "backend 127.0.0.1:9003 removed"], changes);
    }

    [Fact]
    public void Between_ReorderedBackends_IsEmpty()
    {
        Assert.Empty(Diff(
            """{"backends": [{"host": "a", "port": 1}, {"host": "b", "port": 2}]}""",
            """{"backends": [{"host": "b", "port": 2}, {"host": "a", "port": 1}]}"""));
    }

    [Fact]
    public void Between_Ipv6Backend_IsBracketed()
    {
        Assert.Equal(["backend [::1]:80 added"], Diff("""{"backends": []}""", """{"backends": [{"host": "::1", "port": 80}]}"""));
    }

    [Fact]
    public void Between_BackendsFromNothing_AreAdded()
    {
        Assert.Equal(["backend h:1 added"], Diff("""{}""", """{"backends": [{"host": "h", "port": 1}]}"""));
    }

    [Fact]
    public void Between_ObjectReplacedByValue_ShowsJson()
    {
        Assert.Equal(["""x: {"a":1} -> 2"""], Diff("""{"x": {"a": 1}}""", """{"x": 2}"""));
    }
}
