namespace Lbaas.HaProxy.Applying;

/// <summary>
/// Keeps <c>add server</c> true to the template: the servers a runtime change adds must carry
/// exactly the settings the rendered file gives them, or the next reload would silently change
/// them. An operator template (<c>HaProxy:TemplatesDirectory</c>) that writes a server line
/// differently therefore makes the change a reload, which reads the file as rendered.
/// </summary>
public static class ServerLines
{
    private const string AddServer = "add server ";

    /// <summary>
    /// True when every <c>add server</c> in <paramref name="commands"/> sends the arguments
    /// <paramref name="text"/> renders on that server's line. <c>disabled</c> and <c>init-addr</c>
    /// are left out of the comparison: added servers start in maintenance (and are enabled by a
    /// command of their own), and only IP literals are added, which need no resolution.
    /// </summary>
    public static bool Agree(IEnumerable<string> commands, string text)
    {
        ArgumentNullException.ThrowIfNull(commands);
        ArgumentNullException.ThrowIfNull(text);
        foreach (var command in commands.Where(c => c.StartsWith(AddServer, StringComparison.Ordinal)))
        {
            var parts = command[AddServer.Length..].Split(' ', 2);
            var path = parts[0].Split('/');
            if (path.Length != 2 || Rendered(text, path[0], path[1]) is not { } rendered
                || !rendered.SequenceEqual(Arguments(parts.Length > 1 ? parts[1] : ""), StringComparer.Ordinal))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The arguments of <paramref name="server"/>'s line in <paramref name="proxy"/>'s backend section; null when there is none.</summary>
    public static IReadOnlyList<string>? Rendered(string text, string proxy, string server)
    {
        var inProxy = false;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length > 0 && !char.IsWhiteSpace(line[0]))
            {
                var section = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                inProxy = section.Length >= 2 && section[0] is "backend" or "listen" && section[1] == proxy;
                continue;
            }
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (inProxy && words.Length >= 2 && words[0] == "server" && words[1] == server)
            {
                return Arguments(string.Join(' ', words.Skip(2)));
            }
        }
        return null;
    }

    private static List<string> Arguments(string arguments)
    {
        var words = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        var kept = new List<string>(words.Count);
        for (var i = 0; i < words.Count; i++)
        {
            switch (words[i])
            {
                case "disabled":
                    continue;
                case "init-addr":
                    i++;
                    continue;
                default:
                    kept.Add(words[i]);
                    break;
            }
        }
        return kept;
    }
}
