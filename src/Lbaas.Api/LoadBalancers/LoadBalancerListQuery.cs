using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Lbaas.Api.Data;
using Lbaas.Api.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Lbaas.Api.LoadBalancers;

/// <summary>Query string of the list endpoint, read as text so a bad value gets a field error instead of a bare 400.</summary>
/// <param name="Name">Only the load balancer with exactly this name.</param>
/// <param name="Label">A label selector key=value, e.g. env=staging; repeat it to require several labels.</param>
/// <param name="Limit">Page size, 1-500 (default 100).</param>
/// <param name="Cursor">next_cursor of the previous page.</param>
public sealed record LoadBalancerListQuery(
    [property: FromQuery(Name = "name")] string? Name,
    [property: FromQuery(Name = "label")] string[]? Label,
    [property: FromQuery(Name = "limit")] string? Limit,
    [property: FromQuery(Name = "cursor")] string? Cursor)
{
    public static readonly QueryParameter[] Parameters =
    [
        new("name", "Only the load balancer with exactly this name."),
        new("label", "A label selector key=value; repeat it to require several labels. Keys compare exactly (env and ENV are two labels).", Repeatable: true),
        new("limit", "Page size, 1-500 (default 100)."),
        new("cursor", "next_cursor of the previous page."),
    ];

    public const int DefaultLimit = 100;
    public const int MaxLimit = 500;

    public LoadBalancerFilter? Parse(ValidationErrors errors)
    {
        var limit = DefaultLimit;
        if (Limit is not null && (!int.TryParse(Limit, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            errors.Add("limit", $"limit must be a whole number from 1 to {MaxLimit}.");
        }
        long after = 0;
        if (Cursor is not null && !TryDecodeCursor(Cursor, out after))
        {
            errors.Add("cursor", "cursor is not one this API handed out; pass next_cursor from the previous page unchanged.");
        }
        var labels = new Dictionary<string, string>();
        foreach (var selector in Label ?? [])
        {
            var parts = selector.Split('=', 2);
            if (parts.Length != 2 || !LabelRules.IsKey(parts[0]))
            {
                errors.Add("label", $"label filters are key=value with a valid key; '{selector}' is not.");
            }
            else if (labels.TryGetValue(parts[0], out var other) && other != parts[1])
            {
                errors.Add("label", $"label '{parts[0]}' cannot equal both '{other}' and '{parts[1]}'.");
            }
            else
            {
                labels[parts[0]] = parts[1];
            }
        }
        return errors.IsEmpty ? new LoadBalancerFilter(Name, labels, limit, after) : null;
    }

    public static string EncodeCursor(long lastId) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"v1:{lastId.ToString(CultureInfo.InvariantCulture)}"));

    public static bool TryDecodeCursor(string cursor, out long after)
    {
        after = 0;
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            return text.StartsWith("v1:", StringComparison.Ordinal)
                && long.TryParse(text.AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out after);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

/// <summary>A parsed list query: keyset pagination on id, so pages stay stable while others write.</summary>
public sealed record LoadBalancerFilter(string? Name, Dictionary<string, string> Labels, int Limit, long After)
{
    public async Task<LoadBalancerPage> RunAsync(LbaasDb db, CancellationToken ct)
    {
        var query = db.LoadBalancers.AsNoTracking().Include(l => l.Backends).Where(l => l.Id > After);
        if (Labels.Count > 0)
        {
            // jsonb containment, served by the GIN index on labels.
            var matching = db.Database.SqlQuery<long>(
                $"SELECT id AS \"Value\" FROM load_balancers WHERE labels @> {JsonSerializer.Serialize(Labels)}::jsonb");
            query = query.Where(l => matching.Contains(l.Id));
        }
        if (Name is not null)
        {
            query = query.Where(l => l.Name == Name);
        }
        var rows = await query.OrderBy(l => l.Id).Take(Limit + 1).AsSplitQuery().ToListAsync(ct);
        var next = rows.Count > Limit ? LoadBalancerListQuery.EncodeCursor(rows[Limit - 1].Id) : null;
        return new LoadBalancerPage(rows.Take(Limit).Select(l => l.ToResponse()).ToList(), next);
    }

    public string NextQuery(string cursor)
    {
        var parts = new List<string> { $"limit={Limit}", $"cursor={Uri.EscapeDataString(cursor)}" };
        if (Name is not null)
        {
            parts.Add($"name={Uri.EscapeDataString(Name)}");
        }
        parts.AddRange(Labels.Select(l => $"label={Uri.EscapeDataString($"{l.Key}={l.Value}")}"));
        return string.Join('&', parts);
    }
}
