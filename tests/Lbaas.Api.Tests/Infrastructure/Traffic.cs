using System.Net;
using System.Net.Sockets;

namespace Lbaas.Api.Tests.Infrastructure;

/// <summary>Real HTTP through HAProxy: bounded request loops on loopback.</summary>
public static class Traffic
{
    /// <summary>Sends <paramref name="count"/> requests, each on a new connection, and counts the answers by body.</summary>
    public static async Task<Dictionary<string, int>> CountAsync(int port, int count, string? forwardedFrom = null)
    {
        var answers = new Dictionary<string, int>();
        for (var i = 0; i < count; i++)
        {
            using var client = NewClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/");
            var response = await client.SendAsync(request);
            var body = response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync() : $"HTTP {(int)response.StatusCode}";
            answers[body] = answers.GetValueOrDefault(body) + 1;
        }
        return answers;
    }

    /// <summary>Waits (bounded) until a request through <paramref name="port"/> is answered by one of <paramref name="names"/>.</summary>
    public static async Task<bool> AnsweredByAsync(int port, params string[] names) =>
        (await Eventually.TryUntil(() => AnsweredNowAsync(port, names), answered => answered, TimeSpan.FromSeconds(15))).Met;

    /// <summary>Whether one request through <paramref name="port"/>, now, is answered by one of <paramref name="names"/>.</summary>
    public static async Task<bool> AnsweredNowAsync(int port, params string[] names)
    {
        try
        {
            return (await CountAsync(port, 1)).Keys.Any(names.Contains);
        }
        catch (Exception e) when (NotServing(e))
        {
            // Not listening yet.
            return false;
        }
    }

    /// <summary>
    /// What a request meets while nothing serves the port, or the process serving it dies: a
    /// refused or reset connection, usually wrapped in HttpRequestException, but a reset between
    /// connect and the first read surfaces as a bare SocketException.
    /// </summary>
    public static bool NotServing(Exception e) => e is HttpRequestException or SocketException or IOException;

    public static bool IsListening(int port)
    {
        try
        {
            using var socket = new TcpClient();
            socket.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static HttpClient NewClient() =>
        new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero, ConnectTimeout = TimeSpan.FromSeconds(2) })
        {
            Timeout = TimeSpan.FromSeconds(5),
            DefaultRequestHeaders = { ConnectionClose = true },
        };
}
