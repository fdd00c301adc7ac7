using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Lbaas.Api.Tests.Infrastructure;

namespace Lbaas.Api.Tests.Integration;

/// <summary>
/// What Kestrel refuses before the application runs, through a real Kestrel on loopback and raw
/// sockets (the in-memory test server has no Kestrel, and HttpClient will not send these).
/// </summary>
public sealed class KestrelErrorTests : IAsyncLifetime
{
    private ApiFactory? _factory;
    private int _port;

    public async Task InitializeAsync()
    {
        _factory = await ApiFactory.StartAsync(await TestPostgres.CreateDatabaseAsync());
        _port = FreePort.Next();
        _factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, _port));
        _factory.StartServer();
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("GARBAGE\r\n\r\n", 400)]
    [InlineData("GET /api/v1/loadbalancer HTTP/1.1\r\n\r\n", 400)]
    [InlineData("GET /api/v1/loadbalancer HTTP/1.1\r\nHost: a b\r\n\r\n", 400)]
    [InlineData("GET /api/v1/loadbalancer HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n", 400)]
    [InlineData("GET /api/v1/loadbalancer?x={0} HTTP/1.1\r\nHost: x\r\n\r\n", 414)]
    [InlineData("GET /api/v1/loadbalancer HTTP/1.1\r\nHost: x\r\nX-Big: {0}\r\n\r\n", 431)]
    public async Task RawRequest_RefusedByKestrel_AnswersProblemJson(string template, int status)
    {
        var request = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, new string('a', 40_000));

        var (head, body) = await SendAsync(request);

        Assert.StartsWith($"HTTP/1.1 {status} ", head, StringComparison.Ordinal);
        Assert.Contains("\r\nContent-Type: application/problem+json\r\n", head, StringComparison.Ordinal);
        Assert.Contains($"\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n", head, StringComparison.Ordinal);
        var problem = JsonNode.Parse(body)!;
        Assert.Equal(status, (int)problem["status"]!);
        Assert.False(string.IsNullOrEmpty((string?)problem["detail"]));
    }

    [Fact]
    public async Task RawRequest_Valid_AnsweredByTheApplicationUnchanged()
    {
        var (head, body) = await SendAsync("GET /api/v1/loadbalancer?limit=1 HTTP/1.0\r\nHost: x\r\n\r\n");

        Assert.True(head.StartsWith("HTTP/1.1 200 ", StringComparison.Ordinal), head + body);
        Assert.NotNull(JsonNode.Parse(body)!["items"]);
    }

    [Fact]
    public async Task RawRequest_ApplicationError_KeepsItsOwnProblem()
    {
        var (head, body) = await SendAsync("GET /api/v1/loadbalancer?name=%00 HTTP/1.0\r\nHost: x\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 400 ", head, StringComparison.Ordinal);
        Assert.NotNull(JsonNode.Parse(body)!["errors"]!["name"]);
    }

    /// <summary>Sends the bytes and reads until the server closes (bounded: 10 s); HTTP/1.0 requests get unchunked answers.</summary>
    private async Task<(string Head, string Body)> SendAsync(string request)
    {
        using var tcp = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await tcp.ConnectAsync(IPAddress.Loopback, _port, timeout.Token);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), timeout.Token);
        using var received = new MemoryStream();
        try
        {
            await stream.CopyToAsync(received, timeout.Token);
        }
        catch (IOException)
        {
            // Kestrel may reset the connection after its answer while the rest of a large request is still unread.
        }
        var text = Encoding.UTF8.GetString(received.ToArray());
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(split > 0, $"no response: '{text}'");
        return (text[..(split + 2)], text[(split + 4)..]);
    }
}
