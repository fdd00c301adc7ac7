using Lbaas.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Lbaas.Api.Tests.Faults;

/// <summary>
/// The API is killed (SIGKILL) in the middle of a write burst while traffic flows through a
/// load balancer, and started again: HAProxy serves on without it, every acknowledged write is
/// stored once, retries of unanswered writes with their Idempotency-Key never store one twice,
/// and everything stored goes live once the API is back.
/// </summary>
public sealed class ApiKillTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ApiKilledMidBurst_NoAcknowledgedWriteLost_RetriesStoreOnce_EverythingLiveAfter()
    {
        var database = await TestPostgres.CreateDatabaseAsync();
        await using var haproxy = await ApiHaProxy.StartAsync();
        await using var api = await ApiServer.StartAsync(database, haproxy);
        using var client = api.CreateClient();
        await using var stage = await FaultStage.StartAsync(() => client, haproxy, firstPort: 41_000);

        await api.KillAsync();
        // The outage itself: the burst retries and the traffic runs on while no API answers for 1 s.
        await Task.Delay(TimeSpan.FromSeconds(1));
        await api.StartProcessAsync();
        var (outcomes, summary) = await stage.FinishAsync();
        output.WriteLine(summary);

        Assert.Contains(outcomes, o => o.Attempts.Count > 1);
        // Every write was answered in the end, and none by a server error.
        Assert.All(outcomes, o => Assert.True(o.Acknowledged, $"not acknowledged: {o}"));
        var ports = (await stage.StoredPortsAsync(client))!;
        Assert.Equal(ports.Count, ports.Distinct().Count());
        Assert.Equal(outcomes.Select(o => o.Port).Order(), ports.Order());
        await stage.AssertServedAndConvergedAsync(ports.Count);
    }
}
