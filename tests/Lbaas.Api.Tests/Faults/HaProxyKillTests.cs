using Lbaas.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Lbaas.Api.Tests.Faults;

/// <summary>
/// HAProxy's worker or master is killed (SIGKILL) in the middle of a write burst while traffic
/// flows, with HAProxy under its supervisor as up.sh runs it: every write is acknowledged (202
/// while HAProxy is away) and stored, traffic is served again, and everything stored goes live
/// without a person.
/// </summary>
public sealed class HaProxyKillTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("worker", 42_000)]
    [InlineData("master", 43_000)]
    public async Task HaProxyKilledMidBurst_Supervised_NoAcknowledgedWriteLost_EverythingLiveAfter(string victim, int firstPort)
    {
        var database = await TestPostgres.CreateDatabaseAsync();
        await using var haproxy = await ApiHaProxy.StartAsync(supervised: true);
        await using var api = await ApiFactory.StartAsync(database, haproxy);
        var client = api.CreateClient();
        await using var stage = await FaultStage.StartAsync(() => client, haproxy, firstPort);

        var killed = victim == "worker" ? await haproxy.KillWorkerAsync() : await haproxy.KillMasterAsync();
        var (outcomes, summary) = await stage.FinishAsync();
        output.WriteLine($"{victim} {killed} killed; {summary}");

        Assert.All(outcomes, o => Assert.True(o.Acknowledged, $"not acknowledged: {o}"));
        var ports = (await stage.StoredPortsAsync(client))!;
        Assert.Equal(outcomes.Select(o => o.Port).Order(), ports.Order());
        await stage.AssertServedAndConvergedAsync(ports.Count, haproxyDied: true);
    }
}
