using Lbaas.Api.Tests.Infrastructure;

namespace Lbaas.Api.Tests.Integration;

/// <summary>Reloads while requests flow: listeners pass to the new worker, keep-alive connections close cleanly between requests.</summary>
public sealed class ReloadUnderLoadTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient _client = api.CreateClient();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Reloads_UnderBoundedLoad_FailNoRequest(bool keepAlive)
    {
        await using var a = await TestBackend.StartAsync("a");
        await using var b = await TestBackend.StartAsync("b");
        var port = FreePort.Next();
        var lb = await _client.CreateLoadBalancerAsync($$"""
            {"name": "{{TestData.Unique()}}", "frontend_port": {{port}},
             "backends": [{"host": "127.0.0.1", "port": {{a.Port}}}, {"host": "127.0.0.1", "port": {{b.Port}}}]}
            """);
        Assert.True(await Traffic.AnsweredByAsync(port, "a", "b"));
        var reloadsBefore = (await api.Factory.HaProxy.Master.ShowProcAsync()).Master.Reloads;

        await using var load = Load.Start(port, clients: 4, keepAlive);
        // Each of these is a load-balancer-level change: the reload path.
        foreach (var timeout in new[] { "20s", "21s", "22s", "23s", "24s" })
        {
            var patched = await (await _client.PatchJsonAsync($"/api/v1/loadbalancer/{lb["id"]}", $$$"""{"timeouts": {"client": "{{{timeout}}}"}}""")).ReadNodeAsync();
            Assert.Equal("ACTIVE", (string?)patched["provisioning_status"]);
            // Not a wait for anything: the load runs on between two reloads, which is what is tested.
            await Task.Delay(100);
        }
        await load.StopAsync();

        Assert.True((await api.Factory.HaProxy.Master.ShowProcAsync()).Master.Reloads >= reloadsBefore + 5);
        Assert.True(load.Sent > 50, $"only {load.Sent} requests were sent");
        Assert.Empty(load.Failures);
        Assert.True(load.Answers.ContainsKey("a") && load.Answers.ContainsKey("b"));
    }
}
