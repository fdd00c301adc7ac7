namespace Lbaas.HaProxy.Sockets;

/// <summary>HAProxy's answer to one runtime command, with the verdict of <see cref="RuntimeReplyClassifier"/>.</summary>
public sealed record RuntimeReply(string Command, string Text, bool IsError)
{
    public override string ToString() => IsError ? $"{Command} → {Text}" : Command;
}
