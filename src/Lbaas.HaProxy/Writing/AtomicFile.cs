using System.Text;

namespace Lbaas.HaProxy.Writing;

/// <summary>
/// Replaces a file so that a reader (HAProxy at reload, or after a crash) sees either the old
/// bytes or the new ones, never a mix: temp file in the same directory, fsync, rename, fsync
/// the directory.
/// </summary>
public static class AtomicFile
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static async Task WriteAllTextAsync(string path, string text, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(text);
        var target = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(target)!;
        // Same directory, so the rename stays on one filesystem and is atomic; a leading dot
        // keeps it out of globs such as *.cfg.
        var temp = Path.Combine(directory, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous);
            await using (stream)
            {
                await stream.WriteAsync(Utf8.GetBytes(text), cancellationToken);
                stream.Flush(flushToDisk: true);
            }
            if (!OperatingSystem.IsWindows() && File.Exists(target))
            {
                // Keep the permissions an operator gave the file (e.g. readable by the haproxy user).
                File.SetUnixFileMode(temp, File.GetUnixFileMode(target));
            }
            File.Move(temp, target, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
        LibC.FSyncDirectory(directory);
    }
}
