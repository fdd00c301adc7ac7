using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Lbaas.Api.Tests.Infrastructure;
using Lbaas.HaProxy.Validation;

namespace Lbaas.Api.Tests.Fuzz;

/// <summary>
/// Seeded hostile payloads (<see cref="HostilePayloads"/>) against every write endpoint, through
/// the real API, PostgreSQL and HAProxy: no answer is a 5xx, and afterwards the live haproxy.cfg
/// passes <c>haproxy -c</c> and holds only lines the templates produce (<see cref="TemplateLines"/>).
/// LBAAS_FUZZ_SEED replays a run (the seed is in every failure message), LBAAS_FUZZ_COUNT sets
/// how many payloads are sent (default 5,000, spread over the endpoints).
/// </summary>
public sealed class WriteEndpointFuzzTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const int DefaultCount = 5_000;
    private const int Senders = 8;
    private const int Shown = 40;

    /// <summary>A safety bound, not a measurement: a run that hits it fails saying how far it got.</summary>
    private static readonly TimeSpan TimeCap = TimeSpan.FromMinutes(3);

    private static readonly string[] QueryNames = ["dry_run", "wait", "wait_for", "drain_timeout", "revision", "\0", "wait\u0001"];

    [Fact]
    public async Task WriteEndpoints_SeededHostilePayloads_NeverAnswer5xxAndLiveConfigHasOnlyTemplateLines()
    {
        var seed = FromEnvironment("LBAAS_FUZZ_SEED") ?? Random.Shared.Next();
        var count = FromEnvironment("LBAAS_FUZZ_COUNT") ?? DefaultCount;
        var client = api.CreateClient();
        var lb = await client.CreateLoadBalancerAsync(LoadBalancerBody(TestData.Unique("fz")).ToJsonString());
        var id = (long)lb["id"]!;
        var backendId = (long)lb["backends"]![0]!["id"]!;
        var targets = Targets(id, backendId, (string)lb["name"]!);

        var generator = new HostilePayloads(seed);
        var next = -1;
        var findings = new ConcurrentQueue<string>();
        var clock = Stopwatch.StartNew();
        var sent = 0;
        async Task SendAsync()
        {
            while (clock.Elapsed < TimeCap)
            {
                HttpRequestMessage request;
                string what;
                // One generator, taken in index order: the same seed gives the same payload at the same index.
                lock (generator)
                {
                    var index = ++next;
                    if (index >= count)
                    {
                        return;
                    }
                    (request, what) = Build(targets[index % targets.Length], generator, index);
                }
                var finding = await SendOneAsync(client, request, what);
                Interlocked.Increment(ref sent);
                if (finding is not null)
                {
                    findings.Enqueue(finding);
                }
            }
        }
        await Task.WhenAll(Enumerable.Range(0, Senders).Select(_ => Task.Run(SendAsync)));
        var took = clock.Elapsed;

        var problems = new List<string>();
        if (sent < count)
        {
            problems.Add($"only {sent} of {count} payloads were sent within {TimeCap.TotalMinutes} min");
        }
        problems.AddRange(await LiveConfigProblemsAsync(client));
        if (!findings.IsEmpty)
        {
            problems.Add($"{findings.Count} answers were 5xx (first {Shown}):\n" + string.Join('\n', findings.Take(Shown)));
        }
        Assert.True(problems.Count == 0,
            $"Fuzz run with LBAAS_FUZZ_SEED={seed} LBAAS_FUZZ_COUNT={count} ({sent} payloads in {took.TotalSeconds:F0} s):\n" + string.Join("\n\n", problems));
    }

    /// <summary>
    /// After an apply that read everything the fuzz stored: a new load balancer, created with
    /// waiting, goes live only through an apply that tried the whole desired state. Then the live
    /// file must pass haproxy -c and each of its lines must have a shape the templates produce:
    /// a hostile value that slipped a line break, a token, a quote or a comment into it would not.
    /// </summary>
    private async Task<List<string>> LiveConfigProblemsAsync(HttpClient client)
    {
        var problems = new List<string>();
        var sentinel = await client.CreateLoadBalancerAsync(LoadBalancerBody(TestData.Unique("fz-after")).ToJsonString());
        if ((string?)sentinel["provisioning_status"] != "ACTIVE")
        {
            problems.Add($"the apply after the fuzz run did not go live: {sentinel.ToJsonString()}");
        }
        var path = api.Factory.HaProxy.ConfigPath;
        var check = await new HaProxyValidator(new HaProxyValidatorOptions { BinaryPath = HaProxyBinary.Require() }).ValidateFileAsync(path);
        if (!check.IsValid)
        {
            problems.Add($"haproxy -c refuses the live {path}: {check.Output}");
        }
        var shapes = TemplateLines.From(Path.Combine(Repository.Root, "templates"));
        var lines = (await File.ReadAllLinesAsync(path)).Where(l => l.Trim().Length > 0).ToList();
        var foreign = lines.Where(l => !shapes.Produces(l)).ToList();
        if (foreign.Count > 0)
        {
            problems.Add($"{foreign.Count} line(s) of the live haproxy.cfg have no shape in templates/ ({shapes.Count} shapes):\n"
                + string.Join('\n', foreign.Take(Shown).Select(l => Show(l, 200))));
        }
        if (!lines.Any(l => l.Trim() == $"backend lb_{sentinel["id"]}"))
        {
            problems.Add("the live haproxy.cfg does not hold the load balancer created after the fuzz run");
        }
        return problems;
    }

    private static async Task<string?> SendOneAsync(HttpClient client, HttpRequestMessage request, string what)
    {
        var shown = $"{request.Method} {Show(request.RequestUri!.OriginalString, 160)} [{what}] {Show(await BodyOf(request), 160)}";
        try
        {
            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            if ((int)response.StatusCode >= 500)
            {
                return $"- {(int)response.StatusCode} for {shown}\n  → {Show(text, 300)}";
            }
            // A create that went through: delete it again so the run does not use up the port range.
            if (request.Method == HttpMethod.Post && request.RequestUri.OriginalString.StartsWith("/api/v1/loadbalancer?", StringComparison.Ordinal)
                && (int)response.StatusCode is 201 or 202 && JsonNode.Parse(text)?["id"] is { } created)
            {
                using var delete = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/loadbalancer/{created}") { Headers = { { "Prefer", "respond-async" } } };
                using var deleted = await client.SendAsync(delete);
                return (int)deleted.StatusCode >= 500 ? $"- {(int)deleted.StatusCode} deleting what {shown} created" : null;
            }
            return null;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or InvalidOperationException)
        {
            return $"- {e.GetType().Name} for {shown}: {Show(e.Message, 300)}";
        }
        finally
        {
            request.Dispose();
        }
    }

    private static (HttpRequestMessage, string) Build(Target target, HostilePayloads generator, int index)
    {
        var query = new StringBuilder("?");
        var steps = new List<string>();
        // One request in three carries hostile query parameters; DELETE has nothing else to fuzz.
        if (target.Body is null || index % 3 == 0)
        {
            foreach (var name in QueryNames.Where((_, i) => (index / 3 + i) % 3 == 0))
            {
                query.Append(Uri.EscapeDataString(name)).Append('=').Append(generator.QueryValue()).Append('&');
            }
            steps.Add("hostile query");
        }
        var request = new HttpRequestMessage(target.Method, target.Url + query.ToString().TrimEnd('&')) { Headers = { { "Prefer", "respond-async" } } };
        if (target.Body is not null)
        {
            var (body, what) = generator.Mutate(target.Body(index));
            steps.Add(what);
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(target.Method == HttpMethod.Patch ? "application/merge-patch+json" : "application/json");
        }
        return (request, string.Join(", ", steps));
    }

    private sealed record Target(HttpMethod Method, string Url, Func<int, JsonNode>? Body);

    /// <summary>Every write endpoint, each with a body it accepts (the fuzz mutates it).</summary>
    private static Target[] Targets(long id, long backendId, string name)
    {
        var lb = $"/api/v1/loadbalancer/{id}";
        return
        [
            new(HttpMethod.Post, "/api/v1/loadbalancer", i => LoadBalancerBody($"fz-{i}-{Guid.NewGuid():N}")),
            new(HttpMethod.Put, lb, _ => LoadBalancerBody(name)),
            new(HttpMethod.Patch, lb, _ => new JsonObject
            {
                ["description"] = "patched", ["algorithm"] = "least_connections", ["labels"] = new JsonObject { ["team"] = "web" },
                ["health_check"] = new JsonObject { ["path"] = "/ready", ["expected_status"] = "200,204" }, ["timeouts"] = new JsonObject { ["server"] = "30s" },
            }),
            new(HttpMethod.Post, lb + "/backends", i => Backend(30000 + i, $"web-{i}")),
            new(HttpMethod.Put, lb + "/backends", i => new JsonArray(Backend(9001, "web-1"), Backend(31000 + i % 500, null))),
            new(HttpMethod.Patch, $"{lb}/backends/{backendId}", i => new JsonObject { ["weight"] = 1 + i % 5, ["state"] = i % 2 == 0 ? "enabled" : "draining" }),
            new(HttpMethod.Post, lb + "/rollback", _ => new JsonObject { ["revision"] = 1 }),
            new(HttpMethod.Post, lb + "/rollout", i => new JsonObject
            {
                ["backends"] = new JsonArray(Backend(32000 + i % 500, null)), ["batch_size"] = 1, ["interval"] = "1s",
                ["drain_timeout"] = "1s", ["health_timeout"] = "2s",
            }),
            new(HttpMethod.Post, lb + "/rollout/rollback", _ => new JsonObject()),
            new(HttpMethod.Delete, $"{lb}/backends/{backendId + 1}", null),
        ];
    }

    private static JsonObject LoadBalancerBody(string name) => new()
    {
        ["name"] = name,
        ["description"] = "fuzz",
        ["protocol"] = "http",
        ["algorithm"] = "round_robin",
        ["bind_address"] = "127.0.0.1",
        ["health_check"] = new JsonObject
        {
            ["enabled"] = true,
            ["type"] = "http",
            ["method"] = "GET",
            ["path"] = "/health",
            ["expected_status"] = "200-399",
            ["interval"] = "2s",
            ["timeout"] = "1s",
            ["rise"] = 2,
            ["fall"] = 3,
        },
        ["timeouts"] = new JsonObject { ["connect"] = "5s", ["client"] = "50s", ["server"] = "50s" },
        ["max_connections"] = 100,
        ["labels"] = new JsonObject { ["env"] = "fuzz" },
        ["slow_start"] = "10s",
        ["backends"] = new JsonArray(Backend(9001, "web-1"), Backend(9002, "web-2")),
    };

    private static JsonObject Backend(int port, string? name)
    {
        var backend = new JsonObject { ["host"] = "127.0.0.1", ["port"] = port, ["weight"] = 1, ["backup"] = false, ["state"] = "enabled" };
        if (name is not null)
        {
            backend["name"] = name;
        }
        return backend;
    }

    private static async Task<string> BodyOf(HttpRequestMessage request) =>
        request.Content is null ? "" : Encoding.UTF8.GetString(await request.Content.ReadAsByteArrayAsync());

    /// <summary>Shortened, with control and invisible characters spelled out so the message shows what was sent.</summary>
    private static string Show(string text, int max)
    {
        var visible = new StringBuilder();
        foreach (var c in text.Length > max ? text[..max] : text)
        {
            visible.Append(char.IsControl(c) || c is '\u2028' or '\u2029' or '\u200e' or '\u200f' or '\u202e' or '\ufeff'
                ? $"\\u{(int)c:x4}" : c.ToString());
        }
        return text.Length > max ? visible + $"…(+{text.Length - max})" : visible.ToString();
    }

    private static int? FromEnvironment(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
}
