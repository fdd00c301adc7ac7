using System.Runtime.InteropServices;

namespace Lbaas.HaProxy.Writing;

/// <summary>
/// The three libc calls .NET does not expose: a rename is only durable once the directory that
/// holds the name is fsynced, and .NET cannot open a directory as a file.
/// </summary>
internal static partial class LibC
{
    // O_DIRECTORY differs between x86-64 and arm64, and O_RDONLY alone opens a directory;
    // these two have the same value on both.
    private const int ORdOnly = 0x0000;
    private const int OCloExec = 0x80000;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    /// <summary>Flushes a directory's entries (creations, renames) to disk.</summary>
    public static void FSyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            // Only Linux is deployed; elsewhere (a developer's laptop) the rename alone must do.
            return;
        }
        var fd = Open(directory, ORdOnly | OCloExec);
        if (fd < 0)
        {
            throw new IOException($"open({directory}) failed: {Marshal.GetLastPInvokeErrorMessage()}");
        }
        try
        {
            if (FSync(fd) != 0)
            {
                throw new IOException($"fsync({directory}) failed: {Marshal.GetLastPInvokeErrorMessage()}");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }
}
