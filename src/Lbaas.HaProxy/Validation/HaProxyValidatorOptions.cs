namespace Lbaas.HaProxy.Validation;

public sealed class HaProxyValidatorOptions
{
    public string BinaryPath { get; set; } = "/usr/sbin/haproxy";

    /// <summary>
    /// <c>haproxy -c</c> takes about 0.1 s for 1,000 backends of 10 servers; DNS names resolved
    /// through libc can take longer. Past this the check is killed and reported invalid.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Where <see cref="HaProxyValidator.ValidateTextAsync"/> puts its private temporary files; null is the system temp directory.</summary>
    public string? WorkDirectory { get; set; }
}
