namespace Lbaas.HaProxy.Config;

/// <summary>
/// One <c>log</c> target, e.g. <c>log stdout format raw local0 info</c>.
/// </summary>
public sealed record LogSettings
{
    /// <summary><c>stdout</c>, <c>stderr</c>, an absolute unix socket path such as <c>/dev/log</c>, or <c>ip:port</c>.</summary>
    public string Target { get; init; } = "stdout";

    /// <summary>HAProxy's log format: <c>raw</c>, <c>rfc3164</c>, <c>rfc5424</c>, <c>short</c> …; null keeps HAProxy's default.</summary>
    public string? Format { get; init; } = "raw";

    public string Facility { get; init; } = "local0";

    /// <summary>Maximum level sent; null sends every level.</summary>
    public string? Level { get; init; } = "info";
}
