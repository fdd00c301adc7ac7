using Lbaas.HaProxy.Writing;

namespace Lbaas.HaProxy.Tests.Writing;

public sealed class AtomicConfigWriterTests : IDisposable
{
    private readonly TempDirectory directory = new();
    private readonly AtomicConfigWriter writer;

    public AtomicConfigWriterTests() => writer = new AtomicConfigWriter(directory.File("haproxy.cfg"));

    public void Dispose() => directory.Dispose();

    [Fact]
    public async Task Write_NewFile_HasExactlyTheText()
    {
        await writer.WriteAsync("global\n    maxconn 10\n");

        Assert.Equal("global\n    maxconn 10\n", await File.ReadAllTextAsync(writer.ConfigPath));
        Assert.Equal("global\n    maxconn 10\n", await writer.ReadAsync());
    }

    [Fact]
    public async Task Write_ExistingFile_IsReplacedWholeAndKeepsItsPermissions()
    {
        await writer.WriteAsync(new string('x', 100_000));
        File.SetUnixFileMode(writer.ConfigPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);

        await writer.WriteAsync("short\n");

        Assert.Equal("short\n", await File.ReadAllTextAsync(writer.ConfigPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(writer.ConfigPath));
    }

    [Fact]
    public async Task Write_Many_LeavesNoTemporaryFiles()
    {
        for (var i = 0; i < 20; i++)
        {
            await writer.WriteAsync($"revision {i}\n");
        }

        Assert.Equal(["haproxy.cfg"], Directory.GetFiles(directory.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Write_WithoutBom_StartsWithTheText()
    {
        await writer.WriteAsync("global\n");

        Assert.Equal((byte)'g', (await File.ReadAllBytesAsync(writer.ConfigPath))[0]);
    }

    [Fact]
    public async Task Write_DoesNotTouchLastGood()
    {
        await writer.WriteAsync("good\n");
        await writer.MarkGoodAsync();

        await writer.WriteAsync("new\n");

        Assert.Equal("good\n", await File.ReadAllTextAsync(writer.LastGoodPath));
        Assert.Equal(directory.File("haproxy.cfg.last-good"), writer.LastGoodPath);
    }

    [Fact]
    public async Task RestoreLastGood_AfterABadWrite_PutsTheGoodTextBack()
    {
        await writer.WriteAsync("good\n");
        await writer.MarkGoodAsync();
        await writer.WriteAsync("bad\n");

        Assert.True(await writer.RestoreLastGoodAsync());

        Assert.Equal("good\n", await File.ReadAllTextAsync(writer.ConfigPath));
        Assert.Equal(["haproxy.cfg", "haproxy.cfg.last-good"], Directory.GetFiles(directory.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task RestoreLastGood_NoneYet_ReturnsFalseAndChangesNothing()
    {
        await writer.WriteAsync("first\n");

        Assert.False(await writer.RestoreLastGoodAsync());
        Assert.Equal("first\n", await File.ReadAllTextAsync(writer.ConfigPath));
    }

    [Fact]
    public async Task MarkGood_NoFile_Throws()
    {
        await Assert.ThrowsAsync<FileNotFoundException>(() => writer.MarkGoodAsync());
    }

    [Fact]
    public async Task Write_MissingDirectory_ThrowsAndLeavesNothing()
    {
        var nowhere = new AtomicConfigWriter(directory.File("missing/haproxy.cfg"));

        await Assert.ThrowsAnyAsync<IOException>(() => nowhere.WriteAsync("x\n"));
        Assert.Empty(Directory.GetFileSystemEntries(directory.Path));
    }
}
