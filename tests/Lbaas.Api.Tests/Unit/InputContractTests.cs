using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lbaas.Api.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Lbaas.Api.Tests.Unit;

public sealed class InputContractTests
{
    private static readonly JsonSerializerOptions Options = JsonSetup.Create();

    private static readonly QueryParameters Declared = new([
        new QueryParameter("wait", "", ["true", "false"]),
        new QueryParameter("label", "", Repeatable: true),
    ]);

    private static QueryCollection Query(params (string Name, string[] Values)[] pairs) =>
        new QueryCollection(pairs.ToDictionary(p => p.Name, p => new StringValues(p.Values)));

    [Theory]
    [InlineData("""{"a": 1, "a": 2}""", "$.a")]
    [InlineData("""{"x": {"env": "1", "env": "2"}}""", "$.x.env")]
    [InlineData("""{"list": [{"k": 1}, {"k": 1, "k": 2}]}""", "$.list[1].k")]
    public void StrictJsonNode_DuplicateKey_ThrowsJsonExceptionWithItsPath(string json, string path)
    {
        var exception = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<JsonNode>(json, Options));

        Assert.Equal(path, exception.Path);
        Assert.Contains("more than once", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StrictJsonNode_KeysDifferingInCase_KeptDistinct()
    {
        var node = JsonSerializer.Deserialize<JsonNode>("""{"labels": {"env": "a", "ENV": "b"}}""", Options)!;

        Assert.Equal("a", (string)node["labels"]!["env"]!);
        Assert.Equal("b", (string)node["labels"]!["ENV"]!);
        Assert.Equal("""{"labels":{"env":"a","ENV":"b"}}""", JsonSerializer.Serialize(node, Options));
    }

    [Fact]
    public void JsonSetup_CaseVariantPropertyName_IsUnknownField() =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Lbaas.Api.LoadBalancers.LoadBalancerRequest>("""{"Name": "x"}""", Options));

    [Fact]
    public void QueryGuard_DeclaredParameters_Pass() =>
        Assert.True(QueryStringGuard.Check(Query(("wait", ["FALSE"]), ("label", ["a=1", "b=2"])), [Declared]).IsEmpty);

    [Theory]
    [InlineData("dry_run", "true", "dry_run")]
    [InlineData("wait", "maybe", "wait")]
    [InlineData("wait", "tr\u0000ue", "wait")]
    [InlineData("wa\u0001it", "true", "wa\\u0001it")]
    [InlineData("label", "a=\u007f", "label")]
    public void QueryGuard_BadParameter_NamedInErrors(string name, string value, string field)
    {
        var errors = QueryStringGuard.Check(Query((name, [value])), [Declared]).ToDictionary();

        Assert.Equal([field], errors.Keys);
    }

    [Fact]
    public void QueryGuard_RepeatedSingleParameter_Refused() =>
        Assert.Contains("wait", QueryStringGuard.Check(Query(("wait", ["true", "false"])), [Declared]).ToDictionary().Keys);

    [Fact]
    public void QueryGuard_NoEndpoint_OnlyControlCharactersRefused()
    {
        Assert.True(QueryStringGuard.Check(Query(("anything", ["x"])), null).IsEmpty);
        Assert.False(QueryStringGuard.Check(Query(("anything", ["\u0000"])), null).IsEmpty);
    }

    [Theory]
    [InlineData("\"5\"", true)]
    [InlineData("W/\"5\"", true)]
    [InlineData("\"4\", \"5\"", true)]
    [InlineData("*", true)]
    [InlineData("\"4\"", false)]
    [InlineData("\"55\"", false)]
    public void NoneMatch_WeakComparison(string header, bool expected)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.IfNoneMatch = header;

        Assert.Equal(expected, ETags.NoneMatch(context.Request, "\"5\""));
    }

    [Fact]
    public void KestrelRejection_EmptyErrorResponse_BecomesProblemJson()
    {
        var bare = "HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 0\r\nConnection: close\r\nDate: Wed, 02 Dec 2026 16:14:48 GMT\r\nServer: Kestrel\r\n\r\n"u8;

        var text = Encoding.ASCII.GetString(KestrelRejections.Rewrite(bare)!);

        var body = text[(text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        Assert.StartsWith("HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Type: application/problem+json\r\n", text, StringComparison.Ordinal);
        Assert.Contains($"Content-Length: {body.Length}\r\n", text, StringComparison.Ordinal);
        Assert.Equal(431, (int)JsonNode.Parse(body)!["status"]!);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")]
    [InlineData("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nContent-Type: application/problem+json\r\nConnection: close\r\n\r\n")]
    [InlineData("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")]
    [InlineData("HTTP/1.1 404 Not Found\r\nContent-Length: 12\r\nConnection: close\r\n\r\n")]
    public void KestrelRejection_OtherResponses_Untouched(string response) =>
        Assert.Null(KestrelRejections.Rewrite(Encoding.ASCII.GetBytes(response)));
}
