namespace Lbaas.HaProxy.Applying;

/// <summary>The HAProxy one <see cref="ConfigApplier"/> drives: its files, sockets and binary.</summary>
public sealed class ConfigApplierOptions
{
    /// <summary>haproxy.cfg, the file the master reads on every reload (and its last-good copy beside it).</summary>
    public string ConfigPath { get; set; } = "";

    /// <summary>The master CLI socket (<c>haproxy -W -S</c>).</summary>
    public string MasterSocketPath { get; set; } = "";

    /// <summary>The worker's admin socket; must be the model's <c>Global.AdminSocketPath</c>.</summary>
    public string AdminSocketPath { get; set; } = "";

    /// <summary>Where server state is dumped before a reload; must be the model's <c>Global.ServerStateFile</c>.</summary>
    public string ServerStateFile { get; set; } = "";

    /// <summary>The haproxy binary run as <c>haproxy -c</c>.</summary>
    public string BinaryPath { get; set; } = "/usr/sbin/haproxy";

    /// <summary>Past this <c>haproxy -c</c> is killed and the configuration counts as invalid.</summary>
    public TimeSpan ValidationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a reload may take to show a new worker before it counts as failed.</summary>
    public TimeSpan ReloadConfirmationTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Connection retries on the master socket. The default rides out about 5 s of a master
    /// re-executing; an apply against a HAProxy that is down takes that long to say so.
    /// </summary>
    public int MasterConnectRetries { get; set; } = 15;

    /// <summary>
    /// Called just before a reload while the old worker still answers, so a statistics reader can
    /// take its last counters (they restart at zero in the new worker). What it returns is held
    /// until the reload is confirmed or has failed, then disposed: whatever it pauses (a reader
    /// that also sends runtime commands) stays out of the reload window, where runtime commands
    /// are lost. Its failures are ignored.
    /// </summary>
    public Func<CancellationToken, Task<IAsyncDisposable?>>? BeforeReload { get; set; }

    /// <summary>An operator's templates directory; null uses the built-in templates. A renderer given to the constructor wins.</summary>
    public string? TemplatesDirectory { get; set; }
}
