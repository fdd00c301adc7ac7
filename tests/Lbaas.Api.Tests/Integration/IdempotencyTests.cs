using System.Net;
using Lbaas.Api.Tests.Infrastructure;

namespace Lbaas.Api.Tests.Integration;

public sealed class IdempotencyTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient _client = api.CreateClient();

    private Task<HttpResponseMessage> PostAsync(string url, string json, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = HttpJson.Json(json) };
        request.Headers.Add("Idempotency-Key", key);
        return _client.SendAsync(request);
    }

    [Fact]
    public async Task CreateLoadBalancer_SameKeySameBody_ReturnsFirstResponseWithoutDuplicate()
    {
        var key = Guid.NewGuid().ToString();
        var name = TestData.Unique();
        var first = await PostAsync("/api/v1/loadbalancer", $$"""{"name": "{{name}}", "labels": {"env": "ci"} }""", key);
        // Same content, other formatting: still the same request.
        var second = await PostAsync("/api/v1/loadbalancer", $$"""{ "name":"{{name}}",  "labels":{"env":"ci"} }""", key);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal((long)(await first.ReadNodeAsync())["id"]!, (long)(await second.ReadNodeAsync())["id"]!);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        var list = await (await _client.GetAsync($"/api/v1/loadbalancer?name={name}")).ReadNodeAsync();
        Assert.Single(list["items"]!.AsArray());
    }

    [Fact]
    public async Task CreateLoadBalancer_SameKeyDifferentBody_Returns422()
    {
        var key = Guid.NewGuid().ToString();
        await PostAsync("/api/v1/loadbalancer", $$"""{"name": "{{TestData.Unique()}}"}""", key);
        await (await PostAsync("/api/v1/loadbalancer", $$"""{"name": "{{TestData.Unique()}}"}""", key)).AssertProblemAsync(422);
    }

    [Fact]
    public async Task CreateLoadBalancer_ConcurrentRetriesWithSameKey_CreateOne()
    {
        var key = Guid.NewGuid().ToString();
        var name = TestData.Unique();
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => PostAsync("/api/v1/loadbalancer", $$"""{"name": "{{name}}"}""", key)));
        // A twin answered while the first still waits for HAProxy replays 202: the create is stored, not yet live.
        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.Accepted, $"got {(int)r.StatusCode}"));
        Assert.Single(responses.Select(r => r.Headers.Location).Distinct());
        var ids = await Task.WhenAll(responses.Select(async r => (long)(await r.ReadNodeAsync())["id"]!));
        Assert.Single(ids.Distinct());
    }

    [Fact]
    public async Task CreateLoadBalancer_FailedAttempt_IsNotRemembered()
    {
        var key = Guid.NewGuid().ToString();
        var taken = await _client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}"}""");
        var port = (int)taken["frontend_port"]!;
        var json = $$"""{"name": "{{TestData.Unique()}}", "frontend_port": {{port}}}""";
        await (await PostAsync("/api/v1/loadbalancer", json, key)).AssertProblemAsync(409);
        await _client.DeleteAsync($"/api/v1/loadbalancer/{taken["id"]}");
        Assert.Equal(HttpStatusCode.Created, (await PostAsync("/api/v1/loadbalancer", json, key)).StatusCode);
    }

    [Fact]
    public async Task CreateBackend_SameKeySameBody_CreatesOne()
    {
        var lb = await _client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}"}""");
        var key = Guid.NewGuid().ToString();
        var url = $"/api/v1/loadbalancer/{lb["id"]}/backends";
        var first = await PostAsync(url, """{"host": "127.0.0.1", "port": 9001}""", key);
        var second = await PostAsync(url, """{"host": "127.0.0.1", "port": 9001}""", key);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal((long)(await first.ReadNodeAsync())["id"]!, (long)(await second.ReadNodeAsync())["id"]!);
    }

    [Fact]
    public async Task CreateLoadBalancer_InvalidKey_Returns400()
    {
        await (await PostAsync("/api/v1/loadbalancer", $$"""{"name": "{{TestData.Unique()}}"}""", new string('k', 300))).AssertProblemAsync(400, "Idempotency-Key");
    }
}
