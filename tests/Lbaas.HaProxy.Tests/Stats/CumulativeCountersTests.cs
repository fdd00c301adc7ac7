using Lbaas.HaProxy.Stats;

namespace Lbaas.HaProxy.Tests.Stats;

public sealed class CumulativeCountersTests
{
    private static readonly StatKey Frontend = new("lb_1", "FRONTEND");
    private static readonly StatKey Server = new("lb_1", "b_7");

    [Fact]
    public void Update_SameWorker_ReportsHaProxysValues()
    {
        var counters = new CumulativeCounters();

        counters.Update(100, [Row(Frontend, requests: 5)]);
        var totals = counters.Update(100, [Row(Frontend, requests: 12)]);

        Assert.Equal(12, totals[Frontend][Counter.Requests]);
    }

    [Fact]
    public void Update_NewWorker_CarriesTheOldWorkersTotalsOn()
    {
        var counters = new CumulativeCounters();
        counters.Update(100, [Row(Frontend, requests: 30, bytesOut: 3000)]);

        // The new worker has already counted more than the old one ever did: only the pid tells.
        var totals = counters.Update(200, [Row(Frontend, requests: 40, bytesOut: 100)]);

        Assert.Equal(70, totals[Frontend][Counter.Requests]);
        Assert.Equal(3100, totals[Frontend][Counter.BytesOut]);
        Assert.Equal(2, counters.WorkersSeen);
    }

    [Fact]
    public void Update_ManyReloads_NeverGoesDown()
    {
        var counters = new CumulativeCounters();
        long last = 0;
        for (var worker = 1; worker <= 5; worker++)
        {
            foreach (var seen in new[] { 0, 3, 9 })
            {
                var total = counters.Update(worker, [Row(Frontend, requests: seen)])[Frontend][Counter.Requests];
                Assert.True(total >= last, $"went down from {last} to {total}");
                last = total;
            }
        }
        Assert.Equal(45, last);
    }

    [Fact]
    public void Update_ACounterDropsWithinAWorker_TheRowStartedAgain()
    {
        var counters = new CumulativeCounters();
        counters.Update(100, [Row(Server, requests: 10, bytesOut: 500)]);

        // "clear counters", or a server deleted and added again under the same name.
        var totals = counters.Update(100, [Row(Server, requests: 2, bytesOut: 600)]);

        Assert.Equal(12, totals[Server][Counter.Requests]);
        Assert.Equal(1100, totals[Server][Counter.BytesOut]);
    }

    [Fact]
    public void Update_ServerGoneAndBack_ContinuesFromItsTotal()
    {
        var counters = new CumulativeCounters();
        counters.Update(100, [Row(Frontend, requests: 1), Row(Server, requests: 8)]);
        counters.Update(100, [Row(Frontend, requests: 1)]);

        var totals = counters.Update(100, [Row(Frontend, requests: 1), Row(Server, requests: 3)]);

        Assert.Equal(11, totals[Server][Counter.Requests]);
    }

    [Fact]
    public void TotalOf_RowAbsentButRetained_KeepsItsTotal()
    {
        var counters = new CumulativeCounters();
        counters.Update(100, [Row(Server, requests: 8)]);
        counters.Update(200, []);

        Assert.Equal(8, counters.TotalOf(Server)![Counter.Requests]);
        Assert.Null(counters.TotalOf(Frontend));
    }

    [Fact]
    public void Update_ServerNotRetained_IsForgotten()
    {
        var counters = new CumulativeCounters();
        counters.Update(100, [Row(Server, requests: 8)]);
        counters.Update(100, [], retain: key => key != Server);

        var totals = counters.Update(100, [Row(Server, requests: 3)]);

        Assert.Equal(3, totals[Server][Counter.Requests]);
    }

    private static StatRow Row(StatKey key, long requests, long bytesOut = 0) => new()
    {
        ProxyName = key.Proxy,
        ServiceName = key.Service,
        RequestsTotal = requests,
        BytesOut = bytesOut,
    };
}
