namespace Lbaas.Testing;

/// <summary>A private directory under /tmp, removed on dispose. Short, so unix socket paths stay under 108 bytes.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix = "lbaas-") => Path = Directory.CreateTempSubdirectory(prefix).FullName;

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A socket file still being closed; /tmp is cleaned anyway.
        }
    }
}
