using System.Runtime.CompilerServices;

namespace Lbaas.HaProxy.Tests.Rendering;

/// <summary>
/// Compares rendered text with <c>Rendering/golden/{name}</c> (copied to the output directory).
/// <c>LBAAS_UPDATE_GOLDEN=1 dotnet test</c> rewrites the files in the source tree instead; review
/// the diff before committing it.
/// </summary>
internal static class Golden
{
    public static bool Updating => Environment.GetEnvironmentVariable("LBAAS_UPDATE_GOLDEN") == "1";

    public static void Verify(string name, string actual, [CallerFilePath] string callerPath = "")
    {
        if (Updating)
        {
            var source = Path.Combine(Path.GetDirectoryName(callerPath)!, "golden", name);
            File.WriteAllText(source, actual);
            return;
        }
        var expectedPath = Path.Combine(AppContext.BaseDirectory, "Rendering", "golden", name);
        Assert.True(File.Exists(expectedPath), $"No golden file {name}; run the tests once with LBAAS_UPDATE_GOLDEN=1 and review it.");
        Assert.Equal(File.ReadAllText(expectedPath), actual);
    }
}
