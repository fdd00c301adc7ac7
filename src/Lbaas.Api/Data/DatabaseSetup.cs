using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Polly;
using Polly.Retry;

namespace Lbaas.Api.Data;

public static class DatabaseSetup
{
    public const string MigrateCommand = "migrate";

    public static IServiceCollection AddLbaasDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddDbContext<LbaasDb>((provider, options) =>
            Configure(options, Bounded(ConnectionString(configuration), provider.GetRequiredService<IOptions<DatabaseOptions>>().Value)));
        services.AddHttpContextAccessor();
        services.AddScoped<WriteCommit>();
        return services;
    }

    /// <summary>
    /// Sets <c>Maximum Pool Size</c> and <c>Timeout</c> from <see cref="DatabaseOptions"/> unless the
    /// connection string names them itself (an explicit value there wins).
    /// </summary>
    public static string Bounded(string connectionString, DatabaseOptions options)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(k => k.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant()).ToHashSet();
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!given.Overlaps(["maxpoolsize", "maximumpoolsize"]))
        {
            builder.MaxPoolSize = options.MaxPoolSize;
        }
        if (!given.Contains("timeout"))
        {
            builder.Timeout = (int)Math.Ceiling(options.ConnectionWait.TotalSeconds);
        }
        return builder.ConnectionString;
    }

    public static void Configure(DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString).UseSnakeCaseNamingConvention();

    public static string ConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString("Lbaas") is { Length: > 0 } value
            ? value
            : throw new DatabaseStartupException("No database is configured: set LBAAS_DATABASE_URL (or ConnectionStrings__Lbaas).");

    /// <summary>
    /// Runs the <c>migrate</c> command, or checks the schema before serving. Returns whether the
    /// server should start; on failure it logs why and sets a non-zero exit code.
    /// </summary>
    public static async Task<bool> PrepareAsync(WebApplication app, bool migrate)
    {
        try
        {
            if (migrate)
            {
                await MigrateAsync(app.Services, app.Lifetime.ApplicationStopping);
                app.Logger.LogInformation("Database migrated");
                return false;
            }
            await EnsureMigratedAsync(app.Services, app.Lifetime.ApplicationStopping);
            return true;
        }
        catch (Exception e) when (e is DatabaseStartupException or NpgsqlException or TimeoutException)
        {
            var action = migrate ? "migrate the database" : "start";
            app.Logger.LogCritical("Cannot {Action}: {Reason}", action, e.Message);
            Environment.ExitCode = 1;
            return false;
        }
    }

    /// <summary>Applies every pending migration: the explicit step that up.sh runs as <c>Lbaas.Api migrate</c>.</summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LbaasDb>();
        await StartupRetry.ExecuteAsync(async token => await db.Database.MigrateAsync(token), ct);
    }

    /// <summary>Refuses to serve against a database that is behind the code.</summary>
    public static async Task EnsureMigratedAsync(IServiceProvider services, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LbaasDb>();
        var pending = await StartupRetry.ExecuteAsync(async token => (await db.Database.GetPendingMigrationsAsync(token)).ToList(), ct);
        if (pending.Count > 0)
        {
            throw new DatabaseStartupException(
                $"The database is not migrated: {pending.Count} pending migration(s) ({string.Join(", ", pending)}). " +
                "Run 'dotnet Lbaas.Api.dll migrate' (deploy/local/up.sh does) before starting the API.");
        }
    }

    /// <summary>PostgreSQL may still be starting next to us: retry transient failures for about half a minute.</summary>
    private static readonly ResiliencePipeline StartupRetry = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<NpgsqlException>(e => e.IsTransient).Handle<TimeoutException>(),
            MaxRetryAttempts = 10,
            Delay = TimeSpan.FromSeconds(1),
            BackoffType = DelayBackoffType.Exponential,
            MaxDelay = TimeSpan.FromSeconds(5),
        })
        .Build();
}

/// <summary>The database cannot be used as configured: the API must not start.</summary>
public sealed class DatabaseStartupException(string message) : Exception(message);
