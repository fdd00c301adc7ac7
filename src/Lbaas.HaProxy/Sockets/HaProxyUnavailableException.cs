namespace Lbaas.HaProxy.Sockets;

/// <summary>
/// The socket refused the connection or does not exist (yet): nothing was sent, so trying again
/// is always safe. This is what the master socket does while the master re-executes on reload.
/// </summary>
public sealed class HaProxyUnavailableException : IOException
{
    public HaProxyUnavailableException()
    {
    }

    public HaProxyUnavailableException(string message)
        : base(message)
    {
    }

    public HaProxyUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
