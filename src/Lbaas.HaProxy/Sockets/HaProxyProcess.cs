namespace Lbaas.HaProxy.Sockets;

/// <summary>One line of <c>show proc</c>.</summary>
public sealed record HaProxyProcess
{
    public required int Pid { get; init; }

    /// <summary><c>master</c>, <c>worker</c>, or a program's name.</summary>
    public required string Type { get; init; }

    /// <summary>For the master, reloads since start; for a worker, reloads it has lived through.</summary>
    public required int Reloads { get; init; }

    public required TimeSpan Uptime { get; init; }
    public string Version { get; init; } = "";
}
