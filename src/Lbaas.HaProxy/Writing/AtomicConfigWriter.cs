namespace Lbaas.HaProxy.Writing;

/// <summary>
/// Owns haproxy.cfg on disk and its last-known-good copy (<c>haproxy.cfg.last-good</c>).
/// The intended flow: validate, <see cref="WriteAsync"/>, reload, and once a new worker is
/// confirmed <see cref="MarkGoodAsync"/>; if the reload fails, <see cref="RestoreLastGoodAsync"/>
/// so the file again matches what HAProxy runs.
/// </summary>
public sealed class AtomicConfigWriter
{
    public const string LastGoodSuffix = ".last-good";

    public AtomicConfigWriter(string configPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(configPath);
        ConfigPath = Path.GetFullPath(configPath);
        LastGoodPath = ConfigPath + LastGoodSuffix;
    }

    public string ConfigPath { get; }

    public string LastGoodPath { get; }

    /// <summary>The live file's text, or null before the first write.</summary>
    public async Task<string?> ReadAsync(CancellationToken cancellationToken = default) =>
        File.Exists(ConfigPath) ? await File.ReadAllTextAsync(ConfigPath, cancellationToken) : null;

    /// <summary>Atomically replaces the live file; the last-good copy is left as it was.</summary>
    public Task WriteAsync(string text, CancellationToken cancellationToken = default) =>
        AtomicFile.WriteAllTextAsync(ConfigPath, text, cancellationToken);

    /// <summary>Records the live file as known good, once HAProxy has been seen running it.</summary>
    public async Task MarkGoodAsync(CancellationToken cancellationToken = default)
    {
        var text = await ReadAsync(cancellationToken)
            ?? throw new FileNotFoundException("There is no configuration to mark as good.", ConfigPath);
        await AtomicFile.WriteAllTextAsync(LastGoodPath, text, cancellationToken);
    }

    /// <summary>Puts the last-good copy back as the live file; false when there is none yet.</summary>
    public async Task<bool> RestoreLastGoodAsync(CancellationToken cancellationToken = default)
    {
        if (!File.Exists(LastGoodPath))
        {
            return false;
        }
        var text = await File.ReadAllTextAsync(LastGoodPath, cancellationToken);
        await AtomicFile.WriteAllTextAsync(ConfigPath, text, cancellationToken);
        return true;
    }
}
