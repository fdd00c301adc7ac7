using System.ComponentModel.DataAnnotations;

namespace Lbaas.Api.Revisions;

/// <summary>How much history is kept; the <c>Revisions</c> configuration section.</summary>
public sealed class RevisionOptions
{
    public const string Section = "Revisions";

    /// <summary>Revisions kept per load balancer; recording one more prunes the oldest.</summary>
    [Range(1, 100_000)]
    public int Keep { get; set; } = 100;
}
