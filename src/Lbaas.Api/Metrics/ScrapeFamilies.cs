using Lbaas.HaProxy.Stats;

namespace Lbaas.Api.Metrics;

/// <summary>
/// The series read from HAProxy's <c>show stat</c> and <c>show info</c>. Counters come from the
/// scraper's totals, which never go down across reloads; times are HAProxy's averages over the
/// last 1024 requests, hence gauges.
/// </summary>
public static class ScrapeFamilies
{
    public static readonly string[] LoadBalancerLabels = ["loadbalancer", "loadbalancer_id"];
    public static readonly string[] BackendLabels = ["loadbalancer", "loadbalancer_id", "backend", "backend_id"];

    /// <summary>The <c>code</c> label of the responses counters and the counter behind each.</summary>
    public static readonly (string Code, Counter Counter)[] ResponseCodes =
    [
        ("1xx", Counter.Http1xx), ("2xx", Counter.Http2xx), ("3xx", Counter.Http3xx),
        ("4xx", Counter.Http4xx), ("5xx", Counter.Http5xx), ("other", Counter.HttpOther),
    ];

    public static readonly MetricFamily LbRequests = LbCounter("requests_total", "HTTP requests received by the load balancer's frontend (HTTP load balancers only).");
    public static readonly MetricFamily LbResponses = Family("lbaas_loadbalancer_responses_total",
        MetricKind.Counter, "HTTP responses sent to clients by the load balancer, by status class.", [.. LoadBalancerLabels, "code"]);
    public static readonly MetricFamily LbSessions = LbCounter("sessions_total", "Client connections (sessions) the load balancer accepted.");
    public static readonly MetricFamily LbBytesIn = LbCounter("bytes_in_total", "Bytes received from clients.");
    public static readonly MetricFamily LbBytesOut = LbCounter("bytes_out_total", "Bytes sent to clients.");
    public static readonly MetricFamily LbRequestErrors = LbCounter("request_errors_total", "Client requests HAProxy could not read or refused as invalid.");
    public static readonly MetricFamily LbConnectionErrors = LbCounter("connection_errors_total", "Failed attempts to connect to one of the load balancer's backends.");
    public static readonly MetricFamily LbResponseErrors = LbCounter("response_errors_total", "Backend responses that were aborted or invalid.");
    public static readonly MetricFamily LbCurrentSessions = LbGauge("current_sessions", "Client sessions open now.");
    public static readonly MetricFamily LbMaxSessions = LbGauge("max_sessions", "Most client sessions open at once since the current HAProxy worker started.");
    public static readonly MetricFamily LbSessionLimit = LbGauge("session_limit", "Most client sessions the frontend accepts at once (maxconn).");
    public static readonly MetricFamily LbQueued = LbGauge("queued_requests", "Requests waiting for a free backend now.");
    public static readonly MetricFamily LbQueueTime = LbGauge("queue_time_seconds", "Average time requests waited in the queue, over the last 1024 requests.");
    public static readonly MetricFamily LbConnectTime = LbGauge("connect_time_seconds", "Average time to connect to a backend, over the last 1024 requests.");
    public static readonly MetricFamily LbResponseTime = LbGauge("response_time_seconds",
        "Average backend response time (to the first byte), over the last 1024 requests.");
    public static readonly MetricFamily LbTotalTime = LbGauge("total_time_seconds", "Average total time of a request, over the last 1024 requests.");
    public static readonly MetricFamily LbUp = LbGauge("up", "1 when the load balancer serves traffic (ONLINE, DEGRADED or NO_MONITOR), else 0.");
    public static readonly MetricFamily LbOperatingStatus = Family("lbaas_loadbalancer_operating_status",
        MetricKind.Gauge, "The load balancer's operating status as the API reports it: 1 for the current status, 0 for the others.", [.. LoadBalancerLabels, "status"]);
    public static readonly MetricFamily LbProvisioningStatus = Family("lbaas_loadbalancer_provisioning_status",
        MetricKind.Gauge, "The load balancer's provisioning status as the API reports it: 1 for the current status, 0 for the others.", [.. LoadBalancerLabels, "status"]);

    public static readonly MetricFamily BackendRequests = BackendCounter("requests_total", "HTTP requests sent to the backend.");
    public static readonly MetricFamily BackendResponses = Family("lbaas_backend_responses_total",
        MetricKind.Counter, "HTTP responses from the backend, by status class.", [.. BackendLabels, "code"]);
    public static readonly MetricFamily BackendSessions = BackendCounter("sessions_total", "Sessions HAProxy sent to the backend.");
    public static readonly MetricFamily BackendBytesIn = BackendCounter("bytes_in_total", "Bytes HAProxy sent to the backend (request side).");
    public static readonly MetricFamily BackendBytesOut = BackendCounter("bytes_out_total", "Bytes the backend sent back (response side).");
    public static readonly MetricFamily BackendConnectionErrors = BackendCounter("connection_errors_total", "Failed attempts to connect to the backend.");
    public static readonly MetricFamily BackendResponseErrors = BackendCounter("response_errors_total", "Responses from the backend that were aborted or invalid.");
    public static readonly MetricFamily BackendCheckFailures = BackendCounter("check_failures_total", "Failed health checks (each failed check, also while still UP).");
    public static readonly MetricFamily BackendDownTransitions = BackendCounter("down_transitions_total", "Times the backend went from UP to DOWN.");
    public static readonly MetricFamily BackendDowntime = BackendCounter("downtime_seconds_total", "Seconds the backend spent DOWN.");
    public static readonly MetricFamily BackendCurrentSessions = BackendGauge("current_sessions", "Sessions open to the backend now.");
    public static readonly MetricFamily BackendQueued = BackendGauge("queued_requests", "Requests waiting for this backend now.");
    public static readonly MetricFamily BackendQueueTime = BackendGauge("queue_time_seconds", "Average time requests waited in the queue, over the last 1024 requests.");
    public static readonly MetricFamily BackendConnectTime = BackendGauge("connect_time_seconds", "Average time to connect to the backend, over the last 1024 requests.");
    public static readonly MetricFamily BackendResponseTime = BackendGauge("response_time_seconds",
        "Average response time of the backend (to the first byte), over the last 1024 requests.");
    public static readonly MetricFamily BackendTotalTime = BackendGauge("total_time_seconds",
        "Average total time of a request to the backend, over the last 1024 requests.");
    public static readonly MetricFamily BackendWeight = BackendGauge("weight",
        "The backend's effective weight in HAProxy (lower than asked during slow start, 0 while draining).");
    public static readonly MetricFamily BackendUp = BackendGauge("up",
        "1 when HAProxy may send the backend new traffic (UP or NO_CHECK; a backup only gets it when the others are down), else 0 (DOWN, DRAINING, MAINT, not in HAProxy yet).");
    public static readonly MetricFamily BackendOperatingStatus = Family("lbaas_backend_operating_status",
        MetricKind.Gauge, "The backend's operating status as the API reports it: 1 for the current status, 0 for the others (all 0 until HAProxy has the backend).",
        [.. BackendLabels, "status"]);

    public static readonly MetricFamily HaProxyInfo = Family("lbaas_haproxy_info",
        MetricKind.Gauge, "Always 1; the version label says which HAProxy the worker runs.", ["version"]);
    public static readonly MetricFamily HaProxyUptime = Family("lbaas_haproxy_uptime_seconds",
        MetricKind.Gauge, "Seconds since the current HAProxy worker started (a reload starts a new one).", []);
    public static readonly MetricFamily HaProxyConnections = Family("lbaas_haproxy_current_connections",
        MetricKind.Gauge, "Connections the HAProxy worker holds now.", []);
    public static readonly MetricFamily HaProxyConnectionLimit = Family("lbaas_haproxy_connection_limit",
        MetricKind.Gauge, "Most connections the HAProxy worker accepts at once (global maxconn).", []);

    private static MetricFamily LbCounter(string name, string help) => Family("lbaas_loadbalancer_" + name, MetricKind.Counter, help, LoadBalancerLabels);

    private static MetricFamily LbGauge(string name, string help) => Family("lbaas_loadbalancer_" + name, MetricKind.Gauge, help, LoadBalancerLabels);

    private static MetricFamily BackendCounter(string name, string help) => Family("lbaas_backend_" + name, MetricKind.Counter, help, BackendLabels);

    private static MetricFamily BackendGauge(string name, string help) => Family("lbaas_backend_" + name, MetricKind.Gauge, help, BackendLabels);

    private static MetricFamily Family(string name, MetricKind kind, string help, string[] labels) => new(name, kind, help, labels);
}
