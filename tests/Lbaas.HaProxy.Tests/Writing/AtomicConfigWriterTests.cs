using Lbaas.HaProxy.Writing;

namespace Lbaas.HaProxy.Tests.Writing;

public sealed class AtomicConfigWriterTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly AtomicConfigWriter _writer;

    public AtomicConfigWriterTests() => _writer = new AtomicConfigWriter(_directory.File("haproxy.cfg"));

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Write_NewFile_HasExactlyTheText()
    {
        await _writer.WriteAsync("global\n    maxconn 10\n");

        Assert.Equal("global\n    maxconn 10\n", await File.ReadAllTextAsync(_writer.ConfigPath));
        Assert.Equal("global\n    maxconn 10\n", await _writer.ReadAsync());
    }

    [Fact]
    public async Task Write_ExistingFile_IsReplacedWholeAndKeepsItsPermissions()
    {
        await _writer.WriteAsync(new string('x', 100_000));
        File.SetUnixFileMode(_writer.ConfigPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);

        await _writer.WriteAsync("short\n");

        Assert.Equal("short\n", await File.ReadAllTextAsync(_writer.ConfigPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(_writer.ConfigPath));
    }

    [Fact]
    public async Task Write_Many_LeavesNoTemporaryFiles()
    {
        for (var i = 0; i < 20; i++)
        {
            await _writer.WriteAsync($"revision {i}\n");
        }

        Assert.Equal(["haproxy.cfg"], Directory.GetFiles(_directory.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Write_WithoutBom_StartsWithTheText()
    {
        await _writer.WriteAsync("global\n");

        Assert.Equal((byte)'g', (await File.ReadAllBytesAsync(_writer.ConfigPath))[0]);
    }

    [Fact]
    public async Task Write_DoesNotTouchLastGood()
    {
        await _writer.WriteAsync("good\n");
        await _writer.MarkGoodAsync();

        await _writer.WriteAsync("new\n");

        Assert.Equal("good\n", await File.ReadAllTextAsync(_writer.LastGoodPath));
        Assert.Equal(_directory.File("haproxy.cfg.last-good"), _writer.LastGoodPath);
    }

    [Fact]
    public async Task RestoreLastGood_AfterABadWrite_PutsTheGoodTextBack()
    {
        await _writer.WriteAsync("good\n");
        await _writer.MarkGoodAsync();
        await _writer.WriteAsync("bad\n");

        Assert.True(await _writer.RestoreLastGoodAsync());

        Assert.Equal("good\n", await File.ReadAllTextAsync(_writer.ConfigPath));
        Assert.Equal(["haproxy.cfg", "haproxy.cfg.last-good"], Directory.GetFiles(_directory.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task RestoreLastGood_NoneYet_ReturnsFalseAndChangesNothing()
    {
        await _writer.WriteAsync("first\n");

        Assert.False(await _writer.RestoreLastGoodAsync());
        Assert.Equal("first\n", await File.ReadAllTextAsync(_writer.ConfigPath));
    }

    [Fact]
    public async Task MarkGood_NoFile_Throws()
    {
        await Assert.ThrowsAsync<FileNotFoundException>(() => _writer.MarkGoodAsync());
    }

    [Fact]
    public async Task Write_MissingDirectory_ThrowsAndLeavesNothing()
    {
        var nowhere = new AtomicConfigWriter(_directory.File("missing/haproxy.cfg"));

        await Assert.ThrowsAnyAsync<IOException>(() => nowhere.WriteAsync("x\n"));
        Assert.Empty(Directory.GetFileSystemEntries(_directory.Path));
    }
}
