using Lbaas.Api.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Lbaas.Api.Revisions;

/// <summary>
/// <c>X-Lbaas-Actor</c>: who a client says it acts for (a person, a pipeline), kept with every
/// revision it causes. Not authentication: it is recorded as given, once it is shown to be harmless text.
/// </summary>
public static class ActorHeader
{
    public const string Name = "X-Lbaas-Actor";
    public const int MaxLength = 256;

    /// <summary>Null when the header is valid (or absent), else the problem naming it.</summary>
    public static ValidationProblem? Check(HttpRequest request)
    {
        var values = request.Headers[Name];
        return values.Count > 1 || values.Count == 1 && !IsValid(values[0])
            ? Problems.Invalid(Name, $"{Name} must be sent once, with at most {MaxLength} characters and no control characters.")
            : null;
    }

    /// <summary>The actor, or null when the request names none. Requests reach handlers only after <see cref="Check"/>.</summary>
    public static string? Read(HttpRequest request)
    {
        if (Check(request) is not null)
        {
            throw new InvalidOperationException($"{Name} was not validated: the endpoint lacks {nameof(ActorHeaderFilter)}.");
        }
        return request.Headers[Name].ToString() is { Length: > 0 } actor ? actor : null;
    }

    private static bool IsValid(string? value) => value is null || value.Length <= MaxLength && !value.Any(char.IsControl);
}
