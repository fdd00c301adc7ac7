using System.Net;
using Lbaas.Api.Tests.Infrastructure;

namespace Lbaas.Api.Tests.Integration;

public sealed class LifecycleTests
{
    [Fact]
    public async Task Data_SurvivesApiRestart()
    {
        var database = await TestPostgres.CreateDatabaseAsync();
        var name = TestData.Unique();
        long id;
        await using var haproxy = await ApiHaProxy.StartAsync();
        await using (var first = await ApiFactory.StartAsync(database, haproxy))
        {
            var lb = await first.CreateClient().CreateLoadBalancerAsync(
                $$"""{"name": "{{name}}", "labels": {"env": "staging"}, "backends": [{"host": "127.0.0.1", "port": 9001, "weight": 3}]}""");
            id = (long)lb["id"]!;
        }
        await using var second = await ApiFactory.StartAsync(database, haproxy);
        var response = await second.CreateClient().GetAsync($"/api/v1/loadbalancer/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadNodeAsync();
        Assert.Equal(name, (string?)body["name"]);
        Assert.Equal("staging", (string?)body["labels"]!["env"]);
        Assert.Equal(3, (int)body["backends"]![0]!["weight"]!);
    }

    [Fact]
    public async Task Start_UnmigratedDatabase_IsRefusedWithClearMessage()
    {
        var database = await TestPostgres.CreateDatabaseAsync(migrate: false);
        var (exitCode, output) = await ApiProcess.RunAsync(new Dictionary<string, string>
        {
            ["LBAAS_DATABASE_URL"] = database,
            ["LBAAS_API_PORT"] = "1",
        });
        Assert.NotEqual(0, exitCode);
        Assert.Contains("not migrated", output, StringComparison.Ordinal);
        Assert.Contains("Lbaas.Api.dll migrate", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MigrateCommand_MigratesThenApiStarts()
    {
        var database = await TestPostgres.CreateDatabaseAsync(migrate: false);
        var (exitCode, output) = await ApiProcess.RunAsync(new Dictionary<string, string> { ["LBAAS_DATABASE_URL"] = database }, "migrate");
        Assert.True(exitCode == 0, output);

        await using var factory = await ApiFactory.StartAsync(database);
        // Ready once the first apply has gone live, a moment after the start.
        var ready = await Eventually.Until(() => factory.CreateClient().GetAsync("/health/ready"), r => r.StatusCode == HttpStatusCode.OK, "ready", TimeSpan.FromSeconds(20));
        Assert.Equal("healthy", (string?)(await ready.ReadNodeAsync())["checks"]!["database"]!["status"]);
    }
}
