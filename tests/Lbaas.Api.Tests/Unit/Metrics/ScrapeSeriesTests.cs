using Lbaas.Api.Backends;
using Lbaas.Api.LoadBalancers;
using Lbaas.Api.Metrics;
using Lbaas.Api.Monitoring;
using Lbaas.HaProxy.Stats;

namespace Lbaas.Api.Tests.Unit.Metrics;

public sealed class ScrapeSeriesTests
{
    private static readonly MonitoredBackend Named = new(11, "web-1", "10.0.0.1", 8080, 1, false, BackendState.Enabled, false);
    private static readonly MonitoredBackend Unnamed = new(12, null, "10.0.0.2", 8081, 1, false, BackendState.Enabled, false);
    private static readonly MonitoredBackend NotApplied = new(13, null, "fd00::3", 8082, 1, false, BackendState.Enabled, false);
    private static readonly MonitoredLoadBalancer Lb = new(7, "shop", ProvisioningStatus.Active, null, true, Algorithm.RoundRobin, [Named, Unnamed, NotApplied]);

    private static StatRow Row(string service, StatType type, string status = "", long requests = 0) => new()
    {
        ProxyName = "lb_7",
        ServiceName = service,
        Type = type,
        Status = status,
        CheckStatus = type == StatType.Server ? "L7OK" : "",
        RequestsTotal = requests,
        CurrentSessions = 3,
        MaxSessions = 9,
        SessionLimit = 1000,
        CurrentQueue = 0,
        Weight = type == StatType.Server ? 1 : null,
        QueueTimeMs = 0,
        ConnectTimeMs = 2,
        ResponseTimeMs = 40,
        TotalTimeMs = 45,
    };

    private static MonitoringView View(params StatRow[] rows)
    {
        // Totals differ from the raw rows on purpose: after a reload the rows restart at zero, the totals do not.
        var totals = rows.ToDictionary(StatKey.Of, r => CounterValues.Of(c => c switch
        {
            Counter.Requests => (r.RequestsTotal ?? 0) + 1000,
            Counter.Http2xx => 990,
            Counter.Http5xx => 10,
            Counter.ConnectionErrors => 4,
            _ => 0,
        }));
        var snapshot = new HaProxySnapshot(DateTimeOffset.UnixEpoch, new ProcessInfo { Pid = 42, Version = "2.6.12", UptimeSeconds = 60 },
            rows.ToDictionary(StatKey.Of), totals, new Dictionary<StatKey, CounterValues>(), TimeSpan.Zero, 1);
        return new MonitoringView(snapshot, [Lb], new Dictionary<long, LoadBalancerHealth> { [Lb.Id] = HealthEvaluator.Evaluate(Lb, snapshot) });
    }

    private static readonly MonitoringView Serving = View(
        Row("FRONTEND", StatType.Frontend, "OPEN", requests: 5),
        Row("BACKEND", StatType.Backend, "UP", requests: 5),
        Row("b_11", StatType.Server, "UP", requests: 3),
        Row("b_12", StatType.Server, "DOWN", requests: 2));

    private static List<Sample> Of(IEnumerable<Sample> samples, MetricFamily family, params string[] labels) =>
        [.. samples.Where(s => s.Family == family && s.Labels.Take(labels.Length).SequenceEqual(labels))];

    private static double Single(IEnumerable<Sample> samples, MetricFamily family, params string[] labels) => Assert.Single(Of(samples, family, labels)).Value;

    [Fact]
    public void From_Counters_ComeFromTheCumulativeTotalsNotTheRows()
    {
        var samples = ScrapeSeries.From(Serving, fresh: true).ToList();

        Assert.Equal(1005, Single(samples, ScrapeFamilies.LbRequests, "shop", "7"));
        Assert.Equal(990, Single(samples, ScrapeFamilies.LbResponses, "shop", "7", "2xx"));
        Assert.Equal(10, Single(samples, ScrapeFamilies.LbResponses, "shop", "7", "5xx"));
        Assert.Equal(4, Single(samples, ScrapeFamilies.LbConnectionErrors, "shop", "7"));
        Assert.Equal(1003, Single(samples, ScrapeFamilies.BackendRequests, "shop", "7", "web-1", "11"));
    }

    [Fact]
    public void From_Backends_LabelledByNameElseHostAndPort()
    {
        var samples = ScrapeSeries.From(Serving, fresh: true).ToList();

        Assert.Equal(
            [["shop", "7", "web-1", "11"], ["shop", "7", "10.0.0.2:8081", "12"], ["shop", "7", "[fd00::3]:8082", "13"]],
            Of(samples, ScrapeFamilies.BackendRequests).Select(s => s.Labels.ToArray()));
    }

    [Fact]
    public void From_BackendNotInHaProxyYet_CountsZeroIsNotUpAndHasNoStatus()
    {
        var samples = ScrapeSeries.From(Serving, fresh: true).ToList();

        Assert.Equal(0, Single(samples, ScrapeFamilies.BackendRequests, "shop", "7", "[fd00::3]:8082", "13"));
        Assert.Equal(0, Single(samples, ScrapeFamilies.BackendUp, "shop", "7", "[fd00::3]:8082", "13"));
        Assert.All(Of(samples, ScrapeFamilies.BackendOperatingStatus, "shop", "7", "[fd00::3]:8082", "13"), s => Assert.Equal(0, s.Value));
        Assert.Empty(Of(samples, ScrapeFamilies.BackendWeight, "shop", "7", "[fd00::3]:8082", "13"));
    }

    [Fact]
    public void From_Statuses_ExactlyOneOfTheStateSetIsOne()
    {
        var samples = ScrapeSeries.From(Serving, fresh: true).ToList();

        var lb = Of(samples, ScrapeFamilies.LbOperatingStatus, "shop", "7");
        Assert.Equal(Enum.GetValues<OperatingStatus>().Length, lb.Count);
        Assert.Equal("DEGRADED", Assert.Single(lb, s => s.Value == 1).Labels[^1]);
        Assert.Equal(1, Single(samples, ScrapeFamilies.LbUp, "shop", "7"));
        Assert.Equal("ACTIVE", Assert.Single(Of(samples, ScrapeFamilies.LbProvisioningStatus, "shop", "7"), s => s.Value == 1).Labels[^1]);
        Assert.Equal("UP", Assert.Single(Of(samples, ScrapeFamilies.BackendOperatingStatus, "shop", "7", "web-1", "11"), s => s.Value == 1).Labels[^1]);
        Assert.Equal("DOWN", Assert.Single(Of(samples, ScrapeFamilies.BackendOperatingStatus, "shop", "7", "10.0.0.2:8081", "12"), s => s.Value == 1).Labels[^1]);
        Assert.Equal(1, Single(samples, ScrapeFamilies.BackendUp, "shop", "7", "web-1", "11"));
        Assert.Equal(0, Single(samples, ScrapeFamilies.BackendUp, "shop", "7", "10.0.0.2:8081", "12"));
    }

    [Fact]
    public void From_Times_MillisecondsBecomeSeconds()
    {
        var samples = ScrapeSeries.From(Serving, fresh: true).ToList();

        Assert.Equal(0.04, Single(samples, ScrapeFamilies.LbResponseTime, "shop", "7"));
        Assert.Equal(0.045, Single(samples, ScrapeFamilies.BackendTotalTime, "shop", "7", "web-1", "11"));
        Assert.Equal(0.002, Single(samples, ScrapeFamilies.BackendConnectTime, "shop", "7", "web-1", "11"));
    }

    [Fact]
    public void From_StaleView_KeepsCountersAndProvisioningButNoFigureOfNow()
    {
        var samples = ScrapeSeries.From(Serving, fresh: false).ToList();

        Assert.Equal(1005, Single(samples, ScrapeFamilies.LbRequests, "shop", "7"));
        Assert.Single(Of(samples, ScrapeFamilies.LbProvisioningStatus, "shop", "7"), s => s.Value == 1);
        Assert.DoesNotContain(samples, s => s.Family.Kind == MetricKind.Gauge && s.Family != ScrapeFamilies.LbProvisioningStatus);
    }

    [Fact]
    public void From_EverySeries_HasOneLabelValuePerLabelName()
    {
        var samples = ScrapeSeries.From(Serving, fresh: true).ToList();

        Assert.All(samples, s => Assert.Equal(s.Family.Labels.Count, s.Labels.Count));
        Assert.All(samples.Where(s => s.Family.Kind == MetricKind.Counter), s => Assert.EndsWith("_total", s.Family.Name, StringComparison.Ordinal));
        Assert.Equal("2.6.12", Assert.Single(Of(samples, ScrapeFamilies.HaProxyInfo)).Labels[0]);
    }
}
