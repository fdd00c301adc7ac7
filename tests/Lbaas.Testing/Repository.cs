namespace Lbaas.Testing;

public static class Repository
{
    /// <summary>The checkout the tests run from: the directory above the test output that holds Lbaas.sln.</summary>
    public static string Root => Found.Value;

    private static readonly Lazy<string> Found = new(Find);

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Lbaas.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Lbaas.sln not found above " + AppContext.BaseDirectory);
    }
}
