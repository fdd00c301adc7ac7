using System.Globalization;

namespace Lbaas.Benchmarks;

/// <summary>Collects request durations and reports percentiles.</summary>
internal sealed class Latencies
{
    private readonly List<double> _milliseconds = [];

    public void Add(TimeSpan duration)
    {
        lock (_milliseconds)
        {
            _milliseconds.Add(duration.TotalMilliseconds);
        }
    }

    public string Summary(TimeSpan wall)
    {
        var sorted = _milliseconds.Order().ToArray();
        double P(double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        return string.Create(CultureInfo.InvariantCulture,
            $"n={sorted.Length} p50={P(0.50):F1}ms p99={P(0.99):F1}ms max={P(1.0):F1}ms throughput={sorted.Length / wall.TotalSeconds:F0}/s");
    }
}
