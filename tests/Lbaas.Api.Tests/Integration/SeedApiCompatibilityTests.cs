using System.Net;
using Lbaas.Api.Tests.Infrastructure;

namespace Lbaas.Api.Tests.Integration;

/// <summary>The exact calls users of the earlier Python LBaaS make, trailing slashes included.</summary>
public sealed class SeedApiCompatibilityTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task SeedCurlCalls_WorkUnchanged()
    {
        var client = api.CreateClient();
        var name = TestData.Unique("web-lb");
        var port = FreePort.Next();

        var created = await client.PostAsync("/api/v1/loadbalancer/",
            HttpJson.Json($$"""{"name": "{{name}}", "frontend_port": {{port}}, "algorithm": "roundrobin"}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var lb = await created.ReadNodeAsync();
        var id = (long)lb["id"]!;
        Assert.Equal($"/api/v1/loadbalancer/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal("round_robin", (string?)lb["algorithm"]);
        Assert.Equal(port, (int)lb["frontend_port"]!);

        var backend = await client.PostAsync($"/api/v1/loadbalancer/{id}/backends",
            HttpJson.Json("""{"host": "127.0.0.1", "port": 9001, "weight": 1}"""));
        Assert.Equal(HttpStatusCode.Created, backend.StatusCode);

        var list = await client.GetAsync("/api/v1/loadbalancer/");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        var page = await list.ReadNodeAsync();
        Assert.Contains(page["items"]!.AsArray(), item => (long)item!["id"]! == id);

        var get = await client.GetAsync($"/api/v1/loadbalancer/{id}");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        var fetched = await get.ReadNodeAsync();
        Assert.Equal("127.0.0.1", (string?)fetched["backends"]![0]!["host"]);
        Assert.Equal(9001, (int)fetched["backends"]![0]!["port"]!);

        var deleted = await client.DeleteAsync($"/api/v1/loadbalancer/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/loadbalancer/{id}")).StatusCode);
    }

    [Theory]
    [InlineData("roundrobin", "round_robin")]
    [InlineData("leastconn", "least_connections")]
    [InlineData("source", "source_ip")]
    [InlineData("least_response_time", "least_response_time")]
    [InlineData("random", "random")]
    public async Task CreateLoadBalancer_AlgorithmAlias_StoresCanonicalName(string sent, string stored)
    {
        var client = api.CreateClient();
        var lb = await client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}", "algorithm": "{{sent}}"}""");
        Assert.Equal(stored, (string?)lb["algorithm"]);
    }
}
