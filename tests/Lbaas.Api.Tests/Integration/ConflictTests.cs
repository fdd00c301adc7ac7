using Lbaas.Api.Tests.Infrastructure;

namespace Lbaas.Api.Tests.Integration;

public sealed class ConflictTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task CreateLoadBalancer_DuplicateName_Returns409NamingExistingId()
    {
        var name = TestData.Unique();
        var first = await _client.CreateLoadBalancerAsync($$"""{"name": "{{name}}"}""");
        var problem = await (await _client.PostJsonAsync("/api/v1/loadbalancer", $$"""{"name": "{{name}}"}""")).AssertProblemAsync(409, "name");
        Assert.Equal((long)first["id"]!, (long)problem["existing_id"]!);
    }

    [Fact]
    public async Task CreateLoadBalancer_PortUsedOnSameAddress_Returns409()
    {
        var port = FreePort.Next();
        var first = await _client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}", "frontend_port": {{port}}}""");
        var problem = await (await _client.PostJsonAsync("/api/v1/loadbalancer", $$"""{"name": "{{TestData.Unique()}}", "frontend_port": {{port}}}"""))
            .AssertProblemAsync(409, "frontend_port");
        Assert.Equal((long)first["id"]!, (long)problem["existing_id"]!);
    }

    [Fact]
    public async Task CreateLoadBalancer_SamePortOtherAddress_IsAllowed_ButWildcardConflicts()
    {
        var port = FreePort.Next();
        await _client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}", "frontend_port": {{port}}, "bind_address": "127.0.0.1"}""");
        await _client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}", "frontend_port": {{port}}, "bind_address": "127.0.0.2"}""");
        await (await _client.PostJsonAsync("/api/v1/loadbalancer", $$"""{"name": "{{TestData.Unique()}}", "frontend_port": {{port}}, "bind_address": "0.0.0.0"}"""))
            .AssertProblemAsync(409, "frontend_port");
    }

    [Fact]
    public async Task CreateLoadBalancer_ReservedPort_Returns409()
    {
        foreach (var port in new[] { 8000, api.Factory.HaProxy.StatsPort })
        {
            await (await _client.PostJsonAsync("/api/v1/loadbalancer", $$"""{"name": "{{TestData.Unique()}}", "frontend_port": {{port}}}"""))
                .AssertProblemAsync(409, "frontend_port");
        }
    }

    [Fact]
    public async Task ReplaceLoadBalancer_NameOfAnother_Returns409()
    {
        var taken = await _client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}"}""");
        var lb = await _client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}"}""");
        await (await _client.PatchJsonAsync($"/api/v1/loadbalancer/{lb["id"]}", $$"""{"name": "{{taken["name"]}}"}""")).AssertProblemAsync(409, "name");
    }

    [Fact]
    public async Task CreateBackend_DuplicateHostPort_Returns409()
    {
        var lb = await _client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}"}""");
        await _client.PostJsonAsync($"/api/v1/loadbalancer/{lb["id"]}/backends", """{"host": "127.0.0.1", "port": 9001}""");
        await (await _client.PostJsonAsync($"/api/v1/loadbalancer/{lb["id"]}/backends", """{"host": "127.0.0.1", "port": 9001, "weight": 5}"""))
            .AssertProblemAsync(409, "port");
    }

    [Fact]
    public async Task ConcurrentCreates_SameName_OneWinsOthersGet409()
    {
        var name = TestData.Unique();
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            api.CreateClient().PostJsonAsync("/api/v1/loadbalancer", $$"""{"name": "{{name}}"}""")));
        Assert.Single(responses, r => r.StatusCode == System.Net.HttpStatusCode.Created);
        Assert.All(responses.Where(r => r.StatusCode != System.Net.HttpStatusCode.Created),
            r => Assert.Equal(System.Net.HttpStatusCode.Conflict, r.StatusCode));
    }

    [Fact]
    public async Task ConcurrentCreates_NoPort_AllGetDistinctPorts()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            api.CreateClient().PostJsonAsync("/api/v1/loadbalancer", $$"""{"name": "{{TestData.Unique()}}"}""")));
        var ports = new List<int>();
        foreach (var response in responses)
        {
            Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
            ports.Add((int)(await response.ReadNodeAsync())["frontend_port"]!);
        }
        Assert.Equal(ports.Count, ports.Distinct().Count());
    }

    [Fact]
    public async Task ConcurrentBackendAdds_SameLoadBalancer_AllSucceed()
    {
        var lb = await _client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}"}""");
        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            api.CreateClient().PostJsonAsync($"/api/v1/loadbalancer/{lb["id"]}/backends", $$"""{"host": "127.0.0.1", "port": {{9100 + i}}}""")));
        Assert.All(responses, r => Assert.Equal(System.Net.HttpStatusCode.Created, r.StatusCode));
        var backends = await (await _client.GetAsync($"/api/v1/loadbalancer/{lb["id"]}/backends")).ReadNodeAsync();
        Assert.Equal(10, backends.AsArray().Count);
    }
}
