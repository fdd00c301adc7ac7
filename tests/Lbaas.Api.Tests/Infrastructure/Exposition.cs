using System.Globalization;
using System.Text;

namespace Lbaas.Api.Tests.Infrastructure;

/// <summary>
/// The samples of a Prometheus text exposition, for asserting values. It reads only sample lines
/// and trusts their syntax: whether the whole text is valid is promtool's job (<see cref="PromTool"/>).
/// </summary>
public sealed class Exposition
{
    private Exposition(string text, IReadOnlyList<ExposedSample> samples)
    {
        Text = text;
        Samples = samples;
    }

    public string Text { get; }

    public IReadOnlyList<ExposedSample> Samples { get; }

    public static Exposition Parse(string text)
    {
        var samples = new List<ExposedSample>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length > 0 && line[0] != '#')
            {
                samples.Add(ParseLine(line));
            }
        }
        return new Exposition(text, samples);
    }

    /// <summary>The samples of <paramref name="name"/> whose labels include all of <paramref name="labels"/>.</summary>
    public IEnumerable<ExposedSample> Find(string name, params (string Name, string Value)[] labels) =>
        Samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Name, out var v) && v == l.Value));

    /// <summary>The single sample that matches; null when there is none.</summary>
    public double? Value(string name, params (string Name, string Value)[] labels) =>
        Find(name, labels).ToList() switch
        {
            [] => null,
            [var one] => one.Value,
            var many => throw new InvalidOperationException($"{many.Count} samples of {name} match; expected one."),
        };

    public override string ToString() => Text;

    private static ExposedSample ParseLine(string line)
    {
        var i = 0;
        while (i < line.Length && line[i] != '{' && line[i] != ' ')
        {
            i++;
        }
        var name = line[..i];
        var labels = new Dictionary<string, string>();
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (line[i] != '}')
            {
                var eq = line.IndexOf('=', i);
                var label = line[i..eq];
                i = eq + 2;
                var value = new StringBuilder();
                for (; line[i] != '"'; i++)
                {
                    if (line[i] == '\\')
                    {
                        i++;
                        value.Append(line[i] == 'n' ? '\n' : line[i]);
                    }
                    else
                    {
                        value.Append(line[i]);
                    }
                }
                labels[label] = value.ToString();
                i++;
                if (line[i] == ',')
                {
                    i++;
                }
            }
            i++;
        }
        var fields = line[i..].Trim().Split(' ');
        return new ExposedSample(name, labels, double.Parse(fields[0], NumberStyles.Float, CultureInfo.InvariantCulture));
    }
}

public sealed record ExposedSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    public override string ToString() => $"{Name}{{{string.Join(",", Labels.Select(l => $"{l.Key}=\"{l.Value}\""))}}} {Value}";
}
