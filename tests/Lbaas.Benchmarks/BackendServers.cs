using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Lbaas.Benchmarks;

/// <summary>
/// The benchmark's own backends: one Kestrel server listening on <c>count</c> free loopback ports.
/// Every request is answered 200 with the identity of the port it arrived on (<c>b-&lt;port&gt;</c>,
/// in the body and the <c>X-Backend</c> header), so a request through HAProxy tells which backend
/// answered it.
/// </summary>
internal sealed class BackendServers : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BackendServers(WebApplication app, IReadOnlyList<int> ports)
    {
        _app = app;
        Ports = ports;
    }

    public IReadOnlyList<int> Ports { get; }

    public static string Identity(int port) => "b-" + port.ToString(CultureInfo.InvariantCulture);

    public static async Task<BackendServers> StartAsync(int count)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            for (var i = 0; i < count; i++)
            {
                kestrel.Listen(IPAddress.Loopback, 0);
            }
        });
        var app = builder.Build();
        app.Run(context =>
        {
            var identity = Identity(context.Connection.LocalPort);
            context.Response.Headers["X-Backend"] = identity;
            context.Response.ContentType = "text/plain";
            return context.Response.WriteAsync(identity);
        });
        await app.StartAsync();
        var ports = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a).Port).Order().ToList();
        if (ports.Count != count)
        {
            await app.DisposeAsync();
            throw new InvalidOperationException($"Kestrel listens on {ports.Count} ports, {count} were asked for.");
        }
        // One request to each port directly, so Kestrel's first-request costs are not measured later.
        using var warm = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };
        foreach (var port in ports)
        {
            (await warm.GetAsync(new Uri($"http://127.0.0.1:{port}/"))).Dispose();
        }
        return new BackendServers(app, ports);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
