namespace Lbaas.Api.Metrics;

public enum MetricKind
{
    Counter,
    Gauge,
}

/// <summary>A metric's name, type, HELP text and label names: what a series refers to, apart from prometheus-net.</summary>
public sealed record MetricFamily(string Name, MetricKind Kind, string Help, IReadOnlyList<string> Labels);

/// <summary>One series' value from one scrape.</summary>
public sealed record Sample(MetricFamily Family, IReadOnlyList<string> Labels, double Value);
