using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Lbaas.Api.Tests.Infrastructure;

namespace Lbaas.Api.Tests.Unit.Metrics;

/// <summary>
/// deploy/grafana/lbaas-dashboard.json: a dashboard Grafana imports, whose queries Prometheus
/// parses and whose metrics /metrics serves (as docs/metrics.md lists them).
/// </summary>
public sealed partial class GrafanaDashboardTests
{
    private const string DashboardPath = "deploy/grafana/lbaas-dashboard.json";
    private const string MetricsDocPath = "docs/metrics.md";

    // What Grafana puts in place of its variables, for Prometheus to parse: a range for the
    // interval variables, a regex alternative for template variables (used as =~"$var").
    private const string IntervalValue = "5m";
    private const string VariableValue = "lb-a|lb-b";

    private static readonly Lazy<JsonDocument> DashboardDocument = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root, DashboardPath))));

    private static JsonElement Dashboard => DashboardDocument.Value.RootElement;

    [Fact]
    public void Dashboard_Header_HasUidAndTheDatasourceAndLoadBalancerVariables()
    {
        Assert.Equal("lbaas", Dashboard.GetProperty("uid").GetString());
        Assert.False(string.IsNullOrWhiteSpace(Dashboard.GetProperty("title").GetString()));
        Assert.InRange(Dashboard.GetProperty("schemaVersion").GetInt32(), 36, 41);

        var variables = Variables().ToDictionary(v => v.GetProperty("name").GetString()!);
        var datasource = variables["datasource"];
        Assert.Equal("datasource", datasource.GetProperty("type").GetString());
        Assert.Equal("prometheus", datasource.GetProperty("query").GetString());

        var loadBalancer = variables["loadbalancer"];
        Assert.Equal("query", loadBalancer.GetProperty("type").GetString());
        Assert.Equal("label_values(lbaas_loadbalancer_requests_total, loadbalancer)", VariableQuery(loadBalancer));
        Assert.True(loadBalancer.GetProperty("multi").GetBoolean());
        Assert.True(loadBalancer.GetProperty("includeAll").GetBoolean());
        Assert.Equal("${datasource}", loadBalancer.GetProperty("datasource").GetProperty("uid").GetString());
    }

    [Fact]
    public void Panels_EachOne_HasTitleDatasourceAndTargets()
    {
        var panels = AllPanels().ToList();
        Assert.NotEmpty(panels);
        var ids = panels.Select(p => p.GetProperty("id").GetInt32()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());

        foreach (var panel in panels)
        {
            var title = panel.TryGetProperty("title", out var t) ? t.GetString() : null;
            Assert.False(string.IsNullOrWhiteSpace(title), $"Panel {panel.GetProperty("id")} has no title.");
            Assert.False(string.IsNullOrWhiteSpace(panel.GetProperty("type").GetString()), $"Panel '{title}' has no type.");
            if (IsRow(panel))
            {
                continue;
            }
            AssertPrometheusVariable(panel, $"Panel '{title}'");
            var targets = panel.TryGetProperty("targets", out var ts) ? ts.EnumerateArray().ToList() : [];
            Assert.True(targets.Count > 0, $"Panel '{title}' has no target.");
            foreach (var target in targets)
            {
                Assert.False(string.IsNullOrWhiteSpace(target.GetProperty("refId").GetString()), $"A target of '{title}' has no refId.");
                Assert.False(string.IsNullOrWhiteSpace(target.GetProperty("expr").GetString()), $"A target of '{title}' has no expr.");
                if (target.TryGetProperty("datasource", out _))
                {
                    AssertPrometheusVariable(target, $"Target {target.GetProperty("refId")} of '{title}'");
                }
            }
            var refIds = targets.Select(x => x.GetProperty("refId").GetString()).ToList();
            Assert.True(refIds.Count == refIds.Distinct().Count(), $"Panel '{title}' repeats a refId.");
        }
    }

    [Fact]
    public void GridPos_NoTwoPanels_Overlap()
    {
        // Top-level panels (rows included) share one grid; a collapsed row's panels share another.
        var grids = new List<List<JsonElement>> { Dashboard.GetProperty("panels").EnumerateArray().ToList() };
        grids.AddRange(Dashboard.GetProperty("panels").EnumerateArray()
            .Where(p => IsRow(p) && p.TryGetProperty("collapsed", out var c) && c.GetBoolean())
            .Select(p => p.GetProperty("panels").EnumerateArray().ToList()));

        foreach (var grid in grids)
        {
            var boxes = grid.Select(p => (Title: p.GetProperty("title").GetString()!, Box: GridPos(p))).ToList();
            foreach (var (title, (x, y, w, h)) in boxes)
            {
                Assert.True(w >= 1 && h >= 1 && x >= 0 && y >= 0 && x + w <= 24, $"Panel '{title}' has gridPos x={x} y={y} w={w} h={h} outside the 24-column grid.");
            }
            for (var i = 0; i < boxes.Count; i++)
            {
                for (var j = i + 1; j < boxes.Count; j++)
                {
                    var (a, b) = (boxes[i].Box, boxes[j].Box);
                    var overlap = a.X < b.X + b.W && b.X < a.X + a.W && a.Y < b.Y + b.H && b.Y < a.Y + a.H;
                    Assert.False(overlap, $"Panels '{boxes[i].Title}' {a} and '{boxes[j].Title}' {b} overlap.");
                }
            }
        }
    }

    [Fact]
    public void Exprs_RangesUseRateInterval()
    {
        foreach (var (title, refId, expr) in Exprs())
        {
            foreach (Match range in RangeSelector().Matches(expr))
            {
                Assert.True(range.Value == "[$__rate_interval]", $"'{title}' {refId} uses {range.Value}; use [$__rate_interval] so the range follows the zoom and the scrape interval.");
            }
        }
    }

    [Fact]
    public async Task Exprs_AsRecordingRules_PromtoolParsesThem()
    {
        var exprs = Exprs().ToList();
        Assert.NotEmpty(exprs);
        var yaml = new StringBuilder("groups:\n");
        var index = 0;
        foreach (var (title, refId, expr) in exprs)
        {
            var promql = Substitute(expr);
            Assert.DoesNotContain("$", promql, StringComparison.Ordinal);
            index++;
            yaml.Append("  - name: ").Append(JsonSerializer.Serialize($"{title} {refId}")).Append('\n')
                .Append("    rules:\n")
                .Append("      - record: lbaas_dashboard:expr_").Append(index).Append('\n')
                .Append("        expr: |-\n");
            foreach (var line in promql.Split('\n'))
            {
                yaml.Append("          ").Append(line).Append('\n');
            }
        }

        var (exitCode, findings) = await PromTool.CheckRulesAsync(yaml.ToString());

        Assert.True(exitCode == 0, $"promtool check rules failed ({exitCode}):\n{string.Join('\n', findings)}\n\nRules:\n{yaml}");
        Assert.Contains(findings, f => f.Contains($"{exprs.Count} rules found", StringComparison.Ordinal));
    }

    [Fact]
    public void Metrics_EveryLbaasMetricUsed_IsInMetricsDoc()
    {
        var (documented, histograms) = DocumentedMetrics();
        Assert.Contains("lbaas_loadbalancer_requests_total", documented);
        Assert.Contains("lbaas_apply_duration_seconds", histograms);

        var queries = Exprs().Select(e => (Where: $"'{e.Title}' {e.RefId}", Query: e.Expr))
            .Concat(Variables().Where(v => v.GetProperty("type").GetString() == "query")
                .Select(v => (Where: $"variable {v.GetProperty("name")}", Query: VariableQuery(v))));
        var used = 0;
        foreach (var (where, query) in queries)
        {
            foreach (var name in LbaasMetric().Matches(query).Select(m => m.Value))
            {
                used++;
                var histogramSeries = HistogramSuffix().Match(name);
                var known = documented.Contains(name)
                    || (histogramSeries.Success && histograms.Contains(name[..histogramSeries.Index]));
                Assert.True(known, $"{where} uses {name}, which {MetricsDocPath} does not list (a histogram's _bucket/_sum/_count need it listed as a histogram).");
            }
        }
        Assert.True(used > 0);
    }

    private static List<JsonElement> Variables() =>
        [.. Dashboard.GetProperty("templating").GetProperty("list").EnumerateArray()];

    private static string VariableQuery(JsonElement variable)
    {
        var query = variable.GetProperty("query");
        return query.ValueKind == JsonValueKind.Object ? query.GetProperty("query").GetString()! : query.GetString()!;
    }

    private static bool IsRow(JsonElement panel) => panel.GetProperty("type").GetString() == "row";

    /// <summary>Every panel, and the panels kept inside collapsed rows.</summary>
    private static IEnumerable<JsonElement> AllPanels()
    {
        foreach (var panel in Dashboard.GetProperty("panels").EnumerateArray())
        {
            yield return panel;
            if (panel.TryGetProperty("panels", out var inner))
            {
                foreach (var child in inner.EnumerateArray())
                {
                    yield return child;
                }
            }
        }
    }

    private static IEnumerable<(string Title, string RefId, string Expr)> Exprs() =>
        AllPanels().Where(p => !IsRow(p) && p.TryGetProperty("targets", out _))
            .SelectMany(p => p.GetProperty("targets").EnumerateArray()
                .Where(t => t.TryGetProperty("expr", out _))
                .Select(t => (p.GetProperty("title").GetString()!, t.GetProperty("refId").GetString()!, t.GetProperty("expr").GetString()!)));

    private static (int X, int Y, int W, int H) GridPos(JsonElement panel)
    {
        var g = panel.GetProperty("gridPos");
        return (g.GetProperty("x").GetInt32(), g.GetProperty("y").GetInt32(), g.GetProperty("w").GetInt32(), g.GetProperty("h").GetInt32());
    }

    private static void AssertPrometheusVariable(JsonElement element, string what)
    {
        Assert.True(element.TryGetProperty("datasource", out var ds) && ds.ValueKind == JsonValueKind.Object, $"{what} has no datasource.");
        Assert.Equal("prometheus", ds.GetProperty("type").GetString());
        Assert.Equal("${datasource}", ds.GetProperty("uid").GetString());
    }

    /// <summary>The expr as Prometheus would receive it: Grafana's interval variables as a range, the template variables as a regex.</summary>
    private static string Substitute(string expr)
    {
        var promql = IntervalVariable().Replace(expr, IntervalValue);
        foreach (var name in Variables().Select(v => v.GetProperty("name").GetString()!))
        {
            promql = Regex.Replace(promql, @"\$\{" + Regex.Escape(name) + @"(:[a-z]+)?\}|\$" + Regex.Escape(name) + @"\b", VariableValue);
        }
        return promql;
    }

    /// <summary>
    /// The metric names docs/metrics.md lists, with the table's shorthands spelled out
    /// (<c>`lbaas_backend_queue_time_seconds`, `_connect_time_seconds`</c>), and those of type histogram.
    /// </summary>
    private static (HashSet<string> Documented, HashSet<string> Histograms) DocumentedMetrics()
    {
        var documented = new HashSet<string>(StringComparer.Ordinal);
        var histograms = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Path.Combine(Repository.Root, MetricsDocPath)))
        {
            var names = LbaasMetric().Matches(line).Select(m => m.Value).Where(n => !n.EndsWith('_')).ToList();
            if (names.Count == 0)
            {
                continue;
            }
            // lbaas_loadbalancer_bytes_in_total → lbaas_loadbalancer + _bytes_out_total
            var family = string.Join('_', names[0].Split('_').Take(2));
            names.AddRange(Shorthand().Matches(line).Select(m => family + m.Groups[1].Value));
            documented.UnionWith(names);
            if (line.Contains("| histogram |", StringComparison.Ordinal))
            {
                histograms.UnionWith(names);
            }
        }
        return (documented, histograms);
    }

    [GeneratedRegex(@"\$\{?__(rate_interval|interval|range)\}?")]
    private static partial Regex IntervalVariable();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex RangeSelector();

    [GeneratedRegex(@"\blbaas_[a-z0-9_]+")]
    private static partial Regex LbaasMetric();

    [GeneratedRegex(@"`(_[a-z0-9_]+)`")]
    private static partial Regex Shorthand();

    [GeneratedRegex(@"_(bucket|sum|count)$")]
    private static partial Regex HistogramSuffix();
}
