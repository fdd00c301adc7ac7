using Lbaas.Api.Idempotency;
using Npgsql;

namespace Lbaas.Api.Data;

/// <summary>
/// Runs a write again when PostgreSQL rolled it back as a deadlock victim (40P01) or on a
/// serialization failure (40001): nothing was committed, so the next attempt starts from the
/// newest state. Bounded; the last failure goes to the exception handler (503, nothing changed).
/// </summary>
public sealed class WriteRetryFilter(LbaasDb db, TimeProvider time) : IEndpointFilter
{
    private const int MaxAttempts = 4;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await next(context);
            }
            catch (Exception e) when (attempt < MaxAttempts && IsRetryable(e) && WriteOutcome.Of(context.HttpContext).State == WriteState.NotCommitted)
            {
                db.ChangeTracker.Clear();
                // A little jitter so the two victims of one deadlock do not meet again.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 25 * attempt)), time, context.HttpContext.RequestAborted);
            }
        }
    }

    /// <summary>Deadlock or serialization failure anywhere in the chain (EF wraps them in DbUpdateException).</summary>
    public static bool IsRetryable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure })
            {
                return true;
            }
        }
        return false;
    }
}

public static class WriteFilters
{
    /// <summary>Idempotency-Key on every write of the group, and deadlock retries inside it.</summary>
    public static RouteGroupBuilder AddWriteFilters(this RouteGroupBuilder group) =>
        group.AddEndpointFilter<IdempotencyFilter>().AddEndpointFilter<WriteRetryFilter>();
}
