using Lbaas.Api.Idempotency;

namespace Lbaas.Api.Data;

/// <summary>Where a write stands with its commit, so an exception can be answered truthfully.</summary>
public enum WriteState
{
    /// <summary>Nothing is committed: a failure changed nothing.</summary>
    NotCommitted,

    /// <summary>The connection was lost during COMMIT: the change may or may not be stored.</summary>
    Unknown,

    /// <summary>The change is stored; what follows (waiting for HAProxy, reading the result) may still fail.</summary>
    Committed,
}

/// <summary>
/// The request's write, as an HttpContext feature set by <see cref="WriteCommit"/>: its state, the
/// resource as written (answered as 202 if anything fails after the commit) and the
/// <c>Idempotency-Key</c> claim the commit takes.
/// </summary>
public sealed class WriteOutcome
{
    public WriteState State { get; private set; }

    /// <summary>Location, body and ETag of the resource as the committed transaction left it.</summary>
    public (string Location, object Body, string ETag)? Written { get; private set; }

    /// <summary>Set by <see cref="IdempotencyFilter"/> when the request carries a key.</summary>
    public IdempotencyClaim? Claim { get; set; }

    public static WriteOutcome Of(HttpContext http)
    {
        if (http.Features.Get<WriteOutcome>() is { } outcome)
        {
            return outcome;
        }
        outcome = new WriteOutcome();
        http.Features.Set(outcome);
        return outcome;
    }

    internal void CommitLost() => State = WriteState.Unknown;

    internal void Committed(string location, object body, string etag)
    {
        State = WriteState.Committed;
        Written = (location, body, etag);
    }
}
