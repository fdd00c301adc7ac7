namespace Lbaas.HaProxy.Rendering;

/// <summary>
/// A value in the model that must not reach haproxy.cfg. The API validates every user value
/// before storing it, so this means a bug or a bypassed rule: the renderer refuses rather than
/// write a line HAProxy could read differently.
/// </summary>
public sealed class ConfigValueException : Exception
{
    public ConfigValueException()
    {
    }

    public ConfigValueException(string message)
        : base(message)
    {
    }

    public ConfigValueException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ConfigValueException(string field, string reason)
        : base($"{field}: {reason}")
    {
        Field = field;
    }

    /// <summary>Where the value sits in the model, e.g. <c>load_balancers[lb_42].servers[b_7].host</c>.</summary>
    public string? Field { get; }
}
