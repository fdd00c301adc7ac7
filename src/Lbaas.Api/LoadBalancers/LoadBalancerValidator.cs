using System.Net;
using Lbaas.Api.Backends;
using Lbaas.Api.Http;
using Lbaas.HaProxy.Values;

namespace Lbaas.Api.LoadBalancers;

/// <summary>A request that passed validation, with every default applied.</summary>
public sealed record ValidLoadBalancer(
    string Name,
    string? Description,
    Protocol Protocol,
    int? FrontendPort,
    string BindAddress,
    Algorithm Algorithm,
    HealthCheck HealthCheck,
    Timeouts Timeouts,
    int? MaxConnections,
    Dictionary<string, string> Labels,
    int? SlowStartMs,
    IReadOnlyList<ValidBackend>? Backends);

/// <summary>Checks a <see cref="LoadBalancerRequest"/> field by field; never throws on user input.</summary>
public static class LoadBalancerValidator
{
    public const int MaxDescriptionLength = 1024;
    public const int MaxLabels = 64;
    public const int MaxLabelValueLength = 255;
    private static readonly string[] CheckMethods = ["GET", "HEAD", "OPTIONS"];
    private static readonly TimeSpan MaxDuration = TimeSpan.FromHours(24);

    public static ValidLoadBalancer? Validate(LoadBalancerRequest request, string defaultBindAddress, ValidationErrors errors)
    {
        if (request.Name is null)
        {
            errors.Add("name", "name is required.");
        }
        else if (!ConfigValueRules.IsResourceName(request.Name))
        {
            errors.Add("name", "name must match ^[a-z0-9][a-z0-9._-]{0,62}$ (lower-case letters, digits, '.', '_' and '-', at most 63).");
        }
        if (request.Description is { } description && (description.Length > MaxDescriptionLength || description.Any(char.IsControl)))
        {
            errors.Add("description", $"description must be at most {MaxDescriptionLength} characters without control characters.");
        }
        if (!ConfigValueRules.Port.Contains(request.FrontendPort))
        {
            errors.Add("frontend_port", ConfigValueRules.Port.Problem("frontend_port"));
        }
        var bindAddress = request.BindAddress ?? defaultBindAddress;
        if (!ConfigValueRules.IsIpLiteral(bindAddress))
        {
            errors.Add("bind_address", "bind_address must be an IPv4 or IPv6 address literal.");
        }
        if (!ConfigValueRules.LoadBalancerConnections.Contains(request.MaxConnections))
        {
            errors.Add("max_connections", ConfigValueRules.LoadBalancerConnections.Problem("max_connections"));
        }
        var protocol = request.Protocol ?? Protocol.Http;
        var healthCheck = ValidateHealthCheck(request.HealthCheck ?? new(), protocol, errors);
        var timeouts = ValidateTimeouts(request.Timeouts ?? new(), errors);
        ValidateLabels(request.Labels, errors);
        var slowStart = request.SlowStart is null ? (int?)null : Milliseconds(request.SlowStart, 0, "slow_start", errors);
        var backends = request.Backends is null ? null : BackendValidator.ValidateSet(request.Backends, "backends", errors);

        return errors.IsEmpty
            ? new ValidLoadBalancer(
                request.Name!,
                request.Description,
                protocol,
                request.FrontendPort,
                Canonical(bindAddress),
                request.Algorithm ?? Algorithm.RoundRobin,
                healthCheck,
                timeouts,
                request.MaxConnections,
                request.Labels ?? [],
                slowStart,
                backends)
            : null;
    }

    private static HealthCheck ValidateHealthCheck(HealthCheckSpec spec, Protocol protocol, ValidationErrors errors)
    {
        var defaults = new HealthCheck();
        var type = spec.Type ?? (protocol == Protocol.Http ? HealthCheckType.Http : HealthCheckType.Tcp);
        var method = spec.Method ?? defaults.Method;
        if (!CheckMethods.Contains(method, StringComparer.Ordinal))
        {
            errors.Add("health_check.method", "health_check.method must be one of: GET, HEAD, OPTIONS.");
        }
        var path = spec.Path ?? defaults.Path;
        if (!ConfigValueRules.IsHttpPath(path))
        {
            errors.Add("health_check.path", "health_check.path must start with '/' and contain only visible ASCII without spaces, quotes, backslash, '#' or '%' (at most 1024 characters).");
        }
        var expected = spec.ExpectedStatus ?? defaults.ExpectedStatus;
        if (!ConfigValueRules.IsStatusList(expected))
        {
            errors.Add("health_check.expected_status", "health_check.expected_status must be status codes 100-599 or ranges, comma separated, like \"200-399\" or \"200,204\".");
        }
        if (!ConfigValueRules.CheckCount.Contains(spec.Rise))
        {
            errors.Add("health_check.rise", ConfigValueRules.CheckCount.Problem("health_check.rise"));
        }
        if (!ConfigValueRules.CheckCount.Contains(spec.Fall))
        {
            errors.Add("health_check.fall", ConfigValueRules.CheckCount.Problem("health_check.fall"));
        }
        return new HealthCheck
        {
            Enabled = spec.Enabled ?? defaults.Enabled,
            Type = type,
            Method = method,
            Path = path,
            ExpectedStatus = expected,
            IntervalMs = Milliseconds(spec.Interval, defaults.IntervalMs, "health_check.interval", errors),
            TimeoutMs = Milliseconds(spec.Timeout, defaults.TimeoutMs, "health_check.timeout", errors),
            Rise = spec.Rise ?? defaults.Rise,
            Fall = spec.Fall ?? defaults.Fall,
        };
    }

    private static Timeouts ValidateTimeouts(TimeoutsSpec spec, ValidationErrors errors)
    {
        var defaults = new Timeouts();
        return new Timeouts
        {
            ConnectMs = Milliseconds(spec.Connect, defaults.ConnectMs, "timeouts.connect", errors),
            ClientMs = Milliseconds(spec.Client, defaults.ClientMs, "timeouts.client", errors),
            ServerMs = Milliseconds(spec.Server, defaults.ServerMs, "timeouts.server", errors),
        };
    }

    private static int Milliseconds(string? value, int fallback, string field, ValidationErrors errors)
    {
        if (value is null)
        {
            return fallback;
        }
        if (ConfigValueRules.TryParseDuration(value, out var duration) && duration > TimeSpan.Zero && duration <= MaxDuration)
        {
            return (int)duration.TotalMilliseconds;
        }
        errors.Add(field, $"{field} must be a duration from 1ms to 24h, like \"500ms\", \"5s\", \"2m\" or \"1h\".");
        return fallback;
    }

    private static void ValidateLabels(Dictionary<string, string>? labels, ValidationErrors errors)
    {
        if (labels is null)
        {
            return;
        }
        if (labels.Count > MaxLabels)
        {
            errors.Add("labels", $"labels may have at most {MaxLabels} entries.");
        }
        foreach (var (key, value) in labels)
        {
            if (!LabelRules.IsKey(key))
            {
                errors.Add($"labels.{key}", LabelRules.KeyMessage);
            }
            else if (value is null || value.Length > MaxLabelValueLength || value.Any(char.IsControl))
            {
                errors.Add($"labels.{key}", $"label values must be strings of at most {MaxLabelValueLength} characters without control characters.");
            }
        }
    }

    private static string Canonical(string address) =>
        IPAddress.TryParse(address, out var ip) ? ip.ToString() : address;
}
