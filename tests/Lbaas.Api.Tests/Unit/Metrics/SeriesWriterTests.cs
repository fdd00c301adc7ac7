using Lbaas.Api.Metrics;

namespace Lbaas.Api.Tests.Unit.Metrics;

public sealed class SeriesWriterTests
{
    private static readonly MetricFamily Requests = new("test_requests_total", MetricKind.Counter, "Requests.", ["loadbalancer"]);
    private static readonly MetricFamily Sessions = new("test_sessions", MetricKind.Gauge, "Sessions.", ["loadbalancer"]);
    private static readonly MetricFamily Uptime = new("test_uptime_seconds", MetricKind.Gauge, "Uptime.", []);

    [Fact]
    public async Task Write_SeriesNoLongerInTheSet_DisappearsFromTheExposition()
    {
        var registry = new Registry();
        var writer = new SeriesWriter(registry.Factory);
        writer.Write([new(Requests, ["a"], 5), new(Requests, ["b"], 7), new(Sessions, ["a"], 2), new(Sessions, ["b"], 3), new(Uptime, [], 60)]);

        writer.Write([new(Requests, ["a"], 6), new(Sessions, ["a"], 1)]);

        var exposition = await registry.ExportAsync();
        Assert.Equal(6, exposition.Value("test_requests_total", ("loadbalancer", "a")));
        Assert.Equal(1, exposition.Value("test_sessions", ("loadbalancer", "a")));
        Assert.DoesNotContain(exposition.Samples, s => s.Labels.GetValueOrDefault("loadbalancer") == "b");
        Assert.Empty(exposition.Find("test_uptime_seconds"));
    }

    [Fact]
    public async Task Write_SeriesBackAfterBeingRemoved_StartsFromItsNewTotal()
    {
        var registry = new Registry();
        var writer = new SeriesWriter(registry.Factory);
        writer.Write([new(Requests, ["a"], 5), new(Uptime, [], 60)]);
        writer.Write([]);

        writer.Write([new(Requests, ["a"], 2), new(Uptime, [], 1)]);

        var exposition = await registry.ExportAsync();
        Assert.Equal(2, exposition.Value("test_requests_total", ("loadbalancer", "a")));
        Assert.Equal(1, exposition.Value("test_uptime_seconds"));
    }

    [Fact]
    public async Task Write_CounterGivenALowerTotal_NeverGoesDown()
    {
        var registry = new Registry();
        var writer = new SeriesWriter(registry.Factory);
        writer.Write([new(Requests, ["a"], 5)]);

        writer.Write([new(Requests, ["a"], 3)]);

        Assert.Equal(5, (await registry.ExportAsync()).Value("test_requests_total", ("loadbalancer", "a")));
    }
}
