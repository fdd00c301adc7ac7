using System.Collections;
using System.Text.Json.Nodes;
using Lbaas.Api.Data;
using Lbaas.Api.Http;
using Lbaas.Api.Reconciliation;

namespace Lbaas.Api.Idempotency;

/// <summary>
/// <c>Idempotency-Key</c> on every write. A key already answered replays that answer (same body and
/// write-changing query) or is 422 (anything else). Otherwise the key rides along to
/// <see cref="WriteCommit"/>, which takes it in the write's transaction, so even a retry after
/// "commit outcome unknown" applies the change at most once; the final 2xx answer (status,
/// Location, ETag, body) is recorded afterwards. Failures are never recorded.
/// </summary>
public sealed class IdempotencyFilter(IdempotencyStore store, ILogger<IdempotencyFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var key = http.Request.Headers[IdempotencyStore.Header].ToString();
        // A dry run commits nothing, so it has nothing to replay.
        if (key.Length == 0 || HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || DryRun.Requested(http.Request))
        {
            return await next(context);
        }
        if (key.Length > IdempotencyStore.MaxKeyLength || key.Any(c => c is < '!' or > '~'))
        {
            return Problems.Invalid(IdempotencyStore.Header, $"{IdempotencyStore.Header} must be 1-{IdempotencyStore.MaxKeyLength} visible ASCII characters.");
        }
        var claim = store.ClaimFor(http.Request, key, context.Arguments.Where(IsBody));
        var ct = http.RequestAborted;
        if (await store.FindAsync(claim, ct) is { } answered)
        {
            return Replay(answered, claim);
        }
        var outcome = WriteOutcome.Of(http);
        outcome.Claim = claim;
        object? result;
        try
        {
            result = await next(context);
        }
        catch (IdempotencyKeyTakenException)
        {
            return await ReplayTwinAsync(claim, ct) ?? throw new InvalidOperationException($"Idempotency key '{key}' was taken but has no record.");
        }
        var answer = WriteAnswer.Of(result, http.Response);
        if (answer is not { IsSuccess: true })
        {
            // A twin that committed first can make this attempt fail (a 409 on its name): its answer is the one.
            return outcome.State == WriteState.NotCommitted ? await ReplayTwinAsync(claim, ct) ?? result : result;
        }
        if (outcome.State == WriteState.Committed)
        {
            try
            {
                await store.RecordAsync(claim, answer, CancellationToken.None);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Best effort: whatever fails here, the write is stored and its answer is known.
                // The write's own answer still goes out; a replay then gets the 202 taken with the write.
                logger.LogWarning(e, "Could not record the answer for idempotency key {Key} on {Scope}", key, claim.Scope);
            }
        }
        return result;
    }

    private async Task<object?> ReplayTwinAsync(IdempotencyClaim claim, CancellationToken ct) =>
        await store.FindAsync(claim, ct) is { } twin ? Replay(twin, claim) : null;

    private static object Replay(IdempotencyRecord record, IdempotencyClaim claim) =>
        record.RequestHash == claim.RequestHash ? new ReplayedAnswer(record) : Problems.IdempotencyMismatch();

    /// <summary>The handler arguments bound from the body: request records, pools and merge patches.</summary>
    private static bool IsBody(object? argument) =>
        argument is JsonNode or IList
        || (argument?.GetType() is { } type && type.Namespace?.StartsWith("Lbaas.Api", StringComparison.Ordinal) == true
            && type.Name.EndsWith("Request", StringComparison.Ordinal));
}
