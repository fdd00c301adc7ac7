using Lbaas.Api.Tests.Infrastructure;

namespace Lbaas.Api.Tests.Integration;

/// <summary>No input ever produces a 500: every odd body on every write endpoint is answered 2xx or 4xx.</summary>
public sealed class HostileInputTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static readonly string[] Bodies =
    [
        "null", "true", "0", "\"text\"", "{}", "[]", "[null]", "{\"name\": null}", "{\"backends\": [null]}",
        "{\"name\": \"x\", \"labels\": null}", "{\"name\": \"x\", \"labels\": {\"env\": null}}",
        "{\"name\": \"x\", \"health_check\": null, \"timeouts\": null}",
        "{\"name\": \"x\", \"frontend_port\": 1e3}", "{\"name\": \"x\", \"frontend_port\": 99999999999999999999}",
        "{\"name\": \"x\", \"weight\": -0.5}", "{\"host\": \"127.0.0.1\", \"port\": 80.5}",
        "{\"host\": [\"a\"], \"port\": {}}", "{\"name\": \"x\\u0000y\"}", "{\"name\": \"\\ud800\"}",
        new string('[', 500) + new string(']', 500),
        "{\"name\": \"" + new string('x', 100_000) + "\"}",
        "{\"labels\": {" + string.Join(',', Enumerable.Range(0, 200).Select(i => $"\"k{i}\": \"v\"")) + "}, \"name\": \"many-labels\"}",
        "\u00ff\u00fe garbage",
    ];

    [Fact]
    public async Task WriteEndpoints_HostileBodies_NeverAnswer5xx()
    {
        var client = api.CreateClient();
        var lb = await client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}", "backends": [{"host": "127.0.0.1", "port": 9001}]}""");
        var backendId = (long)lb["backends"]![0]!["id"]!;
        var targets = new (HttpMethod Method, string Url)[]
        {
            (HttpMethod.Post, "/api/v1/loadbalancer"),
            (HttpMethod.Put, $"/api/v1/loadbalancer/{lb["id"]}"),
            (HttpMethod.Patch, $"/api/v1/loadbalancer/{lb["id"]}"),
            (HttpMethod.Post, $"/api/v1/loadbalancer/{lb["id"]}/backends"),
            (HttpMethod.Put, $"/api/v1/loadbalancer/{lb["id"]}/backends"),
            (HttpMethod.Patch, $"/api/v1/loadbalancer/{lb["id"]}/backends/{backendId}"),
        };
        foreach (var (method, url) in targets)
        {
            foreach (var body in Bodies)
            {
                var response = await client.SendAsync(new HttpRequestMessage(method, url) { Content = HttpJson.Json(body) });
                var text = await response.Content.ReadAsStringAsync();
                Assert.True((int)response.StatusCode < 500, $"{method} {url} with {body[..Math.Min(60, body.Length)]} gave {(int)response.StatusCode}: {text}");
                if ((int)response.StatusCode >= 400)
                {
                    Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                }
            }
        }
    }
}
