namespace Lbaas.HaProxy.Sockets;

/// <summary>
/// How replies to ';'-joined commands come back on one HAProxy 2.6 connection, as measured:
/// each reply is followed by an empty line, and a command with nothing to say answers just that
/// empty line. Except <c>add server</c> and <c>del server</c>, whose replies may lack the empty
/// line ("Server deleted.\n", "No such backend.\n"), and <c>show</c> commands, whose output could
/// hold an empty line of its own. Such commands therefore end their connection's batch: the
/// last reply of a connection is simply everything up to EOF, so no reply is ever misattributed.
/// </summary>
internal static class RuntimeReplyFraming
{
    /// <summary>Groups commands, in order, into the batches sent on one connection each.</summary>
    public static List<List<string>> Batch(IReadOnlyList<string> commands, int maxLineLength)
    {
        var batches = new List<List<string>>();
        var current = new List<string>();
        var length = 0;
        foreach (var command in commands)
        {
            if (current.Count > 0 && length + 1 + command.Length > maxLineLength)
            {
                batches.Add(current);
                current = [];
                length = 0;
            }
            current.Add(command);
            length += command.Length + 1;
            if (EndsBatch(command))
            {
                batches.Add(current);
                current = [];
                length = 0;
            }
        }
        if (current.Count > 0)
        {
            batches.Add(current);
        }
        return batches;
    }

    /// <summary>Splits one connection's output into one reply per command of its batch.</summary>
    /// <exception cref="FormatException">Fewer empty-line terminators than commands before the last.</exception>
    public static List<string> Split(IReadOnlyList<string> batch, string output)
    {
        var replies = new List<string>(batch.Count);
        var position = 0;
        for (var i = 0; i < batch.Count - 1; i++)
        {
            // A reply is the text up to the first empty line: "\n" alone, or "...\n\n".
            int end;
            if (output.AsSpan(position).StartsWith("\n"))
            {
                end = position;
            }
            else
            {
                var terminator = output.IndexOf("\n\n", position, StringComparison.Ordinal);
                if (terminator < 0)
                {
                    throw new FormatException($"HAProxy's reply to '{batch[i]}' is not terminated by an empty line: {output[position..]}");
                }
                end = terminator + 1;
            }
            replies.Add(output[position..end].TrimEnd('\n'));
            position = end + 1;
        }
        replies.Add(output[Math.Min(position, output.Length)..].TrimEnd('\n'));
        return replies;
    }

    private static bool EndsBatch(string command) =>
        command.StartsWith("add server ", StringComparison.Ordinal)
        || command.StartsWith("del server ", StringComparison.Ordinal)
        || command.StartsWith("show ", StringComparison.Ordinal);
}
