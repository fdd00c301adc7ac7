using Lbaas.Api.Idempotency;

namespace Lbaas.Api.Data;

/// <summary>
/// What a write that throws answers, by how far it got (<see cref="WriteOutcome"/>). Rolled back
/// by PostgreSQL as a deadlock victim (40P01) or on a serialization failure (40001): nothing was
/// committed, so it runs again from the newest state (bounded; the last failure goes to the
/// exception handler: 503 "Write conflict", nothing changed). Failed after its COMMIT (waiting for
/// HAProxy, reading the result): 202 with the resource as written and its ETag, answered here
/// because the exception handler may not send an ETag.
/// </summary>
public sealed class WriteRetryFilter(LbaasDb db, TimeProvider time, ILogger<WriteRetryFilter> logger) : IEndpointFilter
{
    private const int MaxAttempts = 4;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var outcome = WriteOutcome.Of(context.HttpContext);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await next(context);
            }
            catch (Exception e) when (attempt < MaxAttempts && DbErrors.IsContention(e) && outcome.State == WriteState.NotCommitted)
            {
                db.ChangeTracker.Clear();
                // A little jitter so the two victims of one deadlock do not meet again.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 25 * attempt)), time, context.HttpContext.RequestAborted);
            }
            catch (Exception e) when (outcome is { State: WriteState.Committed, Written: var (location, body, etag) } && e is not OperationCanceledException)
            {
                // Stored, but completing the write failed: the truth is "accepted, pending".
                logger.LogWarning(e, "Write to {Path} committed, but completing it failed; answering 202", context.HttpContext.Request.Path);
                context.HttpContext.Response.Headers.ETag = etag;
                return TypedResults.Accepted(location, body);
            }
        }
    }
}

public static class WriteFilters
{
    /// <summary>Idempotency-Key on every write of the group, and deadlock retries inside it.</summary>
    public static RouteGroupBuilder AddWriteFilters(this RouteGroupBuilder group) =>
        group.AddEndpointFilter<IdempotencyFilter>().AddEndpointFilter<WriteRetryFilter>();
}
