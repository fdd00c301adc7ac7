using Lbaas.Api.Tests.Infrastructure;
using Prometheus;

namespace Lbaas.Api.Tests.Unit.Metrics;

/// <summary>A registry of its own per test, read back as the text /metrics would serve.</summary>
public sealed class Registry
{
    public CollectorRegistry Collectors { get; } = Prometheus.Metrics.NewCustomRegistry();

    public IMetricFactory Factory => Prometheus.Metrics.WithCustomRegistry(Collectors);

    public async Task<Exposition> ExportAsync()
    {
        using var stream = new MemoryStream();
        await Collectors.CollectAndExportAsTextAsync(stream);
        return Exposition.Parse(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }
}
