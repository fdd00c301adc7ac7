namespace Lbaas.Api.Monitoring;

/// <summary>
/// A backend's health as last recorded from HAProxy, kept in a table of its own (<c>backend_statuses</c>)
/// so that the scraper never changes the backend's row or ETag. Absent until the first scrape that sees the backend.
/// </summary>
public sealed class BackendHealth
{
    public BackendOperatingStatus OperatingStatus { get; set; }

    /// <summary>Why, in a form a person can act on: the check's result, e.g. "L4CON connection refused".</summary>
    public string Reason { get; set; } = "";

    /// <summary>When the backend entered <see cref="OperatingStatus"/>.</summary>
    public DateTimeOffset Since { get; set; }
}
