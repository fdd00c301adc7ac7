using System.Text.RegularExpressions;

namespace Lbaas.Api.LoadBalancers;

/// <summary>Label keys follow Kubernetes' shape, so selectors read the same everywhere.</summary>
public static partial class LabelRules
{
    public const string KeyMessage = "label keys must be 1-63 characters of letters, digits, '-', '_', '.' or '/', starting and ending with a letter or digit.";

    [GeneratedRegex("^[A-Za-z0-9]([A-Za-z0-9._/-]{0,61}[A-Za-z0-9])?\\z", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();

    public static bool IsKey(string? key) => key is not null && KeyPattern().IsMatch(key);
}
