using Prometheus;

namespace Lbaas.Api.Metrics;

/// <summary>
/// Writes whole sets of <see cref="Sample"/>s into prometheus-net: counters move up to the
/// sample's total (<c>IncTo</c>), gauges take its value, and a series the set no longer holds
/// (a deleted load balancer or backend, a renamed one, HAProxy's figures while it cannot be read)
/// disappears instead of lingering at its last value. Callers serialize <see cref="Write"/>.
/// </summary>
public sealed class SeriesWriter(IMetricFactory factory)
{
    private readonly Dictionary<MetricFamily, Collector> _collectors = [];
    private Dictionary<(MetricFamily, string), Series> _written = [];

    public void Write(IEnumerable<Sample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var current = new Dictionary<(MetricFamily, string), Series>();
        foreach (var sample in samples)
        {
            // A label value cannot hold a NUL: names and hosts are validated before they are stored.
            var key = (sample.Family, string.Join('\0', sample.Labels));
            var series = _written.GetValueOrDefault(key) ?? SeriesOf(sample.Family, [.. sample.Labels]);
            series.Set(sample.Value);
            current[key] = series;
        }
        foreach (var stale in _written.Where(w => !current.ContainsKey(w.Key)).Select(w => w.Value))
        {
            stale.Retire();
        }
        _written = current;
    }

    private Series SeriesOf(MetricFamily family, string[] labels)
    {
        if (!_collectors.TryGetValue(family, out var collector))
        {
            string[] names = [.. family.Labels];
            // Unlabelled series appear once they have a value, not as a made-up zero from the start.
            collector = family.Kind == MetricKind.Counter
                ? factory.CreateCounter(family.Name, family.Help, names, new CounterConfiguration { SuppressInitialValue = true })
                : factory.CreateGauge(family.Name, family.Help, names, new GaugeConfiguration { SuppressInitialValue = true });
            _collectors[family] = collector;
        }
        // An unlabelled series cannot be removed from its metric, only hidden until it is set again.
        return (collector, labels.Length) switch
        {
            (Counter counter, 0) => new Series(counter.IncTo, counter.Unpublish),
            (Gauge gauge, 0) => new Series(gauge.Set, gauge.Unpublish),
            (Counter counter, _) => Of(counter.WithLabels(labels)),
            (Gauge gauge, _) => Of(gauge.WithLabels(labels)),
            _ => throw new InvalidOperationException($"{family.Name} is neither a counter nor a gauge."),
        };
    }

    private static Series Of(Counter.Child child) => new(child.IncTo, child.Remove);

    private static Series Of(Gauge.Child child) => new(child.Set, child.Remove);

    /// <summary>One series: how to give it a value, and how to take it out of the exposition.</summary>
    private sealed record Series(Action<double> Set, Action Retire);
}
