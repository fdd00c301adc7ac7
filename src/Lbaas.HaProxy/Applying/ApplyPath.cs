namespace Lbaas.HaProxy.Applying;

/// <summary>How an apply reached HAProxy.</summary>
public enum ApplyPath
{
    /// <summary>Nothing was sent: the configuration was already live, or it was refused.</summary>
    None,

    /// <summary>Runtime API commands on the running worker: no reload, the worker pid stays.</summary>
    Runtime,

    /// <summary>A reload through the master: a new worker serves the configuration.</summary>
    Reload,
}
