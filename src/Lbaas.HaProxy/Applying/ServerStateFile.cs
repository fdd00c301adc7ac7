using System.Globalization;
using System.Net;
using Lbaas.HaProxy.Config;
using Lbaas.HaProxy.Values;

namespace Lbaas.HaProxy.Applying;

/// <summary>
/// Turns a <c>show servers state</c> dump into the server-state file the next worker loads, so
/// that it keeps what only the running worker knows (health, check results, weights someone
/// tuned at runtime) but never overrules the file it starts from. Pure.
/// <para>
/// Measured on HAProxy 2.6.12, with <c>load-server-state-from-file global</c>, a line of the state
/// file beats the configuration in ways the file cannot undo:
/// its port always wins over the configured one (a port changed by a reload was silently ignored),
/// its address wins for a DNS name (<c>init-addr last</c>), a state forced on the CLI stays
/// (<c>set server state drain</c> or <c>maint</c> survive a reload to a file that says enabled), and
/// its weight wins whenever the configured weight equals the one the old worker started with —
/// so a weight changed at runtime and changed back by a reload would stay at the runtime value.
/// </para>
/// <para>
/// Hence: the line of a server that is gone or whose address or port changed is dropped (the
/// server starts from the file); the admin state and weight of a server changed by this apply, or
/// of every server when the running model is unknown, are rewritten to the desired ones; every other
/// line is kept as it is. Rewritten, an enabled server is 0, draining is FDRAIN (8) on the file's
/// weight 0 (HAProxy keeps FDRAIN when the configured weight is 0, and shows DRAIN), disabled is
/// FMAINT|CMAINT (5), as the file's "disabled" sets it; uweight and iweight both take the file's weight,
/// so HAProxy applies exactly that.
/// </para>
/// </summary>
internal static class ServerStateFile
{
    private const string Version = "1";

    /// <param name="dump">The running worker's <c>show servers state</c>.</param>
    /// <param name="desired">The model the next worker starts from (its file).</param>
    /// <param name="running">The model the running worker serves; null when unknown.</param>
    /// <exception cref="FormatException">Not a version 1 dump with its column header.</exception>
    public static string Reconcile(string dump, ConfigModel desired, ConfigModel? running)
    {
        ArgumentNullException.ThrowIfNull(dump);
        ArgumentNullException.ThrowIfNull(desired);
        var lines = dump.Split('\n', StringSplitOptions.TrimEntries);
        if (lines.Length < 2 || lines[0] != Version || !lines[1].StartsWith("# ", StringComparison.Ordinal))
        {
            throw new FormatException($"Not a version {Version} show servers state dump: {Head(dump)}");
        }
        var columns = new Columns(lines[1][2..].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var output = new List<string> { lines[0], lines[1] };
        foreach (var line in lines.Skip(2).Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            var fields = line.Split(' ');
            if (fields.Length != columns.Count)
            {
                throw new FormatException($"A show servers state line has {fields.Length} fields, the header {columns.Count}: {line}");
            }
            if (Reconcile(fields, columns, desired, running))
            {
                output.Add(string.Join(' ', fields));
            }
        }
        return string.Join('\n', output);
    }

    /// <summary>Rewrites <paramref name="fields"/> in place when needed; false drops the line.</summary>
    private static bool Reconcile(string[] fields, Columns columns, ConfigModel desired, ConfigModel? running)
    {
        var lbName = fields[columns.BackendName];
        var serverName = fields[columns.ServerName];
        var lb = desired.LoadBalancers.FirstOrDefault(l => l.ProxyName == lbName);
        var server = lb?.Servers.FirstOrDefault(s => s.ServerName == serverName);
        if (lb is null || server is null || !SameEndpoint(fields, columns, server))
        {
            return false;
        }
        var before = running?.LoadBalancers.FirstOrDefault(l => l.Id == lb.Id)?.Servers.FirstOrDefault(s => s.Id == server.Id);
        if (before is not null && before.AdminState == server.AdminState && before.Weight == server.Weight)
        {
            return true;
        }
        var weight = server.EffectiveWeight.ToString(CultureInfo.InvariantCulture);
        fields[columns.AdminState] = server.AdminState switch
        {
            ServerAdminState.Enabled => "0",
            ServerAdminState.Draining => "8",
            _ => "5",
        };
        fields[columns.UserWeight] = weight;
        fields[columns.InitialWeight] = weight;
        return true;
    }

    private static bool SameEndpoint(string[] fields, Columns columns, ServerModel server)
    {
        if (fields[columns.Port] != server.Port.ToString(CultureInfo.InvariantCulture))
        {
            return false;
        }
        return ConfigValueRules.IsIpLiteral(server.Host)
            ? IPAddress.TryParse(fields[columns.Address], out var address) && address.Equals(IPAddress.Parse(server.Host))
            : string.Equals(fields[columns.Fqdn], server.Host, StringComparison.OrdinalIgnoreCase);
    }

    private static string Head(string text) => text.Length <= 80 ? text : text[..80] + "…";

    /// <summary>Positions of the columns used, by name, from the dump's own header.</summary>
    private sealed class Columns(string[] names)
    {
        public int Count { get; } = names.Length;
        public int BackendName { get; } = Find(names, "be_name");
        public int ServerName { get; } = Find(names, "srv_name");
        public int Address { get; } = Find(names, "srv_addr");
        public int AdminState { get; } = Find(names, "srv_admin_state");
        public int UserWeight { get; } = Find(names, "srv_uweight");
        public int InitialWeight { get; } = Find(names, "srv_iweight");
        public int Fqdn { get; } = Find(names, "srv_fqdn");
        public int Port { get; } = Find(names, "srv_port");

        private static int Find(string[] names, string name) =>
            Array.IndexOf(names, name) is var index and >= 0
                ? index
                : throw new FormatException($"The show servers state header has no {name} column: {string.Join(' ', names)}");
    }
}
