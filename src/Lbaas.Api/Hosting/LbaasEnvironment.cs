namespace Lbaas.Api.Hosting;

/// <summary>
/// The short LBAAS_* variables that the scripts and README use, mapped onto configuration keys.
/// The usual ASP.NET spellings (ConnectionStrings__Lbaas, LoadBalancers__DefaultBindAddress) work too.
/// </summary>
public static class LbaasEnvironment
{
    public const int DefaultApiPort = 8000;

    public static void AddLbaasVariables(this ConfigurationManager configuration)
    {
        var values = new Dictionary<string, string?>();
        if (Get("LBAAS_DATABASE_URL") is { } database)
        {
            values["ConnectionStrings:Lbaas"] = PostgresUrl.ToConnectionString(database);
        }
        if (Get("LBAAS_BIND_ADDRESS") is { } bindAddress)
        {
            values["LoadBalancers:DefaultBindAddress"] = bindAddress;
        }
        if (Get("LBAAS_HAPROXY_DIR") is { } haproxyDir)
        {
            values["HaProxy:ConfigPath"] = Path.Combine(haproxyDir, "haproxy.cfg");
            values["HaProxy:MasterSocketPath"] = Path.Combine(haproxyDir, "master.sock");
            values["HaProxy:AdminSocketPath"] = Path.Combine(haproxyDir, "admin.sock");
            values["HaProxy:ServerStateFile"] = Path.Combine(haproxyDir, "server-state");
        }
        if (Get("LBAAS_STATS_PORT") is { } statsPort)
        {
            values["HaProxy:StatsPort"] = statsPort;
        }
        if (Get("LBAAS_APPLY_WAIT") is { } wait)
        {
            values["Apply:WriteWait"] = wait;
        }
        if (Get("LBAAS_SCRAPE_INTERVAL") is { } scrape)
        {
            values["Monitoring:ScrapeInterval"] = scrape;
        }
        var apiPort = Get("LBAAS_API_PORT");
        if (apiPort is not null)
        {
            values["LoadBalancers:ApiPort"] = apiPort;
        }
        // Loopback on 8000 unless told otherwise (ASPNETCORE_URLS, --urls): the API is an admin surface.
        if (configuration["urls"] is null && configuration["http_ports"] is null)
        {
            values["urls"] = $"http://127.0.0.1:{apiPort ?? DefaultApiPort.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        }
        configuration.AddInMemoryCollection(values);
    }

    private static string? Get(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
