namespace Lbaas.HaProxy.Stats;

/// <summary>What a <c>show stat</c> row describes (its <c>type</c> column).</summary>
public enum StatType
{
    Frontend = 0,
    Backend = 1,
    Server = 2,
    Listener = 3,
}

/// <summary>
/// One row of <c>show stat</c>. Counters are null where HAProxy leaves the column empty (a
/// frontend has no weight, a server no request rate...). Times are in milliseconds, averaged over
/// the last 1024 requests; <c>LastChange</c> is in seconds.
/// </summary>
public sealed record StatRow
{
    public required string ProxyName { get; init; }
    public required string ServiceName { get; init; }
    public StatType Type { get; init; }

    /// <summary>UP, DOWN, DRAIN, MAINT, NOLB, OPEN, "UP 1/3" while rising, "no check"...</summary>
    public string Status { get; init; } = "";

    public long? Weight { get; init; }
    public long? CurrentQueue { get; init; }
    public long? CurrentSessions { get; init; }
    public long? MaxSessions { get; init; }
    public long? TotalSessions { get; init; }
    public long? BytesIn { get; init; }
    public long? BytesOut { get; init; }
    public long? SessionLimit { get; init; }
    public long? SessionRate { get; init; }
    public long? RequestRate { get; init; }
    public long? ConnectionsTotal { get; init; }
    public long? LbSelections { get; init; }
    public long? DeniedRequests { get; init; }
    public long? DeniedResponses { get; init; }
    public long? RequestErrors { get; init; }
    public long? ConnectionErrors { get; init; }
    public long? ResponseErrors { get; init; }
    public long? Retries { get; init; }
    public long? Redispatches { get; init; }
    public long? ClientAborts { get; init; }
    public long? ServerAborts { get; init; }
    public long? Active { get; init; }
    public long? Backup { get; init; }
    public long? CheckFailures { get; init; }
    public long? CheckDowns { get; init; }
    public long? LastChangeSeconds { get; init; }
    public long? DowntimeSeconds { get; init; }
    public long? Http1xx { get; init; }
    public long? Http2xx { get; init; }
    public long? Http3xx { get; init; }
    public long? Http4xx { get; init; }
    public long? Http5xx { get; init; }
    public long? HttpOther { get; init; }
    public long? RequestsTotal { get; init; }

    /// <summary>L4OK, L7OK, L4CON, L7STS... with "* " while a check is running.</summary>
    public string CheckStatus { get; init; } = "";

    /// <summary>The last check's status without the "* " of a check under way; "INI" or empty before the first.</summary>
    public string LastCheckStatus => CheckStatus.StartsWith("* ", StringComparison.Ordinal) ? CheckStatus[2..] : CheckStatus;

    /// <summary>The last check passed (L4OK, L6OK, L7OK or L7OKC).</summary>
    public bool LastCheckPassed => LastCheckStatus is "L4OK" or "L6OK" or "L7OK" or "L7OKC";

    public long? CheckCode { get; init; }

    /// <summary>HAProxy's words for the check status, e.g. "Layer4 connection problem".</summary>
    public string CheckDescription { get; init; } = "";
    public long? CheckDurationMs { get; init; }

    /// <summary>The last check's output, e.g. "File not found".</summary>
    public string LastCheck { get; init; } = "";

    public long? QueueTimeMs { get; init; }
    public long? ConnectTimeMs { get; init; }
    public long? ResponseTimeMs { get; init; }
    public long? TotalTimeMs { get; init; }

    /// <summary>A server's <c>host:port</c>.</summary>
    public string Address { get; init; } = "";

    public string Mode { get; init; } = "";
    public string Algorithm { get; init; } = "";
}
