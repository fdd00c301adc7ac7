using System.ComponentModel.DataAnnotations;

namespace Lbaas.Api.Monitoring;

/// <summary>How HAProxy is watched; the <c>Monitoring</c> configuration section. It runs where <c>Apply:Enabled</c> is true.</summary>
public sealed class MonitoringOptions
{
    public const string Section = "Monitoring";

    /// <summary>How often <c>show info</c> and <c>show stat</c> are read (LBAAS_SCRAPE_INTERVAL).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan ScrapeInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often while a request waits for health (<c>?wait_for=online</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:00:10")]
    public TimeSpan WaitScrapeInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Longest <c>?wait_for=online</c> waits for a load balancer to be ONLINE before answering 202.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan OnlineWait { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long status transitions are kept.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00")]
    public TimeSpan TransitionRetention { get; set; } = TimeSpan.FromDays(7);
}
