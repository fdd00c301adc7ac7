using Lbaas.Api.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Testcontainers.PostgreSql;

namespace Lbaas.Api.Tests.Infrastructure;

/// <summary>
/// One real PostgreSQL per test run, from the first source that answers: LBAAS_TEST_DATABASE_URL,
/// a Docker engine (Testcontainers), or a throwaway cluster made with the installed initdb/pg_ctl.
/// Each test class gets its own freshly migrated database on it. With none of the three the tests
/// fail, loudly: they never pass without a database.
/// </summary>
public static class TestPostgres
{
    private static readonly Lazy<Task<string>> Server = new(StartServerAsync);
    private static readonly SemaphoreSlim Migrating = new(1, 1);

    /// <summary>A new, empty database; migrated unless <paramref name="migrate"/> is false.</summary>
    public static async Task<string> CreateDatabaseAsync(bool migrate = true) => await CreateDatabaseAsync(await Server.Value, migrate);

    /// <summary>A new, empty database on the server <paramref name="admin"/> connects to (e.g. a <see cref="LocalPostgresCluster"/> of its own).</summary>
    public static async Task<string> CreateDatabaseAsync(string admin, bool migrate = true)
    {
        var name = "lbaas_test_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        // Npgsql keeps one pool per connection string, process-wide, and closes idle connections only
        // after 300 s: with a database per test class, the idle connections of classes long finished
        // added up past the shared server's max_connections (53300 "too many clients" in whole-suite
        // runs). Closed after 5 s idle here, they no longer outlive their tests.
        var connectionString = new NpgsqlConnectionStringBuilder(admin)
        {
            Database = name,
            ConnectionIdleLifetime = 5,
            ConnectionPruningInterval = 1,
        }.ConnectionString;
        if (migrate)
        {
            var options = new DbContextOptionsBuilder<LbaasDb>();
            DatabaseSetup.Configure(options, connectionString);
            await using var db = new LbaasDb(options.Options);
            // One at a time: test classes starting together raced on EF Core's first check of the
            // migrations' model snapshot ("The model must be finalized…" from HasPendingModelChanges).
            await Migrating.WaitAsync();
            try
            {
                await db.Database.MigrateAsync();
            }
            finally
            {
                Migrating.Release();
            }
        }
        return connectionString;
    }

    private static async Task<string> StartServerAsync()
    {
        if (Environment.GetEnvironmentVariable("LBAAS_TEST_DATABASE_URL") is { Length: > 0 } url)
        {
            return Hosting.PostgresUrl.ToConnectionString(url);
        }
        if (DockerMayAnswer())
        {
            try
            {
                var container = new PostgreSqlBuilder("postgres:15-alpine").Build();
                await container.StartAsync();
                AppDomain.CurrentDomain.ProcessExit += (_, _) => container.DisposeAsync().AsTask().GetAwaiter().GetResult();
                return container.GetConnectionString();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Console.Error.WriteLine($"Docker did not start PostgreSQL ({e.Message}); using a local cluster.");
            }
        }
        return (await LocalPostgresCluster.StartAsync()).ConnectionString;
    }

    private static bool DockerMayAnswer() =>
        Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } || File.Exists("/var/run/docker.sock");
}
