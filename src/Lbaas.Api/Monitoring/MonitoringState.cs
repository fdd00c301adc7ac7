using Lbaas.Api.Signals;

namespace Lbaas.Api.Monitoring;

/// <summary>What the last scrape saw, whole: swapped atomically, never changed in place.</summary>
/// <remarks>LoadBalancers: the desired state the scrape was judged against. Health: each load balancer's health, by id.</remarks>
public sealed record MonitoringView(
    HaProxySnapshot Stats,
    IReadOnlyList<MonitoredLoadBalancer> LoadBalancers,
    IReadOnlyDictionary<long, LoadBalancerHealth> Health)
{
    /// <summary>When <see cref="LoadBalancers"/> was read from PostgreSQL; null when it never was since the start.</summary>
    public DateTimeOffset? DesiredStateAt { get; init; }

    /// <summary>Why PostgreSQL could not be read or written during this scrape ("database unavailable: …"); null when it could.</summary>
    public string? DatabaseError { get; init; }
}

/// <summary>
/// The latest <see cref="MonitoringView"/> and the scraper's pulse: readers take
/// <see cref="Current"/>; a request waiting for health takes <see cref="Hurry"/> (scrapes come
/// faster while anyone holds one) and waits on <see cref="Scraped"/>.
/// </summary>
public sealed class MonitoringState
{
    private volatile MonitoringView? _current;
    private volatile ScrapeFailure? _lastFailure;
    private int _hurrying;
    private long _errors;

    /// <summary>Null until the first scrape succeeded.</summary>
    public MonitoringView? Current => _current;

    /// <summary>The last scrape that failed, if it was the last scrape; cleared by a success.</summary>
    public ScrapeFailure? LastFailure => _lastFailure;

    /// <summary>Failed scrapes since start.</summary>
    public long ScrapeErrors => Interlocked.Read(ref _errors);

    public bool Hurrying => Volatile.Read(ref _hurrying) > 0;

    /// <summary>Wakes the scraper for a scrape now (<see cref="Hurry"/>).</summary>
    public WakeUp WakeUp { get; } = new();

    /// <summary>Fires after every scrape, successful or not.</summary>
    public Pulse Scraped { get; } = new();

    public void Publish(MonitoringView view)
    {
        _current = view;
        _lastFailure = null;
        Scraped.Fire();
    }

    public void Fail(string reason, DateTimeOffset at)
    {
        Interlocked.Increment(ref _errors);
        _lastFailure = new ScrapeFailure(reason, at);
        Scraped.Fire();
    }

    /// <summary>Scrape now and keep scraping fast until the returned handle is disposed.</summary>
    public IDisposable Hurry()
    {
        Interlocked.Increment(ref _hurrying);
        WakeUp.Wake();
        return new Release(this);
    }

    private sealed class Release(MonitoringState state) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Decrement(ref state._hurrying);
            }
        }
    }
}

/// <summary>Why the last scrape failed, and when.</summary>
public sealed record ScrapeFailure(string Reason, DateTimeOffset At);
