using Lbaas.Api.Monitoring;
using Prometheus;

namespace Lbaas.Api.Metrics;

/// <summary>
/// The series of the HAProxy scrape, filled from <see cref="MonitoringState.Current"/> each time
/// Prometheus collects: nothing is copied between scrapes, and a load balancer or backend that is
/// gone from the last view is gone from <c>/metrics</c>.
/// </summary>
public sealed class ScrapeMetrics
{
    private readonly Lock _gate = new();
    private readonly MonitoringState _state;
    private readonly SeriesWriter _writer;
    private readonly Gauge _up;
    private readonly Counter _errors;
    private readonly Gauge _lastSuccess;
    private readonly Gauge _databaseUp;
    private readonly Gauge _desiredStateRead;

    public ScrapeMetrics(MonitoringState state, IMetricFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _state = state;
        _writer = new SeriesWriter(factory);
        _up = factory.CreateGauge("lbaas_haproxy_up", "1 when the last scrape of HAProxy's runtime socket (show info, show stat) succeeded, else 0.");
        _errors = factory.CreateCounter("lbaas_scrape_errors_total", "Scrapes of HAProxy that failed (runtime socket not answering, unreadable output).");
        _lastSuccess = factory.CreateGauge("lbaas_scrape_last_success_timestamp_seconds",
            "When HAProxy was last scraped successfully (Unix time); 0 before the first success.");
        _databaseUp = factory.CreateGauge("lbaas_database_up",
            "1 when the last scrape could read (and record to) PostgreSQL, else 0: the series of the scrape then go on from memory, " +
            "with load balancers and backends as last read.");
        _desiredStateRead = factory.CreateGauge("lbaas_desired_state_last_read_timestamp_seconds",
            "When the scraper last read the desired state (load balancers, backends) from PostgreSQL (Unix time); 0 before the first read.");
    }

    /// <summary>Runs before every collection of the registry, possibly on several requests at once.</summary>
    public void Update()
    {
        lock (_gate)
        {
            var view = _state.Current;
            // While the last scrape failed, the view is the last good one: its counters still hold, its "now" figures do not.
            var fresh = view is not null && _state.LastFailure is null;
            _up.Set(fresh ? 1 : 0);
            _errors.IncTo(_state.ScrapeErrors);
            if (view is not null)
            {
                _lastSuccess.Set(view.Stats.At.ToUnixTimeMilliseconds() / 1000.0);
                _databaseUp.Set(view.DatabaseError is null ? 1 : 0);
                _desiredStateRead.Set(view.DesiredStateAt is { } read ? read.ToUnixTimeMilliseconds() / 1000.0 : 0);
            }
            _writer.Write(view is null ? [] : ScrapeSeries.From(view, fresh));
        }
    }
}
