using Lbaas.Api.Http;
using Lbaas.HaProxy.Values;

namespace Lbaas.Api.Backends;

/// <summary>A backend request that passed validation, with every default applied.</summary>
public sealed record ValidBackend(string? Name, string Host, int Port, int Weight, bool Backup, BackendState State)
{
    public void ApplyTo(Backend backend)
    {
        backend.Name = Name;
        backend.Host = Host;
        backend.Port = Port;
        backend.Weight = Weight;
        backend.Backup = Backup;
        backend.State = State;
        // Asking for a backend that is being removed takes it back.
        backend.RemoveBy = null;
    }
}

public static class BackendValidator
{
    public const int MaxPerRequest = 1000;

    /// <summary>Validates one backend; <paramref name="prefix"/> is prepended to field names (e.g. <c>backends[2].</c>).</summary>
    public static ValidBackend? Validate(BackendRequest request, string prefix, ValidationErrors errors)
    {
        var valid = true;
        if (request.Host is null)
        {
            errors.Add(prefix + "host", "host is required.");
            valid = false;
        }
        else if (!ConfigValueRules.IsHost(request.Host))
        {
            errors.Add(prefix + "host", "host must be an IP address literal or an RFC 1123 host name.");
            valid = false;
        }
        if (request.Port is null)
        {
            errors.Add(prefix + "port", "port is required.");
            valid = false;
        }
        else if (!ConfigValueRules.Port.Contains(request.Port.Value))
        {
            errors.Add(prefix + "port", ConfigValueRules.Port.Problem("port"));
            valid = false;
        }
        if (!ConfigValueRules.Weight.Contains(request.Weight))
        {
            errors.Add(prefix + "weight", ConfigValueRules.Weight.Problem("weight"));
            valid = false;
        }
        if (request.Name is not null && !ConfigValueRules.IsResourceName(request.Name))
        {
            errors.Add(prefix + "name", "name must match ^[a-z0-9][a-z0-9._-]{0,62}$.");
            valid = false;
        }
        return valid
            ? new ValidBackend(request.Name, CanonicalHost(request.Host!), request.Port!.Value, request.Weight ?? 1, request.Backup ?? false, request.State ?? BackendState.Enabled)
            : null;
    }

    /// <summary>One spelling per host, so ::1 and 0:0:0:0:0:0:0:1 are the same backend.</summary>
    private static string CanonicalHost(string host) =>
        ConfigValueRules.IsIpLiteral(host) ? System.Net.IPAddress.Parse(host).ToString() : host.ToLowerInvariant();

    /// <summary>Validates a whole set: each member, and that no host:port or name appears twice.</summary>
    public static IReadOnlyList<ValidBackend>? ValidateSet(IReadOnlyList<BackendRequest?> requests, string field, ValidationErrors errors)
    {
        if (requests.Count > MaxPerRequest)
        {
            errors.Add(field, $"at most {MaxPerRequest} backends per request.");
            return null;
        }
        var result = new List<ValidBackend>(requests.Count);
        var endpoints = new HashSet<(string, int)>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < requests.Count; i++)
        {
            var prefix = $"{field}[{i}].";
            if (requests[i] is not { } request)
            {
                errors.Add($"{field}[{i}]", "a backend must be an object.");
                continue;
            }
            if (Validate(request, prefix, errors) is not { } backend)
            {
                continue;
            }
            if (!endpoints.Add((backend.Host, backend.Port)))
            {
                errors.Add(prefix + "port", $"{backend.Host}:{backend.Port} appears more than once.");
            }
            if (backend.Name is not null && !names.Add(backend.Name))
            {
                errors.Add(prefix + "name", $"name '{backend.Name}' appears more than once.");
            }
            result.Add(backend);
        }
        return result;
    }
}
