using System.Net;
using System.Text.Json.Nodes;
using Lbaas.Api.Data;
using Lbaas.Api.Reconciliation;
using Lbaas.Api.Tests.Infrastructure;
using Lbaas.HaProxy.Rendering;
using Lbaas.HaProxy.Validation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Lbaas.Api.Tests.Integration;

/// <summary>
/// Hostile values at every string field: each is either refused with 400 or stored and rendered
/// into a configuration that the real <c>haproxy -c</c> accepts, with the value kept on one line.
/// </summary>
public sealed class HostileValuesRenderTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static readonly string[] Hostile =
    [
        "a\nb", "a\rb", "x # comment", "\"quoted\"", "'single'", "with space", "%[src]", "${HOME}", "back\\slash",
        new string('x', 5000), "ünïcödé", "tab\there", "semi;colon", "/ok", "200", "5s", "127.0.0.1", "",
    ];

    private static readonly string[] Fields =
    [
        "name", "description", "bind_address", "health_check.method", "health_check.path", "health_check.expected_status",
        "health_check.interval", "health_check.timeout", "timeouts.connect", "timeouts.client", "timeouts.server",
        "labels.key", "labels.value", "backends.host", "backends.name",
    ];

    [Fact]
    public async Task EveryStringField_HostileValue_IsRejectedOrRendersSafely()
    {
        var client = api.CreateClient();
        var baseline = await client.CreateLoadBalancerAsync(Body(null, "").ToJsonString());
        var baselineLines = Keywords(await RenderAndValidateAsync((long)baseline["id"]!, "baseline", ""));
        var stored = 0;
        foreach (var field in Fields)
        {
            foreach (var value in Hostile)
            {
                var body = Body(field, value);
                var response = await client.PostJsonAsync("/api/v1/loadbalancer", body.ToJsonString());
                if (response.StatusCode == HttpStatusCode.BadRequest)
                {
                    continue;
                }
                Assert.True(response.StatusCode == HttpStatusCode.Created, $"{field}={Show(value)}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                stored++;
                var id = (long)(await response.ReadNodeAsync())["id"]!;
                var text = await RenderAndValidateAsync(id, field, value);
                // The value changed tokens, never the shape: same directives, line for line.
                Assert.Equal(baselineLines, Keywords(text));
            }
        }
        Assert.True(stored > 10, "too few values were accepted for the test to mean anything");
    }

    private async Task<string> RenderAndValidateAsync(long id, string field, string value)
    {
        using var scope = api.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<LbaasDb>();
        var lb = await db.LoadBalancers.AsNoTracking().Include(l => l.Backends).SingleAsync(l => l.Id == id);
        using var directory = new TempDirectory("lbaas-render-");
        var options = new HaProxyOptions
        {
            AdminSocketPath = directory.File("admin.sock"),
            ServerStateFile = directory.File("server-state"),
            StatsPort = FreePort.Next(),
        };
        var text = new ConfigRenderer().Render(ConfigModelMapper.From([lb], options, descriptorLimit: 20_000));
        var file = directory.File("haproxy.cfg");
        await File.WriteAllTextAsync(file, text);
        var result = await new HaProxyValidator(new HaProxyValidatorOptions { BinaryPath = HaProxyBinary.Require() }).ValidateFileAsync(file);
        Assert.True(result.IsValid, $"{field}={Show(value)} rendered a config haproxy -c refuses: {result.Output}\n{text}");
        return text;
    }

    /// <summary>The first word of every line: the directives, in order.</summary>
    private static List<string> Keywords(string text) =>
        text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split(' ')[0]).ToList();

    private static JsonObject Body(string? field, string value)
    {
        var body = new JsonObject { ["name"] = TestData.Unique(), ["frontend_port"] = FreePort.Next() };
        var backend = new JsonObject { ["host"] = "127.0.0.1", ["port"] = 9001 };
        body["backends"] = new JsonArray(backend);
        switch (field?.Split('.') ?? [])
        {
            case ["labels", "key"]: body["labels"] = new JsonObject { [value] = "v" }; break;
            case ["labels", "value"]: body["labels"] = new JsonObject { ["k"] = value }; break;
            case ["backends", var member]: backend[member] = value; break;
            case [var section, var member]: body[section] = new JsonObject { [member] = value }; break;
            case [var top]: body[top] = value; break;
            default: break;
        }
        return body;
    }

    private static string Show(string value) => value.Length > 40 ? value[..40] + "…" : value.ReplaceLineEndings("\\n");
}
