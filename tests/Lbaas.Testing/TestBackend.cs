using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Lbaas.Testing;

/// <summary>
/// A real HTTP server (Kestrel) on loopback that answers every request 200 with its name, in the
/// body and the <c>X-Backend</c> header, so a request through HAProxy tells which server answered.
/// Health checks (<see cref="HealthPath"/>) are answered but not counted. <c>/slow/{ms}</c> answers
/// after that many ms: a request in flight, which draining must let finish.
/// </summary>
public sealed class TestBackend : IAsyncDisposable
{
    public const string HealthPath = "/health";

    /// <summary>Request heads kept at the most, so a benchmark's millions of requests cost no memory.</summary>
    private const int HeadsKept = 100;

    private const string SlowPrefix = "/slow/";

    private readonly Func<int, string> _answer;
    private readonly TimeSpan _delay;
    private readonly bool _keepAlive;
    private WebApplication? _app;
    private int _requests;
    private int _holding;

    private TestBackend(Func<int, string> answer, TimeSpan delay, bool keepAlive) => (_answer, _delay, _keepAlive) = (answer, delay, keepAlive);

    /// <summary>What it answers (on its first port).</summary>
    public string Name => _answer(Port);

    public int Port => Ports[0];

    public IReadOnlyList<int> Ports { get; private set; } = [];

    /// <summary>Requests other than health checks.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Requests held right now by <c>/slow/{ms}</c> or the delay before every answer.</summary>
    public int Holding => Volatile.Read(ref _holding);

    /// <summary>The first request heads received (request line and headers), health checks excluded.</summary>
    public ConcurrentQueue<string> Heads { get; } = new();

    /// <summary>What a server of <see cref="StartManyAsync"/> answers on <paramref name="port"/>.</summary>
    public static string Identity(int port) => "b-" + port.ToString(CultureInfo.InvariantCulture);

    /// <param name="name">What it answers.</param>
    /// <param name="delay">Added before every answer: a backend slower than another.</param>
    /// <param name="port">0 for a free port; the port of a stopped backend to start it again where HAProxy expects it.</param>
    /// <param name="keepAlive">
    /// False closes every connection after one response, so HAProxy keeps no idle server-side
    /// connection (which would hold up deleting the server at runtime).
    /// </param>
    public static Task<TestBackend> StartAsync(string name, TimeSpan delay = default, int port = 0, bool keepAlive = true) =>
        StartAsync(new TestBackend(_ => name, delay, keepAlive), [port]);

    /// <summary>One server on <paramref name="count"/> free ports, each answering <see cref="Identity"/> of its port: the benchmarks' pools.</summary>
    public static Task<TestBackend> StartManyAsync(int count) =>
        StartAsync(new TestBackend(Identity, default, keepAlive: true), Enumerable.Repeat(0, count).ToList());

    private static async Task<TestBackend> StartAsync(TestBackend backend, List<int> ports)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            foreach (var port in ports)
            {
                kestrel.Listen(IPAddress.Loopback, port);
            }
        });
        var app = builder.Build();
        app.Run(backend.AnswerAsync);
        await app.StartAsync();
        backend._app = app;
        backend.Ports = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a).Port).Order().ToList();
        if (backend.Ports.Count != ports.Count)
        {
            await backend.DisposeAsync();
            throw new InvalidOperationException($"Kestrel listens on {backend.Ports.Count} ports, {ports.Count} were asked for.");
        }
        // A health check to each port, not counted, so Kestrel's first-request costs are not measured later.
        using var warm = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };
        foreach (var port in backend.Ports)
        {
            (await warm.GetAsync(new Uri($"http://127.0.0.1:{port}{HealthPath}"))).Dispose();
        }
        return backend;
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "";
        if (path != HealthPath && Interlocked.Increment(ref _requests) <= HeadsKept)
        {
            Heads.Enqueue(Head(request));
        }
        try
        {
            var hold = path.StartsWith(SlowPrefix, StringComparison.Ordinal) && int.TryParse(path.AsSpan(SlowPrefix.Length), CultureInfo.InvariantCulture, out var ms)
                ? TimeSpan.FromMilliseconds(ms)
                : _delay;
            if (hold > TimeSpan.Zero)
            {
                await HoldAsync(hold, context.RequestAborted);
            }
            var name = _answer(context.Connection.LocalPort);
            context.Response.Headers["X-Backend"] = name;
            if (!_keepAlive)
            {
                context.Response.Headers.Connection = "close";
            }
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync(name, context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // HAProxy cut the session (a drain timeout, a deleted server): nobody to answer.
        }
    }

    private async Task HoldAsync(TimeSpan hold, CancellationToken aborted)
    {
        Interlocked.Increment(ref _holding);
        try
        {
            await Task.Delay(hold, aborted);
        }
        finally
        {
            Interlocked.Decrement(ref _holding);
        }
    }

    private static string Head(HttpRequest request)
    {
        var head = new StringBuilder($"{request.Method} {request.Path}{request.QueryString} {request.Protocol}\r\n");
        foreach (var (key, value) in request.Headers)
        {
            head.Append(CultureInfo.InvariantCulture, $"{key}: {value}\r\n");
        }
        return head.Append("\r\n").ToString();
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
