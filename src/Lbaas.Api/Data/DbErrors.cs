using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Lbaas.Api.Data;

public static class DbErrors
{
    /// <summary>The name of the unique constraint a failed save broke, or null if it broke none.</summary>
    public static string? UniqueViolation(DbUpdateException exception) =>
        exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg ? pg.ConstraintName : null;
}
