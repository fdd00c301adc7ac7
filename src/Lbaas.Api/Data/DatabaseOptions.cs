using System.ComponentModel.DataAnnotations;

namespace Lbaas.Api.Data;

/// <summary>
/// How many connections one API process may hold and how long a request waits for one. PostgreSQL
/// refuses connections beyond <c>max_connections</c> (100 by default, 3 kept for superusers) with
/// 53300; a pool bounded below that makes a burst queue for a connection instead of failing.
/// </summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>
    /// Npgsql's <c>Maximum Pool Size</c>. 30 leaves room under PostgreSQL's default 100 for two
    /// more replicas, the <c>migrate</c> step and an operator's psql. Background services share it.
    /// </summary>
    [Range(2, 1000)]
    public int MaxPoolSize { get; set; } = 30;

    /// <summary>Npgsql's <c>Timeout</c>: how long opening a connection, including waiting for a free one in the pool, may take.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:17:00")]
    public TimeSpan ConnectionWait { get; set; } = TimeSpan.FromSeconds(15);
}
