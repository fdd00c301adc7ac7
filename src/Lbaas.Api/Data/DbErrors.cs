using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Lbaas.Api.Data;

/// <summary>
/// What a database exception means, in one place: <see cref="IsUnavailable"/> (PostgreSQL away or
/// gave up on the statement; nothing was changed, retry later), <see cref="IsConnectionLoss"/>
/// (the answer never arrived: what a COMMIT did is unknown), <see cref="IsContention"/>
/// (concurrent writers collided; retried by <see cref="WriteRetryFilter"/>) and
/// <see cref="IsFromDatabase"/> (anything the database layer threw, for background loops that
/// carry on without it).
/// </summary>
public static class DbErrors
{
    /// <summary>
    /// PostgreSQL cannot be reached or gave up on the statement: a connection failure, timeout,
    /// deadlock or serialization failure anywhere in the chain (EF wraps them in DbUpdateException
    /// or InvalidOperationException). Other SQL errors are bugs, not outages.
    /// </summary>
    public static bool IsUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is NpgsqlException { IsTransient: true } or TimeoutException || IsEndedByBrokenConnection(e))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// The connection was lost before the server's answer arrived: whatever the statement (a
    /// COMMIT included) did is unknown. A PostgresException is the server's answer, so it is not one.
    /// </summary>
    public static bool IsConnectionLoss(Exception e) =>
        e is (NpgsqlException and not PostgresException) or IOException or TimeoutException
        || e is InvalidOperationException { InnerException: NpgsqlException and not PostgresException };

    /// <summary>A deadlock or serialization failure anywhere in the chain: concurrent writers collided and PostgreSQL rolled this one back.</summary>
    public static bool IsContention(Exception exception)
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

    /// <summary>Anything the database layer threw (unavailable, a failed statement, a failed save).</summary>
    public static bool IsFromDatabase(Exception e) =>
        IsUnavailable(e) || e is NpgsqlException or DbUpdateException or InvalidOperationException { InnerException: NpgsqlException };

    /// <summary>
    /// Npgsql's answer to a command on a transaction that a lost connection already ended (the
    /// loss itself surfaced to whoever sent the statement before): the write never committed.
    /// </summary>
    private static bool IsEndedByBrokenConnection(Exception e) =>
        e is InvalidOperationException { Source: "Npgsql" } && e.Message.Contains("Transaction is already completed", StringComparison.Ordinal);

    /// <summary>"database unavailable: " and Npgsql's words for it, for answers served from memory meanwhile.</summary>
    public static string Unavailable(Exception exception)
    {
        var npgsql = exception as NpgsqlException ?? exception.InnerException as NpgsqlException;
        var inner = (npgsql ?? exception).InnerException?.Message;
        return $"database unavailable: {(npgsql ?? exception).Message}{(inner is null ? "" : $" ({inner})")}";
    }

    /// <summary>The name of the unique constraint a failed save broke, or null if it broke none.</summary>
    public static string? UniqueViolation(DbUpdateException exception) =>
        exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg ? pg.ConstraintName : null;
}
