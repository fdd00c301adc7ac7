using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lbaas.Api.Tests.Infrastructure;

/// <summary>Requests with raw JSON text, as curl sends them, and responses read as JSON nodes.</summary>
public static class HttpJson
{
    public static StringContent Json(string json, string mediaType = "application/json") => new(json, Encoding.UTF8, mediaType);

    public static StringContent Json(object body) => Json(JsonSerializer.Serialize(body));

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, string json) => client.PostAsync(url, Json(json));

    public static Task<HttpResponseMessage> PutJsonAsync(this HttpClient client, string url, string json) => client.PutAsync(url, Json(json));

    public static Task<HttpResponseMessage> PatchJsonAsync(this HttpClient client, string url, string json, string mediaType = "application/merge-patch+json") =>
        client.PatchAsync(url, Json(json, mediaType));

    public static async Task<JsonNode> ReadNodeAsync(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonNode>())!;

    /// <summary>Creates a load balancer and returns its body; fails the test on anything but 201.</summary>
    public static async Task<JsonNode> CreateLoadBalancerAsync(this HttpClient client, string json)
    {
        var response = await client.PostJsonAsync("/api/v1/loadbalancer", json);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, $"expected 201, got {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!;
    }

    /// <summary>Asserts a problem+json answer with the given status and, if given, an error keyed by <paramref name="field"/>.</summary>
    public static async Task<JsonNode> AssertProblemAsync(this HttpResponseMessage response, int status, string? field = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(body)!;
        Assert.Equal(status, (int)problem["status"]!);
        if (field is not null)
        {
            Assert.True(problem["errors"]?[field] is JsonArray { Count: > 0 }, $"expected an error for '{field}': {body}");
        }
        return problem;
    }

    /// <summary>Polls (bounded, 15 s) until the load balancer has <paramref name="wanted"/>; returns the last status seen.</summary>
    public static async Task<string?> WaitForProvisioningStatusAsync(this HttpClient client, long id, string wanted) =>
        (await Eventually.TryUntil(
            async () => (string?)(await (await client.GetAsync($"/api/v1/loadbalancer/{id}")).ReadNodeAsync())["provisioning_status"],
            status => status == wanted,
            TimeSpan.FromSeconds(15))).Value;

    /// <summary>The row's version part of a GET's ETag ("12.ab…" is "12"), as writes answer it and If-Match compares it.</summary>
    public static string RowTag(string tag) => tag.Contains('.', StringComparison.Ordinal) ? tag[..tag.IndexOf('.', StringComparison.Ordinal)] + "\"" : tag;
}
