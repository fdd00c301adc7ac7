using System.Text;

namespace Lbaas.HaProxy.Rendering;

/// <summary>
/// Makes rendered text tidy whatever the template's whitespace: no trailing spaces, no leading
/// or repeated blank lines, '\n' line ends and exactly one final newline. Equal models then give
/// byte-equal files, which is how the reconciler sees that nothing changed.
/// </summary>
internal static class TextTidy
{
    public static string Apply(string text)
    {
        var output = new StringBuilder(text.Length);
        var pendingBlank = false;
        foreach (var raw in text.ReplaceLineEndings("\n").Split('\n'))
        {
            var line = raw.TrimEnd();
            if (line.Length == 0)
            {
                pendingBlank = output.Length > 0;
                continue;
            }
            if (pendingBlank)
            {
                output.Append('\n');
                pendingBlank = false;
            }
            output.Append(line).Append('\n');
        }
        return output.ToString();
    }
}
