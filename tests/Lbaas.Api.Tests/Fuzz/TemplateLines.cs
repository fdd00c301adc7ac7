using System.Text;
using System.Text.RegularExpressions;

namespace Lbaas.Api.Tests.Fuzz;

/// <summary>
/// Every line shape the templates in <c>templates/</c> can produce, as anchored regular
/// expressions: literal text stays literal, <c>{{ if }}…{{ else }}…{{ end }}</c> becomes an
/// optional alternative, and each value becomes exactly one HAProxy token — no whitespace, quote,
/// <c>#</c>, backslash, <c>$</c> or <c>%</c> (between single quotes: anything but a quote or a line break); the names that come
/// from ids (<c>lb_N</c>, <c>b_N</c>) only those. A value that smuggled a line break, a second
/// token, a quote or a comment into haproxy.cfg yields a line no shape matches. Lines that hold
/// only control statements (if, for, end, include) and comments produce no line of their own.
/// </summary>
public sealed partial class TemplateLines
{
    // No quote, comment, backslash escape, or HAProxy's ${env} and %[sample] expansions outside single quotes.
    private const string Token = @"[^\s'""#\\$%]+";
    private const string Quoted = @"[^'\r\n]*";

    private static readonly Dictionary<string, string> IdNames = new(StringComparer.Ordinal)
    {
        ["lb.name"] = @"lb_\d+",
        ["s.name"] = @"b_\d+",
    };

    private readonly List<Regex> _shapes;

    private TemplateLines(List<Regex> shapes) => _shapes = shapes;

    public int Count => _shapes.Count;

    public static TemplateLines From(string directory)
    {
        var shapes = new List<Regex>();
        foreach (var file in Directory.GetFiles(directory, "*.scriban").Order(StringComparer.Ordinal))
        {
            var text = Comment().Replace(File.ReadAllText(file), "");
            foreach (var line in text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0))
            {
                if (Statement().Replace(line, "").Trim().Length == 0)
                {
                    continue;
                }
                shapes.Add(new Regex("^" + Shape(line) + "$", RegexOptions.CultureInvariant));
            }
        }
        return new TemplateLines(shapes);
    }

    /// <summary>Whether <paramref name="line"/> (surrounding whitespace aside) has a shape the templates produce.</summary>
    public bool Produces(string line) => _shapes.Any(s => s.IsMatch(line.Trim()));

    private static string Shape(string line)
    {
        var pattern = new StringBuilder();
        var quotes = 0;
        var at = 0;
        foreach (Match block in Block().Matches(line))
        {
            var literal = line[at..block.Index];
            quotes += literal.Count(c => c == '\'');
            pattern.Append(Regex.Escape(literal));
            var code = block.Groups["code"].Value.Trim();
            pattern.Append(code switch
            {
                _ when code.StartsWith("if ", StringComparison.Ordinal) => "(?:",
                "else" => "|",
                "end" => ")?",
                _ => IdNames.GetValueOrDefault(code) ?? (quotes % 2 == 1 ? Quoted : Token),
            });
            at = block.Index + block.Length;
        }
        pattern.Append(Regex.Escape(line[at..]));
        return pattern.ToString();
    }

    [GeneratedRegex(@"\{\{~?\s*##.*?##\s*~?\}\}", RegexOptions.Singleline)]
    private static partial Regex Comment();

    [GeneratedRegex(@"\{\{~?(?<code>.*?)~?\}\}")]
    private static partial Regex Block();

    /// <summary>Control statements: they choose lines, they print nothing.</summary>
    [GeneratedRegex(@"\{\{~?\s*(if\b|else\b|end\b|for\b|include\b)[^}]*~?\}\}")]
    private static partial Regex Statement();
}
