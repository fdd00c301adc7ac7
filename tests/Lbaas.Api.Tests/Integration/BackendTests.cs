using System.Net;
using Lbaas.Api.Tests.Infrastructure;

namespace Lbaas.Api.Tests.Integration;

public sealed class BackendTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient _client = api.CreateClient();

    private async Task<long> NewLoadBalancerAsync() =>
        (long)(await _client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}"}"""))["id"]!;

    [Fact]
    public async Task CreateBackend_Defaults_AndGetListPatchDelete()
    {
        var id = await NewLoadBalancerAsync();
        var created = await _client.PostJsonAsync($"/api/v1/loadbalancer/{id}/backends/", """{"host": "127.0.0.1", "port": 9001, "name": "web-1"}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var backend = await created.ReadNodeAsync();
        var backendId = (long)backend["id"]!;
        Assert.Equal($"/api/v1/loadbalancer/{id}/backends/{backendId}", created.Headers.Location?.OriginalString);
        Assert.Equal(1, (int)backend["weight"]!);
        Assert.False((bool)backend["backup"]!);
        Assert.Equal("enabled", (string?)backend["state"]);

        var fetched = await (await _client.GetAsync($"/api/v1/loadbalancer/{id}/backends/{backendId}")).ReadNodeAsync();
        Assert.Equal("web-1", (string?)fetched["name"]);

        var patched = await _client.PatchJsonAsync($"/api/v1/loadbalancer/{id}/backends/{backendId}", """{"weight": 0, "state": "draining"}""");
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var changed = await patched.ReadNodeAsync();
        Assert.Equal(0, (int)changed["weight"]!);
        Assert.Equal("draining", (string?)changed["state"]);
        Assert.Equal("web-1", (string?)changed["name"]);

        var list = await (await _client.GetAsync($"/api/v1/loadbalancer/{id}/backends")).ReadNodeAsync();
        Assert.Single(list.AsArray());

        var deleted = await _client.DeleteAsync($"/api/v1/loadbalancer/{id}/backends/{backendId}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Null(deleted.Headers.ETag);
        await (await _client.GetAsync($"/api/v1/loadbalancer/{id}/backends/{backendId}")).AssertProblemAsync(404);
        await (await _client.DeleteAsync($"/api/v1/loadbalancer/{id}/backends/{backendId}")).AssertProblemAsync(404);
    }

    [Fact]
    public async Task PatchBackend_InvalidWeight_Returns400AndKeepsValue()
    {
        var id = await NewLoadBalancerAsync();
        var backend = await (await _client.PostJsonAsync($"/api/v1/loadbalancer/{id}/backends", """{"host": "127.0.0.1", "port": 9001, "weight": 4}""")).ReadNodeAsync();
        await (await _client.PatchJsonAsync($"/api/v1/loadbalancer/{id}/backends/{backend["id"]}", """{"weight": 300}""")).AssertProblemAsync(400, "weight");
        var fetched = await (await _client.GetAsync($"/api/v1/loadbalancer/{id}/backends/{backend["id"]}")).ReadNodeAsync();
        Assert.Equal(4, (int)fetched["weight"]!);
    }

    [Fact]
    public async Task ReplaceBackends_SyncsWholeSetKeepingMatchedIds()
    {
        var id = await NewLoadBalancerAsync();
        var a = await (await _client.PostJsonAsync($"/api/v1/loadbalancer/{id}/backends", """{"host": "127.0.0.1", "port": 9001}""")).ReadNodeAsync();
        await _client.PostJsonAsync($"/api/v1/loadbalancer/{id}/backends", """{"host": "127.0.0.1", "port": 9002}""");

        var response = await _client.PutJsonAsync($"/api/v1/loadbalancer/{id}/backends",
            """[{"host": "127.0.0.1", "port": 9001, "weight": 7}, {"host": "127.0.0.1", "port": 9003, "backup": true}]""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var set = (await response.ReadNodeAsync()).AsArray();
        Assert.Equal(2, set.Count);
        Assert.Equal((long)a["id"]!, (long)set[0]!["id"]!);
        Assert.Equal(7, (int)set[0]!["weight"]!);
        Assert.Equal(9003, (int)set[1]!["port"]!);

        var emptied = await _client.PutJsonAsync($"/api/v1/loadbalancer/{id}/backends", "[]");
        Assert.Empty((await emptied.ReadNodeAsync()).AsArray());
    }

    [Fact]
    public async Task ReplaceBackends_InvalidMember_Returns400AndKeepsOldSet()
    {
        var id = await NewLoadBalancerAsync();
        await _client.PostJsonAsync($"/api/v1/loadbalancer/{id}/backends", """{"host": "127.0.0.1", "port": 9001}""");
        await (await _client.PutJsonAsync($"/api/v1/loadbalancer/{id}/backends", """[{"host": "127.0.0.1", "port": 9002}, {"host": "x y", "port": 1}]"""))
            .AssertProblemAsync(400, "body[1].host");
        var list = await (await _client.GetAsync($"/api/v1/loadbalancer/{id}/backends")).ReadNodeAsync();
        Assert.Equal(9001, (int)Assert.Single(list.AsArray())!["port"]!);
    }

    [Fact]
    public async Task Backends_UnknownLoadBalancer_Returns404()
    {
        await (await _client.PostJsonAsync("/api/v1/loadbalancer/987654321/backends", """{"host": "127.0.0.1", "port": 9001}""")).AssertProblemAsync(404);
        await (await _client.GetAsync("/api/v1/loadbalancer/987654321/backends")).AssertProblemAsync(404);
        await (await _client.PutJsonAsync("/api/v1/loadbalancer/987654321/backends", "[]")).AssertProblemAsync(404);
    }

    [Fact]
    public async Task Backend_OfAnotherLoadBalancer_Returns404()
    {
        var first = await NewLoadBalancerAsync();
        var second = await NewLoadBalancerAsync();
        var backend = await (await _client.PostJsonAsync($"/api/v1/loadbalancer/{first}/backends", """{"host": "127.0.0.1", "port": 9001}""")).ReadNodeAsync();
        await (await _client.GetAsync($"/api/v1/loadbalancer/{second}/backends/{backend["id"]}")).AssertProblemAsync(404);
        await (await _client.DeleteAsync($"/api/v1/loadbalancer/{second}/backends/{backend["id"]}")).AssertProblemAsync(404);
    }
}
