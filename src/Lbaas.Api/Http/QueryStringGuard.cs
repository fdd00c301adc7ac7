namespace Lbaas.Api.Http;

/// <summary>
/// Checks the query string before any handler or database runs: a control character (C0, DEL, C1)
/// in a name or value, a parameter the endpoint does not read, a repeated one, or a value outside
/// its allowed list is a 400 naming the parameter. Requests that matched no endpoint (Swagger UI,
/// 404s) get only the control character check.
/// </summary>
public sealed class QueryStringGuard(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var errors = Check(context.Request.Query, context.GetEndpoint()?.Metadata.GetOrderedMetadata<QueryParameters>());
        return errors.IsEmpty ? next(context) : Problems.Invalid(errors).ExecuteAsync(context);
    }

    /// <param name="query">The parsed query string.</param>
    /// <param name="declared">What the endpoint accepts; null when no endpoint matched (nothing is known to be unknown).</param>
    public static ValidationErrors Check(IQueryCollection query, IReadOnlyList<QueryParameters>? declared)
    {
        var errors = new ValidationErrors();
        var accepted = declared?.SelectMany(d => d.Accepted).GroupBy(p => p.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var (name, values) in query)
        {
            var shown = Show(name);
            if (name.Any(char.IsControl) || values.Any(v => v?.Any(char.IsControl) == true))
            {
                errors.Add(shown, $"{shown} contains a control character; query parameter names and values must not.");
            }
            else if (accepted is null)
            {
                continue;
            }
            else if (!accepted.TryGetValue(name, out var parameter))
            {
                errors.Add(shown, accepted.Count == 0
                    ? $"'{shown}' is not a parameter of this endpoint; it takes no query parameters."
                    : $"'{shown}' is not a parameter of this endpoint; it accepts {string.Join(", ", accepted.Keys.Order(StringComparer.Ordinal))}.");
            }
            else if (values.Count > 1 && !parameter.Repeatable)
            {
                errors.Add(shown, $"{shown} may be given only once.");
            }
            else if (parameter.Values is { } allowed && !allowed.Contains(values.ToString(), StringComparer.OrdinalIgnoreCase))
            {
                errors.Add(shown, $"{shown} must be {string.Join(" or ", allowed)}.");
            }
        }
        return errors;
    }

    /// <summary>The name as it can be shown and used as a key: control characters escaped, length bounded.</summary>
    private static string Show(string name)
    {
        var escaped = string.Concat(name.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
        return escaped.Length <= 64 ? escaped : escaped[..64] + "…";
    }
}
