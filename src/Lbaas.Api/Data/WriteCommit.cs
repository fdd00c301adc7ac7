using Lbaas.Api.Http;
using Lbaas.Api.Idempotency;
using Microsoft.EntityFrameworkCore.Storage;

namespace Lbaas.Api.Data;

/// <summary>
/// The one place every API write commits through. Before COMMIT it takes the request's
/// <c>Idempotency-Key</c> in the same transaction (a twin that got there first makes this one roll
/// back and replay the twin's answer); a connection lost during COMMIT marks the outcome unknown;
/// after COMMIT the resource as written is kept, so a failure while waiting for HAProxy or reading
/// the result answers 202 with it (and its ETag) instead of claiming that nothing changed.
/// </summary>
public sealed class WriteCommit(IdempotencyStore idempotency, IHttpContextAccessor accessor)
{
    /// <param name="tx">The write's transaction, with everything done but COMMIT.</param>
    /// <param name="location">Where the written resource lives.</param>
    /// <param name="written">The resource as this transaction leaves it (its response shape).</param>
    /// <param name="version">Its row version as this transaction leaves it: the answer's ETag unless the write reads the resource again.</param>
    /// <param name="ct">The request's cancellation; COMMIT itself is not cancelled once sent.</param>
    public async Task CommitAsync(IDbContextTransaction tx, string location, object written, uint version, CancellationToken ct)
    {
        var http = accessor.HttpContext;
        var outcome = http is null ? null : WriteOutcome.Of(http);
        var etag = ETags.Format(version);
        if (outcome?.Claim is { } claim && !await idempotency.ClaimAsync(claim, location, written, etag, ct))
        {
            throw new IdempotencyKeyTakenException(claim.Key);
        }
        try
        {
            // A client going away must not abort a COMMIT half-way: its outcome would be unknown for nothing.
            await tx.CommitAsync(CancellationToken.None);
        }
        catch (Exception e) when (DbErrors.IsConnectionLoss(e))
        {
            outcome?.CommitLost();
            throw;
        }
        outcome?.Committed(location, written, etag);
        if (http is not null)
        {
            http.Response.Headers.ETag = etag;
        }
    }
}
