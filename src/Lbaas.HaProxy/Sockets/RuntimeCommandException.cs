namespace Lbaas.HaProxy.Sockets;

/// <summary>One or more runtime commands were refused; the message quotes HAProxy's replies.</summary>
public sealed class RuntimeCommandException : Exception
{
    public RuntimeCommandException()
    {
    }

    public RuntimeCommandException(string message)
        : base(message)
    {
    }

    public RuntimeCommandException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public RuntimeCommandException(IReadOnlyList<RuntimeReply> failures)
        : base(string.Join("; ", failures.Select(f => $"'{f.Command}': {f.Text}")))
    {
        Failures = failures;
    }

    public IReadOnlyList<RuntimeReply> Failures { get; } = [];
}
