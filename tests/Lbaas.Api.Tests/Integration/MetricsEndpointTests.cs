using System.Globalization;
using System.Net;
using Lbaas.Api.Tests.Infrastructure;

namespace Lbaas.Api.Tests.Integration;

/// <summary>GET /metrics: real traffic through HAProxy shows up per load balancer and backend, in an exposition Prometheus accepts.</summary>
public sealed class MetricsEndpointTests
{
    private static readonly Dictionary<string, string?> FastScrape = new()
    {
        ["Monitoring:ScrapeInterval"] = "00:00:00.200",
    };

    [Fact]
    public async Task Metrics_AfterTraffic_ExposesEveryLoadBalancerAndBackendSeriesThatPromtoolAccepts()
    {
        await using var api = await ApiFactory.StartAsync(await TestPostgres.CreateDatabaseAsync(), settings: FastScrape);
        var client = api.CreateClient();
        await using var a = await TestBackend.StartAsync("a");
        // After the apply at start-up, so that only the create can move the counters from here.
        var before = await Eventually.Until(() => ScrapeAsync(client), m => m.Value("lbaas_last_apply_timestamp_seconds") > 0, "the first apply");
        var port = FreePort.Next();
        var name = TestData.Unique();
        var lb = await client.CreateLoadBalancerAsync($$"""
            {"name": "{{name}}", "frontend_port": {{port}}, "health_check": {"interval": "200ms"},
             "backends": [{"name": "web-a", "host": "127.0.0.1", "port": {{a.Port}}}]}
            """);
        var id = Id(lb);
        var backendId = Id(lb["backends"]![0]!);
        Assert.True(await Traffic.AnsweredByAsync(port, "a"));
        const int Requests = 25;
        Assert.Equal(Requests, (await Traffic.CountAsync(port, Requests)).GetValueOrDefault("a"));

        var lbLabels = new[] { ("loadbalancer", name), ("loadbalancer_id", id) };
        var backendLabels = lbLabels.Append(("backend", "web-a")).Append(("backend_id", backendId)).ToArray();
        var metrics = await Eventually.Until(
            () => ScrapeAsync(client),
            m => m.Value("lbaas_loadbalancer_requests_total", lbLabels) >= Requests && m.Value("lbaas_backend_up", backendLabels) == 1,
            $"{Requests} requests and an UP backend in /metrics");

        await AssertPromtoolAcceptsAsync(metrics.Text);
        Assert.True(metrics.Value("lbaas_loadbalancer_responses_total", [.. lbLabels, ("code", "2xx")]) >= Requests);
        Assert.Equal(0, metrics.Value("lbaas_loadbalancer_responses_total", [.. lbLabels, ("code", "5xx")]));
        Assert.True(metrics.Value("lbaas_loadbalancer_bytes_out_total", lbLabels) > 0);
        Assert.True(metrics.Value("lbaas_backend_requests_total", backendLabels) >= Requests);
        Assert.True(metrics.Value("lbaas_backend_responses_total", [.. backendLabels, ("code", "2xx")]) >= Requests);
        Assert.Equal(1, metrics.Value("lbaas_backend_operating_status", [.. backendLabels, ("status", "UP")]));
        Assert.Equal(0, metrics.Value("lbaas_backend_operating_status", [.. backendLabels, ("status", "DOWN")]));
        Assert.Equal(1, metrics.Value("lbaas_backend_weight", backendLabels));
        Assert.NotNull(metrics.Value("lbaas_backend_response_time_seconds", backendLabels));
        Assert.Equal(1, metrics.Value("lbaas_loadbalancer_up", lbLabels));
        Assert.Equal(1, metrics.Value("lbaas_loadbalancer_operating_status", [.. lbLabels, ("status", "ONLINE")]));
        Assert.Equal(1, metrics.Value("lbaas_loadbalancer_provisioning_status", [.. lbLabels, ("status", "ACTIVE")]));
        Assert.Equal(1, metrics.Value("lbaas_haproxy_up"));
        Assert.StartsWith("2.", Assert.Single(metrics.Find("lbaas_haproxy_info")).Labels["version"], StringComparison.Ordinal);
        (string, string)[] reloaded = [("path", "reload"), ("result", "success"), ("outcome", "reloaded")];
        Assert.True(metrics.Value("lbaas_applies_total", reloaded) >= (before.Value("lbaas_applies_total", reloaded) ?? 0) + 1);
        Assert.True(metrics.Value("lbaas_haproxy_reloads_total", ("result", "success")) >= before.Value("lbaas_haproxy_reloads_total", ("result", "success")) + 1);
        Assert.Equal(0, metrics.Value("lbaas_haproxy_reloads_total", ("result", "failure")));
        Assert.True(metrics.Value("lbaas_apply_duration_seconds_count", ("path", "reload")) >= (before.Value("lbaas_apply_duration_seconds_count", ("path", "reload")) ?? 0) + 1);
        Assert.True(metrics.Value("lbaas_convergence_seconds_count") >= before.Value("lbaas_convergence_seconds_count") + 1);
        Assert.Equal(0, metrics.Value("lbaas_convergence_lag_seconds"));
        Assert.True(metrics.Value("lbaas_applied_revision") >= 1);
        Assert.Equal(metrics.Value("lbaas_desired_revision"), metrics.Value("lbaas_applied_revision"));
        // Not asserted zero: a scrape that meets the admin socket mid-reload fails, and is counted.
        Assert.NotNull(metrics.Value("lbaas_scrape_errors_total"));
        Assert.Contains(metrics.Find("http_requests_received_total", ("method", "POST"), ("code", "201")), s => s.Value >= 1);
        // For Prometheus, not for API clients: not an operation of the OpenAPI document.
        Assert.DoesNotContain("\"/metrics\"", await client.GetStringAsync("/openapi/v1.json"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_BackendAddedThenRemovedThenLoadBalancerDeleted_CountsRuntimeCommandsAndDropsTheSeries()
    {
        await using var api = await ApiFactory.StartAsync(await TestPostgres.CreateDatabaseAsync(), settings: FastScrape);
        var client = api.CreateClient();
        await using var a = await TestBackend.StartAsync("a");
        await using var b = await TestBackend.StartAsync("b");
        var port = FreePort.Next();
        var name = TestData.Unique();
        var lb = await client.CreateLoadBalancerAsync($$"""
            {"name": "{{name}}", "frontend_port": {{port}}, "health_check": {"interval": "200ms"},
             "backends": [{"host": "127.0.0.1", "port": {{a.Port}}}]}
            """);
        var id = Id(lb);
        Assert.True(await Traffic.AnsweredByAsync(port, "a"));

        var added = await (await client.PostJsonAsync($"/api/v1/loadbalancer/{id}/backends", $$"""{"host": "127.0.0.1", "port": {{b.Port}}}""")).ReadNodeAsync();
        var bLabels = new[] { ("loadbalancer", name), ("backend", $"127.0.0.1:{b.Port}"), ("backend_id", Id(added)) };
        var metrics = await Eventually.Until(() => ScrapeAsync(client), m => m.Value("lbaas_backend_up", bLabels) == 1, "the added backend UP in /metrics");
        Assert.True(metrics.Value("lbaas_runtime_commands_total", ("result", "success")) > 0);
        Assert.True(metrics.Value("lbaas_applies_total", ("path", "runtime"), ("result", "success"), ("outcome", "runtime_applied")) >= 1);
        Assert.Equal(0, metrics.Value("lbaas_runtime_fallbacks_total"));

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/loadbalancer/{id}/backends/{Id(added)}?drain_timeout=0s")).StatusCode);
        metrics = await Eventually.Until(() => ScrapeAsync(client), m => !m.Find("lbaas_backend_requests_total", bLabels).Any(), "the removed backend's series gone");
        Assert.DoesNotContain(metrics.Samples, s => s.Labels.GetValueOrDefault("backend_id") == Id(added));
        Assert.NotEmpty(metrics.Find("lbaas_backend_requests_total", ("loadbalancer", name)));

        var deleted = await client.DeleteAsync($"/api/v1/loadbalancer/{id}");
        Assert.True(deleted.IsSuccessStatusCode, $"DELETE answered {(int)deleted.StatusCode}");
        metrics = await Eventually.Until(
            () => ScrapeAsync(client),
            m => !m.Samples.Any(s => s.Labels.GetValueOrDefault("loadbalancer") == name),
            "every series of the deleted load balancer gone");
        Assert.DoesNotContain(metrics.Samples, s => s.Labels.GetValueOrDefault("loadbalancer_id") == id);
        await AssertPromtoolAcceptsAsync(metrics.Text);
    }

    [Fact]
    public async Task Metrics_ApplyDisabled_PublishesNoHaProxySeries()
    {
        var settings = new Dictionary<string, string?>(FastScrape) { ["Apply:Enabled"] = "false" };
        await using var api = await ApiFactory.StartAsync(await TestPostgres.CreateDatabaseAsync(), settings: settings);
        var client = api.CreateClient();

        var metrics = await ScrapeAsync(client);

        // A replica that does not drive HAProxy does not scrape it either: "down" would be a false alarm.
        Assert.Empty(metrics.Find("lbaas_haproxy_up"));
        Assert.DoesNotContain(metrics.Samples, s => s.Name.StartsWith("lbaas_loadbalancer_", StringComparison.Ordinal));
        Assert.Equal(0, metrics.Value("lbaas_reconcile_errors_total"));
        await AssertPromtoolAcceptsAsync(metrics.Text);
    }

    private static async Task<Exposition> ScrapeAsync(HttpClient client)
    {
        var response = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        return Exposition.Parse(await response.Content.ReadAsStringAsync());
    }

    /// <summary>promtool parses the whole text (a parse error fails) and lints it: no finding is tolerated.</summary>
    private static async Task AssertPromtoolAcceptsAsync(string exposition)
    {
        var (exitCode, findings) = await PromTool.CheckMetricsAsync(exposition);
        Assert.True(exitCode == 0 && findings.Count == 0, $"promtool check metrics exited {exitCode}:\n{string.Join('\n', findings)}");
    }

    private static string Id(System.Text.Json.Nodes.JsonNode node) => ((long)node["id"]!).ToString(CultureInfo.InvariantCulture);
}
