namespace Lbaas.HaProxy.Validation;

/// <summary>
/// What <c>haproxy -c</c> said. <see cref="Message"/> is HAProxy's own words (its [ALERT] lines,
/// or a timeout) so the API can show users exactly why a configuration was refused.
/// </summary>
public sealed record ValidationResult(bool IsValid, int? ExitCode, IReadOnlyList<string> Alerts, IReadOnlyList<string> Warnings, string Output)
{
    /// <summary>The alerts, one per line; empty when the configuration is valid.</summary>
    public string Message => string.Join('\n', Alerts);
}
