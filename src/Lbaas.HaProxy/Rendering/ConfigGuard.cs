using System.Text.RegularExpressions;
using Lbaas.HaProxy.Values;

namespace Lbaas.HaProxy.Rendering;

/// <summary>
/// The renderer's last line of defence. Values should already have passed
/// <see cref="ConfigValueRules"/> at the API; these checks run again on every render so a value
/// that slipped through (a bug, a row edited by hand) throws instead of breaking out of its line.
/// </summary>
internal static partial class ConfigGuard
{
    private const int MaxTokenLength = 4096;

    [GeneratedRegex("^[A-Z]{1,16}$", RegexOptions.CultureInvariant)]
    private static partial Regex MethodPattern();

    // Operator file paths: absolute, and only characters no shell or HAProxy parser treats specially.
    [GeneratedRegex("^/[A-Za-z0-9._/-]{0,1023}$", RegexOptions.CultureInvariant)]
    private static partial Regex FilePathPattern();

    /// <summary>
    /// Refuses anything that could end a token, start a comment, open a quote or a sample fetch,
    /// or hide in a terminal: whitespace, quotes, backslash, '#', '%', control and non-ASCII characters.
    /// </summary>
    public static string Token(string? value, string field)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new ConfigValueException(field, "must not be empty.");
        }
        if (value.Length > MaxTokenLength)
        {
            throw new ConfigValueException(field, $"is longer than {MaxTokenLength} characters.");
        }
        foreach (var c in value)
        {
            if (c is <= ' ' or > '~' or '"' or '\'' or '\\' or '#' or '%')
            {
                throw new ConfigValueException(field, $"contains a character that could break its line (U+{(int)c:X4}).");
            }
        }
        return value;
    }

    public static string Host(string? value, string field) =>
        ConfigValueRules.IsHost(Token(value, field)) ? value! : throw new ConfigValueException(field, "is not an IP literal or a DNS name.");

    public static string IpLiteral(string? value, string field) =>
        ConfigValueRules.IsIpLiteral(Token(value, field)) ? value! : throw new ConfigValueException(field, "is not an IP address literal.");

    public static string HttpPath(string? value, string field) =>
        ConfigValueRules.IsHttpPath(Token(value, field)) ? value! : throw new ConfigValueException(field, "is not a safe absolute HTTP path.");

    public static string StatusList(string? value, string field) =>
        ConfigValueRules.IsStatusList(Token(value, field)) ? value! : throw new ConfigValueException(field, "is not a status list like 200-399 or 200,204.");

    public static string Method(string? value, string field) =>
        MethodPattern().IsMatch(Token(value, field)) ? value! : throw new ConfigValueException(field, "is not an HTTP method.");

    public static string FilePath(string? value, string field) =>
        FilePathPattern().IsMatch(Token(value, field)) ? value! : throw new ConfigValueException(field, "must be an absolute path of letters, digits, '.', '_', '-' and '/'.");

    public static string OneOf(string? value, string field, IReadOnlyCollection<string> allowed) =>
        allowed.Contains(Token(value, field), StringComparer.Ordinal)
            ? value!
            : throw new ConfigValueException(field, $"must be one of: {string.Join(", ", allowed)}.");

    public static int Range(int value, string field, IntRange range) =>
        range.Contains(value) ? value : throw new ConfigValueException(field, $"must be between {range.Min} and {range.Max}.");

    public static int Port(int value, string field) => Range(value, field, ConfigValueRules.Port);

    /// <summary>A positive duration in milliseconds, spelled in HAProxy's shortest exact unit.</summary>
    public static string Duration(int milliseconds, string field) =>
        milliseconds > 0
            ? ConfigValueRules.FormatDuration(TimeSpan.FromMilliseconds(milliseconds))
            : throw new ConfigValueException(field, "must be a positive number of milliseconds.");

    public static T Defined<T>(T value, string field)
        where T : struct, Enum =>
        Enum.IsDefined(value) ? value : throw new ConfigValueException(field, $"has no meaning: {value}.");
}
