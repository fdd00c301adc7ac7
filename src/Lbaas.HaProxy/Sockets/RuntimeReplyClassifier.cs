using System.Text.RegularExpressions;

namespace Lbaas.HaProxy.Sockets;

/// <summary>
/// Decides whether a runtime reply means failure. HAProxy answers success and failure in the same
/// plain text, so a command that changes something must answer with a known success (nothing at
/// all, "New server registered.", "Server deleted.", an address change report) and anything
/// else is an error; a query is an error only when it starts like one.
/// </summary>
public static partial class RuntimeReplyClassifier
{
    private static readonly string[] QueryVerbs = ["show", "get", "help"];

    // Successful changes that still say something (HAProxy 2.6 wording).
    [GeneratedRegex(@"^(New server registered\.|Server deleted\.|IP changed from |no need to change the (addr|port)|port changed from |.*changed from '.*' to '.*' by 'stats socket command')", RegexOptions.CultureInvariant)]
    private static partial Regex KnownChangeReply();

    // How 2.6 starts its refusals: "Unknown command, but maybe...", "No such server.",
    // "No such backend.", "Require 'backend/server'.", "Can't find backend.", "Permission denied".
    [GeneratedRegex(@"^(Unknown command|No such |Require |Can't |Cannot |Permission denied|Missing |Invalid |unknown keyword|'[^']+' expects)", RegexOptions.CultureInvariant)]
    private static partial Regex KnownErrorReply();

    public static bool IsError(string command, string reply)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(reply);
        var text = reply.Trim();
        if (KnownErrorReply().IsMatch(text))
        {
            return true;
        }
        var verb = command.TrimStart().Split(' ', 2)[0];
        return !QueryVerbs.Contains(verb, StringComparer.Ordinal) && text.Length > 0 && !KnownChangeReply().IsMatch(text);
    }
}
