using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lbaas.Api.Http;

/// <summary>The one JSON contract of the API: snake_case, strict on input.</summary>
public static class JsonSetup
{
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        // Web defaults match names regardless of case; the contract is exact: "Name" is not "name",
        // and label keys "env" and "ENV" are two labels.
        options.PropertyNameCaseInsensitive = false;
        // A typo like "frontendport" must fail loudly instead of being ignored.
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.AllowDuplicateProperties = false;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.Converters.Add(new SnakeCaseEnumConverter());
        options.Converters.Add(new StrictJsonNodeConverter());
    }

    public static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(options);
        return options;
    }
}
