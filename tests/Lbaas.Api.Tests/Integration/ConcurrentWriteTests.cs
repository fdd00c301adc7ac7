using System.Net;
using Lbaas.Api.Tests.Infrastructure;

namespace Lbaas.Api.Tests.Integration;

/// <summary>Writers racing on one load balancer: no 500, no lost DELETE, no spurious 412.</summary>
public sealed class ConcurrentWriteTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task LoadBalancerPutWithBackends_AgainstBackendPatches_NeverFails()
    {
        var lb = await _client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}", "backends": [{"host": "127.0.0.1", "port": 9001}, {"host": "127.0.0.1", "port": 9002}]}""");
        var id = (long)lb["id"]!;
        var backendId = (long)lb["backends"]![0]!["id"]!;
        for (var round = 0; round < 10; round++)
        {
            var put = api.CreateClient().PutJsonAsync($"/api/v1/loadbalancer/{id}?wait=false",
                $$"""{"name": "{{lb["name"]}}", "backends": [{"host": "127.0.0.1", "port": 9001, "weight": {{round + 1}}}, {"host": "127.0.0.1", "port": 9002, "weight": {{round + 2}}}]}""");
            var patch = api.CreateClient().PatchJsonAsync($"/api/v1/loadbalancer/{id}/backends/{backendId}?wait=false", $$"""{"weight": {{round + 3}}}""");
            var responses = await Task.WhenAll(put, patch);
            Assert.All(responses, r => Assert.True((int)r.StatusCode < 300, $"{r.RequestMessage!.Method} gave {(int)r.StatusCode}"));
        }
    }

    [Fact]
    public async Task Delete_RacingBackendWrites_StaysDeleted()
    {
        for (var round = 0; round < 5; round++)
        {
            var lb = await _client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}"}""");
            var id = (long)lb["id"]!;
            var adds = Enumerable.Range(0, 4).Select(i =>
                api.CreateClient().PostJsonAsync($"/api/v1/loadbalancer/{id}/backends?wait=false", $$"""{"host": "127.0.0.1", "port": {{9100 + i}}}"""));
            var delete = api.CreateClient().DeleteAsync($"/api/v1/loadbalancer/{id}");
            var results = await Task.WhenAll(adds.Append(delete));
            Assert.All(results, r => Assert.True((int)r.StatusCode < 500, $"{(int)r.StatusCode}"));
            await Eventually.Until(async () => (await _client.GetAsync($"/api/v1/loadbalancer/{id}")).StatusCode, s => s == HttpStatusCode.NotFound,
                $"load balancer {id} to stay deleted", TimeSpan.FromSeconds(10));
        }
    }

    [Fact]
    public async Task Delete_Twice_WithCurrentETag_IsNot412()
    {
        var lb = await _client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}"}""");
        var etag = (await _client.GetAsync($"/api/v1/loadbalancer/{lb["id"]}")).Headers.ETag!.Tag;
        var first = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/loadbalancer/{lb["id"]}?wait=false");
        first.Headers.TryAddWithoutValidation("If-Match", etag);
        Assert.Equal(HttpStatusCode.Accepted, (await _client.SendAsync(first)).StatusCode);
        var second = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/loadbalancer/{lb["id"]}");
        second.Headers.TryAddWithoutValidation("If-Match", etag);
        var response = await _client.SendAsync(second);
        Assert.True(response.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.NotFound, $"got {(int)response.StatusCode}");
    }

    [Fact]
    public async Task ReplaceBackends_SwappingNames_Is409NotServerError()
    {
        var lb = await _client.CreateLoadBalancerAsync(
            $$"""{"name": "{{TestData.Unique()}}", "backends": [{"host": "127.0.0.1", "port": 9001, "name": "a"}, {"host": "127.0.0.1", "port": 9002, "name": "b"}]}""");
        var response = await _client.PutJsonAsync($"/api/v1/loadbalancer/{lb["id"]}/backends",
            """[{"host": "127.0.0.1", "port": 9001, "name": "b"}, {"host": "127.0.0.1", "port": 9002, "name": "a"}]""");
        await response.AssertProblemAsync(409, "backends");
    }
}
