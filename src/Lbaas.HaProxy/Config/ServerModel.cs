namespace Lbaas.HaProxy.Config;

/// <summary>One server of a pool, named <c>b_{Id}</c> in haproxy.cfg and on the runtime API.</summary>
public sealed record ServerModel
{
    public required long Id { get; init; }

    /// <summary>An IP literal or a DNS name; must pass <c>ConfigValueRules.IsHost</c>.</summary>
    public required string Host { get; init; }

    public required int Port { get; init; }

    /// <summary>0-256, HAProxy's range; 0 takes the server out of the rotation.</summary>
    public int Weight { get; init; } = 1;

    public bool Backup { get; init; }
    public ServerAdminState AdminState { get; init; } = ServerAdminState.Enabled;

    /// <summary>
    /// The weight HAProxy is given: 0 while draining, the configured one otherwise. The one place
    /// that decides it, for the template, <c>add server</c> and the server-state file alike:
    /// HAProxy 2.6 has no "drain" server keyword, and weight 0 is what drain means.
    /// </summary>
    public int EffectiveWeight => AdminState == ServerAdminState.Draining ? 0 : Weight;

    public string ServerName => Naming.Server(Id);
}
