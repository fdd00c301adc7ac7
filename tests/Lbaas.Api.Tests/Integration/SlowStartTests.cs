using Lbaas.Api.Tests.Infrastructure;

namespace Lbaas.Api.Tests.Integration;

/// <summary>slow_start: a server that comes up ramps to its full weight (HAProxy's slowstart).</summary>
public sealed class SlowStartTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task CreateLoadBalancer_SlowStart_IsStoredAndRenderedOnEveryServer()
    {
        var lb = await _client.CreateLoadBalancerAsync($$"""
            {"name": "{{TestData.Unique()}}", "slow_start": "30s",
             "backends": [{"host": "127.0.0.1", "port": 9001}, {"host": "127.0.0.1", "port": 9002}]}
            """);
        Assert.Equal("30s", (string?)lb["slow_start"]);
        Assert.Equal("ACTIVE", (string?)lb["provisioning_status"]);

        var config = await _client.GetStringAsync($"/api/v1/loadbalancer/{lb["id"]}/config");
        Assert.Equal(2, config.Split("slowstart 30s").Length - 1);
    }

    [Fact]
    public async Task PatchLoadBalancer_SlowStartNull_TurnsItOff()
    {
        var lb = await _client.CreateLoadBalancerAsync($$"""
            {"name": "{{TestData.Unique()}}", "slow_start": "10s", "backends": [{"host": "127.0.0.1", "port": 9001}]}
            """);

        var patched = await (await _client.PatchJsonAsync($"/api/v1/loadbalancer/{lb["id"]}", """{"slow_start": null}""")).ReadNodeAsync();

        Assert.Null(patched["slow_start"]);
        Assert.DoesNotContain("slowstart", await _client.GetStringAsync($"/api/v1/loadbalancer/{lb["id"]}/config"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"soon\"")]
    [InlineData("\"0s\"")]
    [InlineData("\"25h\"")]
    [InlineData("30")]
    public async Task CreateLoadBalancer_BadSlowStart_Returns400NamingIt(string value)
    {
        var name = TestData.Unique();
        await (await _client.PostJsonAsync("/api/v1/loadbalancer", $$"""{"name": "{{name}}", "slow_start": {{value}}}""")).AssertProblemAsync(400, "slow_start");

        var list = await (await _client.GetAsync($"/api/v1/loadbalancer?name={name}")).ReadNodeAsync();
        Assert.Empty(list["items"]!.AsArray());
    }
}
