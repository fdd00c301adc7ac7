namespace Lbaas.HaProxy.Sockets;

/// <summary>
/// HAProxy dropped the connection after the command was sent (reset or broken pipe), so it may
/// or may not have run. The master does this to connections it accepted in its first tens of
/// milliseconds and across a re-exec. Only a command that is harmless to repeat is retried.
/// </summary>
public sealed class HaProxyConnectionLostException : IOException
{
    public HaProxyConnectionLostException()
    {
    }

    public HaProxyConnectionLostException(string message)
        : base(message)
    {
    }

    public HaProxyConnectionLostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
