using System.Globalization;
using Lbaas.Api.Http;
using Lbaas.Api.LoadBalancers;
using Microsoft.AspNetCore.Mvc;

namespace Lbaas.Api.Revisions;

/// <summary>Query string of the revision list, read as text so a bad value gets a field error instead of a bare 400.</summary>
/// <param name="Limit">Page size, 1-500 (default 50).</param>
/// <param name="Cursor">next_cursor of the previous page.</param>
public sealed record RevisionListQuery(
    [property: FromQuery(Name = "limit")] string? Limit,
    [property: FromQuery(Name = "cursor")] string? Cursor)
{
    public static readonly QueryParameter[] Parameters =
    [
        new("limit", "Page size, 1-500 (default 50)."),
        new("cursor", "next_cursor of the previous page."),
    ];

    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    /// <summary>The page size and the revision the page starts below; null when a value is invalid.</summary>
    public (int Limit, long Before)? Parse(ValidationErrors errors)
    {
        var limit = DefaultLimit;
        if (Limit is not null && (!int.TryParse(Limit, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            errors.Add("limit", $"limit must be a whole number from 1 to {MaxLimit}.");
        }
        // Same opaque cursor as the load balancer list; here it holds the last revision shown.
        var before = long.MaxValue;
        if (Cursor is not null && !LoadBalancerListQuery.TryDecodeCursor(Cursor, out before))
        {
            errors.Add("cursor", "cursor is not one this API handed out; pass next_cursor from the previous page unchanged.");
        }
        return errors.IsEmpty ? (limit, before) : null;
    }
}
