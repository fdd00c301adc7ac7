namespace Lbaas.HaProxy.Sockets;

/// <summary>
/// A CLI command is one line; ';' separates commands and a newline ends the input. A command
/// holding either (or any control character) would run something nobody asked for.
/// </summary>
internal static class CommandLine
{
    public static void ThrowIfUnsafe(string command)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        foreach (var c in command)
        {
            if (c is ';' or < ' ' or > '~')
            {
                throw new ArgumentException($"A HAProxy CLI command must be one line of printable ASCII without ';': {command}", nameof(command));
            }
        }
    }
}
