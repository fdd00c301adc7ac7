using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Lbaas.Api.Data;

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
