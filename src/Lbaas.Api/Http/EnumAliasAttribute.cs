namespace Lbaas.Api.Http;

/// <summary>Other spellings accepted on input for an enum member; output always uses the canonical name.</summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class EnumAliasAttribute(params string[] aliases) : Attribute
{
    public IReadOnlyList<string> Aliases { get; } = aliases;
}
