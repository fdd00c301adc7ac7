using System.Globalization;

namespace Lbaas.Benchmarks;

/// <summary>Collects durations and reports percentiles (nearest rank).</summary>
internal sealed class Latencies
{
    private readonly List<double> _milliseconds = [];

    public int Count
    {
        get
        {
            lock (_milliseconds)
            {
                return _milliseconds.Count;
            }
        }
    }

    public void Add(TimeSpan duration)
    {
        lock (_milliseconds)
        {
            _milliseconds.Add(duration.TotalMilliseconds);
        }
    }

    public void AddRange(Latencies other)
    {
        var copy = other.Sorted();
        lock (_milliseconds)
        {
            _milliseconds.AddRange(copy);
        }
    }

    /// <summary>n, p50, p99, max and the rate over <paramref name="wall"/>.</summary>
    public string Summary(TimeSpan wall)
    {
        var sorted = Sorted();
        return string.Create(CultureInfo.InvariantCulture,
            $"n={sorted.Length} p50={P(sorted, 0.50):F1}ms p99={P(sorted, 0.99):F1}ms max={P(sorted, 1.0):F1}ms throughput={sorted.Length / wall.TotalSeconds:F0}/s");
    }

    /// <summary>n, p50, p99 and max; <paramref name="digits"/> decimals.</summary>
    public string Summary(int digits = 1)
    {
        var sorted = Sorted();
        var f = "F" + digits.ToString(CultureInfo.InvariantCulture);
        return sorted.Length == 0
            ? "n=0"
            : string.Create(CultureInfo.InvariantCulture,
                $"n={sorted.Length} p50={P(sorted, 0.50).ToString(f, CultureInfo.InvariantCulture)}ms p99={P(sorted, 0.99).ToString(f, CultureInfo.InvariantCulture)}ms max={P(sorted, 1.0).ToString(f, CultureInfo.InvariantCulture)}ms");
    }

    /// <summary>The <paramref name="q"/> quantile (0-1) in milliseconds; NaN when empty.</summary>
    public double Percentile(double q) => P(Sorted(), q);

    /// <summary>A quantile as text for a table cell: "12.3 ms", or "—" when nothing was measured.</summary>
    public string Cell(double q, int digits = 1) =>
        Count == 0 ? "—" : Percentile(q).ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + " ms";

    private double[] Sorted()
    {
        lock (_milliseconds)
        {
            return _milliseconds.Order().ToArray();
        }
    }

    private static double P(double[] sorted, double q) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, Math.Max(0, (int)Math.Ceiling(q * sorted.Length) - 1))];
}
