namespace Lbaas.HaProxy.Tests.Support;

/// <summary>A private directory under /tmp, removed on dispose. Short, so unix socket paths stay under 108 bytes.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Path = Directory.CreateTempSubdirectory("lbaas-").FullName;

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
