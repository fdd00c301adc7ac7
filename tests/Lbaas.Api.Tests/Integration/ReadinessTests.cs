using Lbaas.Api.Tests.Infrastructure;

namespace Lbaas.Api.Tests.Integration;

/// <summary>/health/ready names the last apply when HAProxy was refused the desired state.</summary>
public sealed class ReadinessTests
{
    [Fact]
    public async Task Ready_LastApplyRefusedByHaProxyC_Returns503NamingLastApply()
    {
        // Operator templates whose global section HAProxy refuses: every apply fails validation.
        var templates = Directory.CreateTempSubdirectory("lbaas-templates-");
        try
        {
            foreach (var file in Directory.GetFiles(Path.Combine(Repository.Root, "templates"), "*.scriban"))
            {
                File.Copy(file, Path.Combine(templates.FullName, Path.GetFileName(file)));
            }
            await File.AppendAllTextAsync(Path.Combine(templates.FullName, "global.scriban"), "    no-such-directive-here\n");
            await using var api = await ApiFactory.StartAsync(await TestPostgres.CreateDatabaseAsync(),
                settings: new Dictionary<string, string?> { ["HaProxy:TemplatesDirectory"] = templates.FullName });
            var client = api.CreateClient();

            var ready = await Eventually.Until(() => client.GetAsync("/health/ready"),
                r => r.Content.ReadAsStringAsync().Result.Contains("last_apply: The last apply failed", StringComparison.Ordinal), "last_apply failing");

            var problem = await ready.AssertProblemAsync(503);
            Assert.Equal("unhealthy", (string?)problem["checks"]!["last_apply"]!["status"]);
            Assert.Contains("no-such-directive-here", (string?)problem["checks"]!["last_apply"]!["detail"], StringComparison.Ordinal);
            Assert.Equal("healthy", (string?)problem["checks"]!["haproxy_runtime_socket"]!["status"]);
            Assert.Equal("healthy", (string?)problem["checks"]!["database"]!["status"]);
        }
        finally
        {
            templates.Delete(recursive: true);
        }
    }
}
