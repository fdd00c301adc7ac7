using System.Net;
using Lbaas.Api.Tests.Infrastructure;

namespace Lbaas.Api.Tests.Integration;

/// <summary>If-Match against the ETag (PostgreSQL xmin): a stale version is 412 and changes nothing.</summary>
public sealed class ConcurrencyTokenTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient _client = api.CreateClient();

    private async Task<(long Id, string ETag)> CreateAsync(string extra = "")
    {
        var lb = await _client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}", "description": "v1"{{extra}}}""");
        var get = await _client.GetAsync($"/api/v1/loadbalancer/{lb["id"]}");
        return ((long)lb["id"]!, get.Headers.ETag!.Tag);
    }

    private HttpRequestMessage Request(HttpMethod method, long id, string? etag, string? json = null)
    {
        var request = new HttpRequestMessage(method, $"/api/v1/loadbalancer/{id}");
        if (json is not null)
        {
            request.Content = HttpJson.Json(json, method == HttpMethod.Patch ? "application/merge-patch+json" : "application/json");
        }
        if (etag is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", etag);
        }
        return request;
    }

    [Fact]
    public async Task Patch_CurrentETag_SucceedsAndReturnsNewETag()
    {
        var (id, etag) = await CreateAsync();
        var response = await _client.SendAsync(Request(HttpMethod.Patch, id, etag, """{"description": "v2"}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual(etag, response.Headers.ETag!.Tag);
    }

    [Fact]
    public async Task Patch_StaleETag_Returns412AndChangesNothing()
    {
        var (id, stale) = await CreateAsync();
        await _client.PatchJsonAsync($"/api/v1/loadbalancer/{id}", """{"description": "v2"}""");
        await (await _client.SendAsync(Request(HttpMethod.Patch, id, stale, """{"description": "v3"}"""))).AssertProblemAsync(412);
        var current = await (await _client.GetAsync($"/api/v1/loadbalancer/{id}")).ReadNodeAsync();
        Assert.Equal("v2", (string?)current["description"]);
    }

    [Fact]
    public async Task Put_StaleETag_Returns412AndChangesNothing()
    {
        var (id, stale) = await CreateAsync();
        await _client.PatchJsonAsync($"/api/v1/loadbalancer/{id}", """{"description": "v2"}""");
        var name = (string?)(await (await _client.GetAsync($"/api/v1/loadbalancer/{id}")).ReadNodeAsync())["name"];
        await (await _client.SendAsync(Request(HttpMethod.Put, id, stale, $$"""{"name": "{{name}}", "description": "v3"}"""))).AssertProblemAsync(412);
        var current = await (await _client.GetAsync($"/api/v1/loadbalancer/{id}")).ReadNodeAsync();
        Assert.Equal("v2", (string?)current["description"]);
    }

    [Fact]
    public async Task Delete_StaleETag_Returns412AndKeepsIt()
    {
        var (id, stale) = await CreateAsync();
        await _client.PatchJsonAsync($"/api/v1/loadbalancer/{id}", """{"description": "v2"}""");
        await (await _client.SendAsync(Request(HttpMethod.Delete, id, stale))).AssertProblemAsync(412);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync($"/api/v1/loadbalancer/{id}")).StatusCode);
    }

    [Fact]
    public async Task Delete_CurrentETag_Deletes()
    {
        var (id, etag) = await CreateAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await _client.SendAsync(Request(HttpMethod.Delete, id, etag))).StatusCode);
    }

    [Fact]
    public async Task BackendChange_ChangesLoadBalancerETag()
    {
        var (id, etag) = await CreateAsync();
        await _client.PostJsonAsync($"/api/v1/loadbalancer/{id}/backends", """{"host": "127.0.0.1", "port": 9001}""");
        await (await _client.SendAsync(Request(HttpMethod.Patch, id, etag, """{"description": "v2"}"""))).AssertProblemAsync(412);
    }

    [Fact]
    public async Task ReplaceBackends_StaleLoadBalancerETag_Returns412AndKeepsPool()
    {
        var (id, stale) = await CreateAsync();
        await _client.PatchJsonAsync($"/api/v1/loadbalancer/{id}", """{"description": "v2"}""");
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/loadbalancer/{id}/backends") { Content = HttpJson.Json("""[{"host": "127.0.0.1", "port": 9005}]""") };
        request.Headers.TryAddWithoutValidation("If-Match", stale);

        await (await _client.SendAsync(request)).AssertProblemAsync(412);

        Assert.Empty((await (await _client.GetAsync($"/api/v1/loadbalancer/{id}")).ReadNodeAsync())["backends"]!.AsArray());
    }

    [Fact]
    public async Task ReplaceBackends_ETagOfPoolGet_Succeeds()
    {
        var (id, _) = await CreateAsync();
        var etag = (await _client.GetAsync($"/api/v1/loadbalancer/{id}/backends")).Headers.ETag!.Tag;
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/loadbalancer/{id}/backends") { Content = HttpJson.Json("""[{"host": "127.0.0.1", "port": 9005}]""") };
        request.Headers.TryAddWithoutValidation("If-Match", etag);

        var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single((await (await _client.GetAsync($"/api/v1/loadbalancer/{id}")).ReadNodeAsync())["backends"]!.AsArray());
    }
}
