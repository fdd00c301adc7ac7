using System.Text.Json;
using System.Text.RegularExpressions;
using Lbaas.Api.Data;
using Lbaas.Api.Idempotency;
using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace Lbaas.Api.Http;

/// <summary>
/// Turns what goes wrong before or beneath a handler into problem+json: unreadable bodies become
/// 400 keyed by the JSON field, wrong content types 415, oversized bodies 413, and an unreachable
/// database 503. A write tells the truth about its commit (<see cref="WriteOutcome"/>): a failure
/// after COMMIT is 202 with the resource as written (normally answered by <see cref="WriteRetryFilter"/>),
/// a connection lost during COMMIT is 503 "outcome unknown", and only a failure before it says
/// that nothing was changed. Anything else is a bug and
/// stays a 500 logged by the framework.
/// </summary>
internal sealed partial class BadRequestExceptionHandler(IProblemDetailsService problems, ILogger<BadRequestExceptionHandler> logger) : IExceptionHandler
{
    [GeneratedRegex("The JSON property '(?<name>[^']*)' could not be mapped", RegexOptions.CultureInvariant)]
    private static partial Regex UnmappedProperty();

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        var outcome = WriteOutcome.Of(context);
        if (outcome is { State: WriteState.Committed, Written: var (location, body, _) })
        {
            // WriteRetryFilter answers a committed write that failed; this catches what fails outside
            // it. The truth is still "accepted, pending", without the ETag: the middleware strips it.
            logger.LogWarning(exception, "Write to {Path} committed, but completing it failed; answering 202", context.Request.Path);
            await TypedResults.Accepted(location, body).ExecuteAsync(context);
            return true;
        }
        var (status, title, detail, errors) = exception switch
        {
            BadHttpRequestException { InnerException: JsonException json } => Json(json),
            BadHttpRequestException { StatusCode: StatusCodes.Status400BadRequest } bad when bad.Message.Contains("no body was provided", StringComparison.Ordinal) =>
                (StatusCodes.Status400BadRequest, "Invalid request body", "A JSON body is required.", new() { ["body"] = ["A JSON body is required."] }),
            BadHttpRequestException bad => (bad.StatusCode, Title(bad.StatusCode), bad.Message, null),
            JsonException json => Json(json),
            _ when outcome.State == WriteState.Unknown => CommitOutcomeUnknown(context),
            _ when DbErrors.IsContention(exception) =>
                (StatusCodes.Status503ServiceUnavailable, "Write conflict",
                    "The write kept colliding with concurrent writes to the same rows (deadlock or serialization failure) and was rolled back each time; nothing was changed. Retry.", null),
            _ when DbErrors.IsUnavailable(exception) =>
                (StatusCodes.Status503ServiceUnavailable, "Database unavailable", "The database cannot be reached; nothing was changed. Retry later.", null),
            _ => (0, "", "", (Dictionary<string, string[]>?)null),
        };
        if (status == 0)
        {
            return false;
        }
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            logger.LogWarning(exception, "{Title} while serving {Path}", title, context.Request.Path);
            context.Response.Headers.RetryAfter = "5";
        }
        context.Response.StatusCode = status;
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = title, Detail = detail };
        if (errors is not null)
        {
            problem.Extensions["errors"] = errors;
        }
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    private static (int, string, string, Dictionary<string, string[]>?) Json(JsonException json)
    {
        var unmapped = UnmappedProperty().Match(json.Message);
        var field = unmapped.Success ? Join(json.Path, unmapped.Groups["name"].Value) : FieldOf(json.Path);
        var message = unmapped.Success
            ? Unknown(unmapped.Groups["name"].Value)
            : json.Message.StartsWith("Duplicate propert", StringComparison.Ordinal)
                ? StrictJsonNodeConverter.DuplicateMessage(field.Split('.')[^1])
            : json.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal)
                ? (field == "body" ? "The body must be a JSON object of the documented shape." : $"{field} has the wrong JSON type or format.")
                : json.Message.Split(" Path:", 2)[0];
        return (StatusCodes.Status400BadRequest, "Invalid request body", message, new() { [field] = [message] });
    }

    private static (int, string, string, Dictionary<string, string[]>?) CommitOutcomeUnknown(HttpContext context) =>
        (StatusCodes.Status503ServiceUnavailable, "Commit outcome unknown",
            "The connection to the database was lost while committing: the change may or may not have been stored. " +
            (context.Request.Headers.ContainsKey(IdempotencyStore.Header)
                ? $"Retrying with the same {IdempotencyStore.Header} is safe: the change is applied at most once."
                : $"Read the resource before retrying; send an {IdempotencyStore.Header} header to make such retries safe."),
            null);

    /// <summary>Names match exactly: "Name" is a typo of "name", not the same field.</summary>
    private static string Unknown(string name) =>
        name.Any(char.IsUpper)
            ? $"'{name}' is not a known field; field names are snake_case and case-sensitive."
            : $"'{name}' is not a known field.";

    /// <summary>"$.health_check.path" becomes "health_check.path"; the root becomes "body".</summary>
    private static string FieldOf(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "body" : path.TrimStart('$').TrimStart('.');

    private static string Join(string? path, string name)
    {
        var parent = FieldOf(path);
        return parent == "body" || parent.EndsWith(name, StringComparison.Ordinal) ? (parent == "body" ? name : parent) : $"{parent}.{name}";
    }

    private static string Title(int status) => status switch
    {
        StatusCodes.Status413PayloadTooLarge => "Request body too large",
        StatusCodes.Status415UnsupportedMediaType => "Unsupported media type",
        _ => "Bad request",
    };
}
