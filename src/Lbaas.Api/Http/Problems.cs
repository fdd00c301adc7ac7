using Microsoft.AspNetCore.Http.HttpResults;

namespace Lbaas.Api.Http;

/// <summary>The few problem shapes the API answers with, so every handler says them the same way.</summary>
public static class Problems
{
    public static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    public static ValidationProblem Invalid(ValidationErrors errors) =>
        TypedResults.ValidationProblem(errors.ToDictionary());

    public static ProblemHttpResult NotFound(string what, long id) =>
        TypedResults.Problem($"{what} {id} does not exist.", statusCode: StatusCodes.Status404NotFound, title: "Not found");

    public static ProblemHttpResult Conflict(string field, string detail, long? existingId = null)
    {
        var extensions = new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [field] = [detail] } };
        if (existingId is not null)
        {
            extensions["existing_id"] = existingId;
        }
        return TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict", extensions: extensions);
    }

    public static ProblemHttpResult PreconditionFailed() =>
        TypedResults.Problem("If-Match does not match the current ETag: the resource changed since it was read. GET it again and retry.",
            statusCode: StatusCodes.Status412PreconditionFailed, title: "Precondition failed");

    public static ProblemHttpResult IdempotencyMismatch() =>
        TypedResults.Problem("This Idempotency-Key was already used with a different request (body or query parameters such as drain_timeout).",
            statusCode: StatusCodes.Status422UnprocessableEntity, title: "Idempotency key reused");
}
