using System.Net;
using Lbaas.Api.Tests.Infrastructure;

namespace Lbaas.Api.Tests.Integration;

/// <summary>Idempotency-Key on every write: the same key and request replay the first answer and apply nothing again; another request is 422.</summary>
public sealed class IdempotentWriteTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient _client = api.CreateClient();

    /// <param name="method">HTTP method.</param>
    /// <param name="target">lb, backends or backend (the URL written), with an optional query.</param>
    /// <param name="body">The request ({name} is the load balancer's name).</param>
    /// <param name="other">The same URL with another body or query: 422 with the same key.</param>
    [Theory]
    [InlineData("PUT", "lb", """{"name": "{name}", "description": "one"}""", """{"name": "{name}", "description": "two"}""")]
    [InlineData("PATCH", "lb", """{"description": "one"}""", """{"description": "two"}""")]
    [InlineData("POST", "backends", """{"host": "127.0.0.1", "port": 9402}""", """{"host": "127.0.0.1", "port": 9403}""")]
    [InlineData("PUT", "backends", """[{"host": "127.0.0.1", "port": 9401, "weight": 2}]""", """[{"host": "127.0.0.1", "port": 9401, "weight": 3}]""")]
    [InlineData("PATCH", "backend", """{"weight": 3}""", """{"weight": 4}""")]
    [InlineData("DELETE", "backend?drain_timeout=0s", null, "backend?drain_timeout=1s")]
    public async Task Write_SameKeySameRequest_ReplaysFirstAnswerAndAppliesOnce(string method, string target, string? body, string other)
    {
        var (id, backendId, name) = await CreateAsync();
        string Url(string t) => t.Split('?')[0] switch
        {
            "lb" => $"/api/v1/loadbalancer/{id}",
            "backends" => $"/api/v1/loadbalancer/{id}/backends",
            _ => $"/api/v1/loadbalancer/{id}/backends/{backendId}",
        } + (t.Contains('?') ? "?" + t.Split('?')[1] : "");
        var key = Guid.NewGuid().ToString();
        var json = body?.Replace("{name}", name, StringComparison.Ordinal);

        var first = await SendAsync(method, Url(target), json, key);
        Assert.True(first.IsSuccessStatusCode, $"first {method} gave {(int)first.StatusCode}: {await first.Content.ReadAsStringAsync()}");
        var revisions = await RevisionsAsync(id);
        var second = await SendAsync(method, Url(target), json, key);

        Assert.Equal(first.StatusCode, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(revisions, await RevisionsAsync(id));

        var changed = other.StartsWith('{') || other.StartsWith('[')
            ? await SendAsync(method, Url(target), other.Replace("{name}", name, StringComparison.Ordinal), key)
            : await SendAsync(method, Url(other), json, key);
        await changed.AssertProblemAsync(422);
        Assert.Equal(revisions, await RevisionsAsync(id));
    }

    [Fact]
    public async Task DeleteLoadBalancer_SameKey_ReplaysFirstAnswerInsteadOf404()
    {
        var (id, _, _) = await CreateAsync();
        var key = Guid.NewGuid().ToString();
        var first = await SendAsync("DELETE", $"/api/v1/loadbalancer/{id}", null, key);
        Assert.True(first.IsSuccessStatusCode, $"first DELETE gave {(int)first.StatusCode}");
        await Eventually.Until(() => _client.GetAsync($"/api/v1/loadbalancer/{id}"), r => r.StatusCode == HttpStatusCode.NotFound, "the load balancer to be gone");

        var second = await SendAsync("DELETE", $"/api/v1/loadbalancer/{id}", null, key);
        Assert.Equal(first.StatusCode, second.StatusCode);
        await (await SendAsync("DELETE", $"/api/v1/loadbalancer/{id}", null, Guid.NewGuid().ToString())).AssertProblemAsync(404);
    }

    [Fact]
    public async Task Write_FailedAttempt_IsNotRememberedAndRetrySucceeds()
    {
        var (id, backendId, _) = await CreateAsync();
        var key = Guid.NewGuid().ToString();
        await (await SendAsync("PATCH", $"/api/v1/loadbalancer/{id}/backends/{backendId}", """{"weight": 999}""", key)).AssertProblemAsync(400, "weight");
        var retried = await SendAsync("PATCH", $"/api/v1/loadbalancer/{id}/backends/{backendId}", """{"weight": 9}""", key);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(9, (int)(await retried.ReadNodeAsync())["weight"]!);
    }

    [Fact]
    public async Task OpenApi_EveryWrite_DocumentsIdempotencyKey()
    {
        var document = await (await _client.GetAsync("/openapi/v1.json")).ReadNodeAsync();
        var writes = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Where(op => op.Key is "post" or "put" or "patch" or "delete").Select(op => (Name: $"{op.Key} {path.Key}", Op: op.Value!)))
            .ToList();
        Assert.True(writes.Count >= 11, $"only {writes.Count} writes");
        foreach (var (name, op) in writes)
        {
            Assert.True(op["parameters"]?.AsArray().Any(p => (string?)p!["name"] == "Idempotency-Key" && (string?)p["in"] == "header") == true,
                $"{name} does not document Idempotency-Key");
        }
    }

    private async Task<(long Id, long BackendId, string Name)> CreateAsync()
    {
        var name = TestData.Unique();
        var lb = await _client.CreateLoadBalancerAsync($$"""{"name": "{{name}}", "backends": [{"host": "127.0.0.1", "port": 9401}]}""");
        return ((long)lb["id"]!, (long)lb["backends"]![0]!["id"]!, name);
    }

    private Task<HttpResponseMessage> SendAsync(string method, string url, string? json, string key)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (json is not null)
        {
            request.Content = HttpJson.Json(json);
        }
        request.Headers.Add("Idempotency-Key", key);
        return _client.SendAsync(request);
    }

    private async Task<int> RevisionsAsync(long id) =>
        (await (await _client.GetAsync($"/api/v1/loadbalancer/{id}/revisions?limit=500")).ReadNodeAsync())["items"]!.AsArray().Count;
}
