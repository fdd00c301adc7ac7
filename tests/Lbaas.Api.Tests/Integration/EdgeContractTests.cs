using System.Net;
using System.Text.Json.Nodes;
using Lbaas.Api.Tests.Infrastructure;

namespace Lbaas.Api.Tests.Integration;

/// <summary>The contract at its edges: no input gives a 500, every parameter is known, HEAD and conditional requests work.</summary>
public sealed class EdgeContractTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const string Route = "/api/v1/loadbalancer";
    private readonly HttpClient _client = api.CreateClient();

    private async Task<long> CreateAsync(string extra = "") =>
        (long)(await _client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}"{{extra}}}"""))["id"]!;

    private async Task<long> CreateBackendAsync(long id)
    {
        var response = await _client.PostJsonAsync($"{Route}/{id}/backends", """{"host": "127.0.0.1", "port": 9001}""");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (long)(await response.ReadNodeAsync())["id"]!;
    }

    [Theory]
    [InlineData("""{"description": "a", "description": "b"}""", "description")]
    [InlineData("""{"labels": {"env": "a", "env": "b"}}""", "labels.env")]
    [InlineData("""{"health_check": {"path": "/a", "path": "/b"}}""", "health_check.path")]
    public async Task PatchLoadBalancer_DuplicateKey_Returns400NamingIt(string patch, string field)
    {
        var id = await CreateAsync();

        var problem = await (await _client.PatchJsonAsync($"{Route}/{id}", patch)).AssertProblemAsync(400, field);

        Assert.Contains("more than once", (string)problem["errors"]![field]![0]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PatchBackend_DuplicateKey_Returns400NamingIt()
    {
        var id = await CreateAsync();
        var backend = await CreateBackendAsync(id);

        await (await _client.PatchJsonAsync($"{Route}/{id}/backends/{backend}", """{"weight": 2, "weight": 3}""")).AssertProblemAsync(400, "weight");
    }

    [Fact]
    public async Task CreateLoadBalancer_DuplicateKey_Returns400NamingIt()
    {
        var body = $$$"""{"name": "{{{TestData.Unique()}}}", "labels": {"env": "a", "env": "b"}}""";

        await (await _client.PostJsonAsync(Route, body)).AssertProblemAsync(400, "labels.env");
    }

    [Theory]
    [InlineData("""{"name": "a", "name": "b"}""", "name")]
    [InlineData("""{"name": "a", "timeouts": {"client": "1s", "client": "2s"}}""", "timeouts.client")]
    [InlineData("""{"name": "a", "backends": [{"host": "127.0.0.1", "port": 1, "port": 2}]}""", "backends[0].port")]
    public async Task CreateLoadBalancer_DuplicatePropertyAtAnyDepth_Returns400NamingIt(string body, string field)
    {
        var problem = await (await _client.PostJsonAsync(Route, body)).AssertProblemAsync(400, field);

        Assert.Contains("more than once", (string)problem["errors"]![field]![0]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateLoadBalancer_CaseVariantPropertyName_Returns400NamingIt()
    {
        var problem = await (await _client.PostJsonAsync(Route, $$"""{"Name": "{{TestData.Unique()}}"}""")).AssertProblemAsync(400, "Name");

        Assert.Contains("case-sensitive", (string)problem["errors"]!["Name"]![0]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PatchLoadBalancer_CaseVariantPropertyName_Returns400AndChangesNothing()
    {
        var id = await CreateAsync();

        await (await _client.PatchJsonAsync($"{Route}/{id}", """{"Description": "x"}""")).AssertProblemAsync(400, "Description");

        Assert.Null((string?)(await (await _client.GetAsync($"{Route}/{id}")).ReadNodeAsync())["description"]);
    }

    [Fact]
    public async Task Labels_KeysDifferingOnlyInCase_StayDistinctThroughEveryWrite()
    {
        var id = await CreateAsync(""", "labels": {"env": "a", "ENV": "b"}""");

        var patched = await _client.PatchJsonAsync($"{Route}/{id}", """{"labels": {"ENV": "c"}}""");
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        // JsonNode.Parse keeps keys exact; ReadFromJsonAsync's web defaults would merge env and ENV.
        var labels = JsonNode.Parse(await patched.Content.ReadAsStringAsync())!["labels"]!;
        Assert.Equal("a", (string)labels["env"]!);
        Assert.Equal("c", (string)labels["ENV"]!);

        var found = await (await _client.GetAsync($"{Route}?label=ENV=c")).ReadNodeAsync();
        Assert.Contains(found["items"]!.AsArray(), lb => (long)lb!["id"]! == id);
        var notFound = await (await _client.GetAsync($"{Route}?label=env=c")).ReadNodeAsync();
        Assert.DoesNotContain(notFound["items"]!.AsArray(), lb => (long)lb!["id"]! == id);

        var revisions = await (await _client.GetAsync($"{Route}/{id}/revisions")).ReadNodeAsync();
        Assert.Contains(revisions["items"]![0]!["changes"]!.AsArray(), c => (string)c! == "labels.ENV: b -> c");

        Assert.Equal(HttpStatusCode.OK, (await _client.PutJsonAsync($"{Route}/{id}", $$$"""{"name": "{{{TestData.Unique()}}}", "labels": {"env": "x", "Env": "y"}}""")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync($"{Route}/{id}")).StatusCode);
    }

    [Theory]
    [InlineData("?name=%00")]
    [InlineData("?label=env%3Da%01")]
    [InlineData("?limit=1%7F")]
    public async Task List_ControlCharacterInQuery_Returns400(string query)
    {
        var field = query[1..query.IndexOf('=', StringComparison.Ordinal)];

        await (await _client.GetAsync(Route + query)).AssertProblemAsync(400, field);
    }

    [Fact]
    public async Task Write_ControlCharacterInParameterName_Returns400NamingItEscaped()
    {
        await (await _client.PostJsonAsync(Route + "?a%00b=1", $$"""{"name": "{{TestData.Unique()}}"}""")).AssertProblemAsync(400, "a\\u0000b");
    }

    [Theory]
    [InlineData("POST", "/backends?dry-run=true", "dry-run")]
    [InlineData("POST", "/backends?dryrun=true", "dryrun")]
    [InlineData("PATCH", "?wiat=false", "wiat")]
    [InlineData("GET", "?verbose=1", "verbose")]
    [InlineData("POST", "/rollout?dry_run=true", "dry_run")]
    public async Task Endpoint_UnknownQueryParameter_Returns400AndStoresNothing(string method, string path, string field)
    {
        var id = await CreateAsync();
        var before = (await (await _client.GetAsync($"{Route}/{id}")).ReadNodeAsync())["backends"]!.AsArray().Count;
        var request = new HttpRequestMessage(new HttpMethod(method), $"{Route}/{id}{path}");
        if (method != "GET")
        {
            request.Content = HttpJson.Json(path.StartsWith("/rollout", StringComparison.Ordinal)
                ? """{"backends": [{"host": "127.0.0.1", "port": 9002}]}"""
                : path.StartsWith("/backends", StringComparison.Ordinal) ? """{"host": "127.0.0.1", "port": 9001}""" : """{"description": "x"}""",
                method == "PATCH" ? "application/merge-patch+json" : "application/json");
        }

        var problem = await (await _client.SendAsync(request)).AssertProblemAsync(400, field);

        Assert.Contains("not a parameter of this endpoint", (string)problem["errors"]![field]![0]!, StringComparison.Ordinal);
        var after = await (await _client.GetAsync($"{Route}/{id}")).ReadNodeAsync();
        Assert.Equal(before, after["backends"]!.AsArray().Count);
        Assert.Null((string?)after["description"]);
    }

    [Theory]
    [InlineData("?dry_run=yes", "dry_run")]
    [InlineData("?wait=no", "wait")]
    [InlineData("?dry_run=true&dry_run=false", "dry_run")]
    public async Task Patch_BadOrRepeatedParameterValue_Returns400(string query, string field)
    {
        var id = await CreateAsync();

        await (await _client.PatchJsonAsync($"{Route}/{id}{query}", """{"description": "x"}""")).AssertProblemAsync(400, field);

        Assert.Null((string?)(await (await _client.GetAsync($"{Route}/{id}")).ReadNodeAsync())["description"]);
    }

    [Fact]
    public async Task List_RepeatedLabelAndKnownParameters_Accepted()
    {
        var response = await _client.GetAsync($"{Route}?label=a=1&label=b=2&limit=5&name=x");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Head_LoadBalancer_SameHeadersAsGetWithoutBody()
    {
        var id = await CreateAsync();
        var get = await _client.GetAsync($"{Route}/{id}");

        var head = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"{Route}/{id}"));

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(get.Headers.ETag, head.Headers.ETag);
        Assert.Equal(get.Content.Headers.ContentType, head.Content.Headers.ContentType);
        Assert.True(head.Content.Headers.ContentLength > 0);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Head_ConfigPreview_ContentLengthOfTheGetBody()
    {
        // The rendered sections depend only on the stored load balancer, not on its live status.
        var id = await CreateAsync();
        var get = await (await _client.GetAsync($"{Route}/{id}/config")).Content.ReadAsByteArrayAsync();

        var head = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"{Route}/{id}/config"));

        Assert.Equal(get.Length, head.Content.Headers.ContentLength);
        Assert.Equal("text/plain", head.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/backends")]
    [InlineData("/revisions")]
    [InlineData("/config")]
    [InlineData("/status")]
    public async Task Head_EveryGetRoute_Answers200WithoutBody(string path)
    {
        var id = await CreateAsync();
        var url = path.Length == 0 ? Route : $"{Route}/{id}{path}";

        var head = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("HEAD")]
    [InlineData("GET")]
    public async Task IfNoneMatch_CurrentETag_Returns304(string method)
    {
        var id = await CreateAsync();
        var etag = await SteadyETagAsync($"{Route}/{id}");

        foreach (var tag in new[] { etag, $"W/{etag}", $"\"0\", {etag}", "*" })
        {
            var request = new HttpRequestMessage(new HttpMethod(method), $"{Route}/{id}");
            request.Headers.TryAddWithoutValidation("If-None-Match", tag);
            var response = await _client.SendAsync(request);
            Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
            Assert.Equal(etag, response.Headers.ETag!.Tag);
            Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        }
    }

    /// <summary>
    /// The GET's tag once two reads in a row agree: the first scrapes still settle operating
    /// statuses, which change the answer and so its tag.
    /// </summary>
    private async Task<string> SteadyETagAsync(string url)
    {
        var etag = "";
        await Eventually.Until(async () =>
        {
            var previous = etag;
            etag = (await _client.GetAsync(url)).Headers.ETag!.Tag;
            return previous == etag;
        }, steady => steady, $"a steady answer from {url}");
        return etag;
    }

    [Fact]
    public async Task IfNoneMatch_StatusChangedSinceTheRead_Returns200WithTheNewStatus()
    {
        // Statuses live in a table of their own: the row's version stays, the answer does not.
        var created = await _client.PostJsonAsync($"{Route}?wait=false", $$"""{"name": "{{TestData.Unique()}}"}""");
        var id = (long)(await created.ReadNodeAsync())["id"]!;
        var pending = await _client.GetAsync($"{Route}/{id}");
        var read = await pending.ReadNodeAsync();
        Assert.Equal("PENDING_CREATE", (string?)read["provisioning_status"]);
        Assert.Equal("ACTIVE", await _client.WaitForProvisioningStatusAsync(id, "ACTIVE"));
        var request = new HttpRequestMessage(HttpMethod.Get, $"{Route}/{id}");
        request.Headers.TryAddWithoutValidation("If-None-Match", pending.Headers.ETag!.Tag);

        var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ACTIVE", (string?)(await response.ReadNodeAsync())["provisioning_status"]);
        // If-Match still takes the tag read before the status changed: only the row's version counts there.
        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(WithIfMatch(HttpMethod.Patch, $"{Route}/{id}", pending.Headers.ETag!.Tag, """{"description": "x"}"""))).StatusCode);
    }

    [Fact]
    public async Task IfNoneMatch_StaleETag_Returns200WithBody()
    {
        var id = await CreateAsync();
        var stale = (await _client.GetAsync($"{Route}/{id}")).Headers.ETag!.Tag;
        await _client.PatchJsonAsync($"{Route}/{id}", """{"description": "v2"}""");
        var request = new HttpRequestMessage(HttpMethod.Get, $"{Route}/{id}");
        request.Headers.TryAddWithoutValidation("If-None-Match", stale);

        var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("v2", (string?)(await response.ReadNodeAsync())["description"]);
    }

    [Fact]
    public async Task Backend_HasETagHonouringIfMatchAndIfNoneMatch()
    {
        var id = await CreateAsync();
        var created = await _client.PostJsonAsync($"{Route}/{id}/backends", """{"host": "127.0.0.1", "port": 9003}""");
        var backendId = (long)(await created.ReadNodeAsync())["id"]!;
        var url = $"{Route}/{id}/backends/{backendId}";
        var etag = await SteadyETagAsync(url);
        Assert.Equal(HttpJson.RowTag(etag), created.Headers.ETag!.Tag);

        var conditional = new HttpRequestMessage(HttpMethod.Get, url);
        conditional.Headers.TryAddWithoutValidation("If-None-Match", etag);
        Assert.Equal(HttpStatusCode.NotModified, (await _client.SendAsync(conditional)).StatusCode);

        var patched = await _client.SendAsync(WithIfMatch(HttpMethod.Patch, url, etag, """{"weight": 2}"""));
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var fresh = patched.Headers.ETag!.Tag;
        Assert.NotEqual(etag, fresh);
        Assert.Equal(fresh, HttpJson.RowTag((await _client.GetAsync(url)).Headers.ETag!.Tag));

        await (await _client.SendAsync(WithIfMatch(HttpMethod.Patch, url, etag, """{"weight": 5}"""))).AssertProblemAsync(412);
        await (await _client.SendAsync(WithIfMatch(HttpMethod.Delete, url, etag))).AssertProblemAsync(412);
        var kept = await (await _client.GetAsync(url)).ReadNodeAsync();
        Assert.Equal(2, (int)kept["weight"]!);
        Assert.Equal("enabled", (string)kept["state"]!);
    }

    [Fact]
    public async Task Rollout_HasETagAndRollbackHonoursIfMatch()
    {
        var id = await CreateAsync();
        var started = await _client.PostJsonAsync($"{Route}/{id}/rollout",
            """{"backends": [{"host": "127.0.0.1", "port": 9009}], "batch_size": 1, "health_timeout": "60s"}""");
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        Assert.NotNull(started.Headers.ETag);
        var get = await _client.GetAsync($"{Route}/{id}/rollout");
        var current = get.Headers.ETag!.Tag;
        var conditional = new HttpRequestMessage(HttpMethod.Get, $"{Route}/{id}/rollout");
        conditional.Headers.TryAddWithoutValidation("If-None-Match", current);
        var notModified = await _client.SendAsync(conditional);
        // The runner may have taken a step in between, which changes the ETag: then 200 with the new one.
        Assert.True(notModified.StatusCode == HttpStatusCode.NotModified || notModified.Headers.ETag!.Tag != current);

        await (await _client.SendAsync(WithIfMatch(HttpMethod.Post, $"{Route}/{id}/rollout/rollback", "\"1\""))).AssertProblemAsync(412);
        Assert.Equal("in_progress", (string?)(await (await _client.GetAsync($"{Route}/{id}/rollout")).ReadNodeAsync())["state"]);

        var rolledBack = await _client.SendAsync(WithIfMatch(HttpMethod.Post, $"{Route}/{id}/rollout/rollback", "*"));
        Assert.Equal(HttpStatusCode.Accepted, rolledBack.StatusCode);
        Assert.NotNull(rolledBack.Headers.ETag);
    }

    [Fact]
    public async Task OpenApi_DescribesParametersPreconditionsAndETags()
    {
        var document = JsonNode.Parse(await _client.GetStringAsync("/openapi/v1.json"))!;
        var backend = document["paths"]!["/api/v1/loadbalancer/{id}/backends/{backendId}"]!;

        static IEnumerable<string> Parameters(JsonNode operation) => operation["parameters"]!.AsArray().Select(p => (string)p!["name"]!);
        Assert.Contains("If-Match", Parameters(backend["patch"]!));
        Assert.Contains("dry_run", Parameters(backend["patch"]!));
        Assert.Contains("dry_run", Parameters(backend["delete"]!));
        Assert.Contains("drain_timeout", Parameters(backend["delete"]!));
        Assert.NotNull(backend["patch"]!["responses"]!["412"]);
        Assert.Contains("If-None-Match", Parameters(backend["get"]!));
        Assert.NotNull(backend["get"]!["responses"]!["304"]);
        Assert.NotNull(backend["get"]!["responses"]!["200"]!["headers"]!["ETag"]);
        var list = document["paths"]!["/api/v1/loadbalancer"]!["get"]!;
        Assert.Single(Parameters(list), "label");
    }

    [Fact]
    public async Task UnknownPath_ControlCharacterInQuery_Returns400()
    {
        await (await _client.GetAsync("/nothing-here?x=%00")).AssertProblemAsync(400, "x");
    }

    private static HttpRequestMessage WithIfMatch(HttpMethod method, string url, string etag, string? patch = null)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        if (patch is not null)
        {
            request.Content = HttpJson.Json(patch, "application/merge-patch+json");
        }
        return request;
    }
}
