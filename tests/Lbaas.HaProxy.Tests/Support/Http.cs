namespace Lbaas.HaProxy.Tests.Support;

internal static class Http
{
    private static readonly HttpClient Client = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(30) })
    {
        Timeout = TimeSpan.FromSeconds(5),
    };

    /// <summary>GETs a path on a loopback port and returns the body (the answering backend's name).</summary>
    public static async Task<string> GetAsync(int port, string path = "/")
    {
        using var response = await Client.GetAsync(new Uri($"http://127.0.0.1:{port}{path}"));
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Retries (bounded) until the port answers 200, for the few ms a new worker needs after a reload.</summary>
    public static async Task<string> GetWhenReadyAsync(int port, string path = "/")
    {
        var (body, _) = await Eventually.Until(() => TryGetAsync(port, path), answer => answer.Body is not null, $"127.0.0.1:{port}{path} to answer 200", TimeSpan.FromSeconds(10));
        return body!;
    }

    private static async Task<(string? Body, string? Error)> TryGetAsync(int port, string path)
    {
        try
        {
            return (await GetAsync(port, path), null);
        }
        catch (HttpRequestException e)
        {
            return (null, e.Message);
        }
    }
}
