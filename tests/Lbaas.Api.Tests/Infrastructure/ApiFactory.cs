using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Lbaas.Api.Tests.Infrastructure;

/// <summary>The real API, in process, against the given database and a real HAProxy of its own (or a shared one).</summary>
public sealed class ApiFactory : WebApplicationFactory<Program>
{
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly bool _ownsHaProxy;
    private readonly Action<IServiceCollection>? _services;

    private ApiFactory(
        string connectionString, TestHaProxy haproxy, bool ownsHaProxy, IReadOnlyDictionary<string, string?>? settings, Action<IServiceCollection>? services)
    {
        _services = services;
        ConnectionString = connectionString;
        HaProxy = haproxy;
        _ownsHaProxy = ownsHaProxy;
        var (first, last) = TestData.PortBlock();
        var values = new Dictionary<string, string?>(haproxy.ApiSettings())
        {
            ["ConnectionStrings:Lbaas"] = connectionString,
            ["LoadBalancers:PortRangeStart"] = first.ToString(CultureInfo.InvariantCulture),
            ["LoadBalancers:PortRangeEnd"] = last.ToString(CultureInfo.InvariantCulture),
            ["Apply:Tick"] = "00:00:02",
            ["Monitoring:ScrapeInterval"] = "00:00:00.500",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }
        _settings = values;
    }

    public string ConnectionString { get; }

    public TestHaProxy HaProxy { get; }

    /// <summary>
    /// Starts an API; with <paramref name="haproxy"/> it shares that HAProxy (and does not stop it), else it gets its own.
    /// <paramref name="services"/> adds to the app's services (e.g. an EF Core interceptor that cuts the database at a chosen moment).
    /// </summary>
    public static async Task<ApiFactory> StartAsync(
        string connectionString, TestHaProxy? haproxy = null, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null) =>
        new(connectionString, haproxy ?? await ApiHaProxy.StartAsync(), ownsHaProxy: haproxy is null, settings, services);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(_settings));
        if (_services is not null)
        {
            builder.ConfigureServices(_services);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_ownsHaProxy)
        {
            await HaProxy.DisposeAsync();
        }
    }
}
