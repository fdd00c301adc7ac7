using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Lbaas.Api.Tests.Infrastructure;

/// <summary>
/// A real HTTP server (Kestrel) on a free loopback port that answers every request with its own
/// name: after <c>delay</c> if given (a backend slower than another), <c>/slow/{ms}</c> after that many ms.
/// </summary>
public sealed class TestBackend : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestBackend(string name, WebApplication app, int port)
    {
        Name = name;
        _app = app;
        Port = port;
    }

    public string Name { get; }

    public int Port { get; }

    /// <param name="name">What it answers.</param>
    /// <param name="delay">Added before every answer: a backend slower than another.</param>
    /// <param name="port">0 for a free port; a port of a stopped backend to start it again where HAProxy expects it.</param>
    public static async Task<TestBackend> StartAsync(string name, TimeSpan delay = default, int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        // A request that stays in flight for a while: what draining must let finish.
        app.Map("/slow/{ms:int}", async (int ms) =>
        {
            await Task.Delay(ms);
            return Results.Text(name);
        });
        app.Map("/{**path}", async () =>
        {
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay);
            }
            return Results.Text(name);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new TestBackend(name, app, new Uri(address).Port);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
