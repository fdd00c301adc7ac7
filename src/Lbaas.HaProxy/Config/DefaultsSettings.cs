namespace Lbaas.HaProxy.Config;

/// <summary>
/// The <c>defaults</c> section. <c>option redispatch</c> and <c>load-server-state-from-file
/// global</c> are not settings: the reload path depends on them, so the templates always render them.
/// </summary>
public sealed record DefaultsSettings
{
    public int ConnectTimeoutMs { get; init; } = 5_000;
    public int ClientTimeoutMs { get; init; } = 50_000;
    public int ServerTimeoutMs { get; init; } = 50_000;

    /// <summary>Bounds a slow request header (slowloris); only applies to http frontends.</summary>
    public int HttpRequestTimeoutMs { get; init; } = 10_000;

    /// <summary>How long a request may wait for a free server slot.</summary>
    public int QueueTimeoutMs { get; init; } = 30_000;

    /// <summary>Connection attempts to a server before giving up (or redispatching).</summary>
    public int Retries { get; init; } = 3;

    /// <summary>
    /// <c>option idle-close-on-response</c>: on a reload, the old worker closes idle keep-alive
    /// connections after their current response instead of cutting them (190 failed requests in 20
    /// reloads measured without it, 0 with it). Only for http frontends.
    /// </summary>
    public bool IdleCloseOnResponse { get; init; } = true;
}
