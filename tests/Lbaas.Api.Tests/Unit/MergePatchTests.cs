using System.Text.Json.Nodes;
using Lbaas.Api.Http;

namespace Lbaas.Api.Tests.Unit;

public sealed class MergePatchTests
{
    // Every example of RFC 7396, Appendix A.
    [Theory]
    [InlineData("""{"a":"b"}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"b":"c"}""", """{"a":"b","b":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"a":null}""", """{}""")]
    [InlineData("""{"a":"b","b":"c"}""", """{"a":null}""", """{"b":"c"}""")]
    [InlineData("""{"a":["b"]}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"c"}""", """{"a":["b"]}""", """{"a":["b"]}""")]
    [InlineData("""{"a":{"b":"c"}}""", """{"a":{"b":"d","c":null}}""", """{"a":{"b":"d"}}""")]
    [InlineData("""{"a":[{"b":"c"}]}""", """{"a":[1]}""", """{"a":[1]}""")]
    [InlineData("""["a","b"]""", """["c","d"]""", """["c","d"]""")]
    [InlineData("""{"a":"b"}""", """["c"]""", """["c"]""")]
    [InlineData("""{"a":"foo"}""", "null", "null")]
    [InlineData("""{"a":"foo"}""", "\"bar\"", "\"bar\"")]
    [InlineData("""{"e":null}""", """{"a":1}""", """{"e":null,"a":1}""")]
    [InlineData("""[1,2]""", """{"a":"b","c":null}""", """{"a":"b"}""")]
    [InlineData("""{}""", """{"a":{"bb":{"ccc":null}}}""", """{"a":{"bb":{}}}""")]
    public void Apply_Rfc7396Example_GivesSpecifiedResult(string target, string patch, string expected)
    {
        var result = MergePatch.Apply(JsonNode.Parse(target), JsonNode.Parse(patch));

        Assert.True(
            JsonNode.DeepEquals(JsonNode.Parse(expected), result),
            $"expected {expected}, got {result?.ToJsonString() ?? "null"}");
    }

    [Fact]
    public void Apply_NullTarget_BuildsObjectFromPatch()
    {
        var result = MergePatch.Apply(null, JsonNode.Parse("""{"a":{"b":1,"c":null}}"""));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"a":{"b":1}}"""), result));
    }

    [Fact]
    public void Apply_AnyPatch_LeavesPatchUnchanged()
    {
        const string PatchText = """{"a":{"b":"d","c":null},"x":[1,{"y":null}]}""";
        var patch = JsonNode.Parse(PatchText);

        MergePatch.Apply(JsonNode.Parse("""{"a":{"b":"c","c":1}}"""), patch);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(PatchText), patch));
    }

    [Fact]
    public void Apply_ArrayInPatch_ResultDoesNotShareNodesWithPatch()
    {
        var patch = JsonNode.Parse("""{"a":[1,2]}""")!;

        var result = MergePatch.Apply(JsonNode.Parse("{}"), patch)!;
        result["a"]!.AsArray().Add(3);

        Assert.Equal(2, patch["a"]!.AsArray().Count);
    }
}
