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

    /// <summary>Retries until the port answers 200, for the few ms a new worker needs after a reload.</summary>
    public static async Task<string> GetWhenReadyAsync(int port, string path = "/")
    {
        Exception? last = null;
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                return await GetAsync(port, path);
            }
            catch (HttpRequestException e)
            {
                last = e;
                await Task.Delay(50);
            }
        }
        throw new TimeoutException($"127.0.0.1:{port}{path} did not answer within 5 s.", last);
    }
}
