using System.Diagnostics;

namespace Lbaas.Api.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster in a temporary directory, listening on a free loopback port.
/// initdb refuses to run as root, so under root the server runs as the 'postgres' system user.
/// </summary>
public sealed class LocalPostgresCluster
{
    private readonly string _directory;
    private readonly string _binaries;
    private readonly bool _asPostgresUser;
    private readonly int _port;
    private readonly bool _durable;
    private readonly int _maxConnections;

    private LocalPostgresCluster(string directory, string binaries, bool asPostgresUser, int port, int maxConnections, bool durable)
    {
        _maxConnections = maxConnections;
        _durable = durable;
        _directory = directory;
        _binaries = binaries;
        _asPostgresUser = asPostgresUser;
        _port = port;
        ConnectionString = $"Host=127.0.0.1;Port={port};Username=lbaas;Database=postgres;Pooling=true;Include Error Detail=true";
    }

    public string ConnectionString { get; }

    private string DataDirectory => Path.Combine(_directory, "data");

    /// <param name="maxConnections">PostgreSQL's <c>max_connections</c>: 200 for the shared test server; 100 (its default) where a test must hold within it.</param>
    /// <param name="durable">
    /// Commits survive a crash (PostgreSQL's defaults). Otherwise fsync and synchronous commit are
    /// off, which is faster, but a crash then loses the last commits: right for tests that never
    /// crash it, wrong for the ones that do.
    /// </param>
    public static async Task<LocalPostgresCluster> StartAsync(int maxConnections = 200, bool durable = false)
    {
        var binaries = FindBinaries() ?? throw new InvalidOperationException(
            "No PostgreSQL for the tests: set LBAAS_TEST_DATABASE_URL, start a Docker engine, or install PostgreSQL 15 " +
            "(apt-get install postgresql; deploy/local/test.sh does this).");
        var asPostgresUser = Environment.UserName == "root";
        var directory = Path.Combine(Path.GetTempPath(), "lbaas-test-pg-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        if (asPostgresUser)
        {
            await RunAsync("chown", ["postgres", directory], asUser: false);
        }
        var port = FreePort.Next();
        var cluster = new LocalPostgresCluster(directory, binaries, asPostgresUser, port, maxConnections, durable);
        await cluster.RunPostgresToolAsync("initdb", ["-D", cluster.DataDirectory, "-U", "lbaas", "--auth=trust", "-E", "UTF8", "--no-sync"]);
        await cluster.StartServerAsync();
        cluster.CleanUpWhenThisProcessEnds();
        return cluster;
    }

    /// <summary>Starts the server (again, after <see cref="StopServerAsync"/>) on the same port and data.</summary>
    public Task StartServerAsync() => RunPostgresToolAsync("pg_ctl", [
        "-D", DataDirectory, "-w", "-t", "60", "-l", Path.Combine(_directory, "postgres.log"), "start",
        "-o", $"-p {_port} -k {_directory} -c listen_addresses=127.0.0.1 -c max_connections={_maxConnections}"
            + (_durable ? "" : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"),
    ]);

    /// <summary>Stops the server like a crash (<c>-m immediate</c>): every connection is cut, nothing is flushed politely.</summary>
    public Task StopServerAsync() => RunPostgresToolAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "stop"]);

    private void CleanUpWhenThisProcessEnds()
    {
        var stop = _asPostgresUser ? "runuser -u postgres -- " : "";
        Watchdog.RunWhenThisProcessEnds($"{stop}'{Path.Combine(_binaries, "pg_ctl")}' -D '{DataDirectory}' -m immediate stop; rm -rf '{_directory}'");
    }

    private Task RunPostgresToolAsync(string tool, IReadOnlyList<string> args) =>
        RunAsync(Path.Combine(_binaries, tool), args, _asPostgresUser);

    private static async Task RunAsync(string program, IReadOnlyList<string> args, bool asUser)
    {
        var start = new ProcessStartInfo(asUser ? "runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (asUser)
        {
            foreach (var arg in (string[])["-u", "postgres", "--", program])
            {
                start.ArgumentList.Add(arg);
            }
        }
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({process.ExitCode}): {await error}{await output}");
        }
    }

    private static string? FindBinaries()
    {
        var candidates = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").OrderDescending().Select(d => Path.Combine(d, "bin"))
            : [];
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':');
        return candidates.Concat(path).FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
    }
}
