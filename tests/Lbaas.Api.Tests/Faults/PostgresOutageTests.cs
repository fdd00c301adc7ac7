using Lbaas.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Lbaas.Api.Tests.Faults;

/// <summary>
/// PostgreSQL crashes (<c>pg_ctl -m immediate</c>) and comes back in the middle of a write burst,
/// while traffic flows through a load balancer: the data plane does not notice, no acknowledged
/// write is lost, no answer claims less than what was stored, and the desired state goes live
/// without a person.
/// </summary>
public sealed class PostgresOutageTests(ITestOutputHelper output)
{
    [Fact]
    public async Task PostgresCrashMidBurst_NoAcknowledgedWriteLost_EverythingLiveAfter()
    {
        var cluster = await LocalPostgresCluster.StartAsync(durable: true);
        var database = await TestPostgres.CreateDatabaseAsync(cluster.ConnectionString, migrate: true);
        await using var api = await ApiFactory.StartAsync(database);
        var client = api.CreateClient();
        await using var stage = await FaultStage.StartAsync(() => client, api.HaProxy, firstPort: 40_000);

        await cluster.StopServerAsync();
        // The outage itself: the burst and the traffic run on against a PostgreSQL that is down for 3 s.
        await Task.Delay(TimeSpan.FromSeconds(3));
        await cluster.StartServerAsync();
        var (outcomes, summary) = await stage.FinishAsync();
        output.WriteLine(summary);

        Assert.DoesNotContain(outcomes, o => o.Status is >= 500 and not 503 or 0);
        Assert.Contains(outcomes, o => o.Acknowledged);
        var stored = await Eventually.Until(() => stage.StoredPortsAsync(client), ports => ports is not null, "the API reading the database again");
        Assert.All(outcomes.Where(o => o.Acknowledged), o => Assert.True(stored!.Contains(o.Port), $"acknowledged but not stored: {o}"));
        Assert.All(outcomes.Where(o => o.SaidNothingChanged), o => Assert.False(stored!.Contains(o.Port), $"said nothing was changed but stored: {o}"));
        await stage.AssertServedAndConvergedAsync(stored!.Count);
    }
}
