using System.Diagnostics;
using Lbaas.HaProxy.Validation;

namespace Lbaas.HaProxy.Tests.Validation;

public sealed class HaProxyValidatorTests
{
    private const string ValidConfig = """
        defaults
            mode http
            timeout connect 1s
            timeout client 1s
            timeout server 1s
        frontend f1
            bind 127.0.0.1:1
            default_backend b1
        backend b1
            server s1 127.0.0.1:9001

        """;

    private static HaProxyValidator Validator(TimeSpan? timeout = null) =>
        new(new HaProxyValidatorOptions { BinaryPath = HaProxyBinary.Require(), Timeout = timeout ?? TimeSpan.FromSeconds(30) });

    [Fact]
    public async Task ValidateText_ValidConfig_IsValid()
    {
        var result = await Validator().ValidateTextAsync(ValidConfig);

        Assert.True(result.IsValid, result.Output);
        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Alerts);
        Assert.Equal("", result.Message);
    }

    [Fact]
    public async Task ValidateText_UnknownServerKeyword_IsInvalidWithHaProxysOwnAlert()
    {
        var result = await Validator().ValidateTextAsync(ValidConfig.Replace("127.0.0.1:9001", "127.0.0.1:9001 drain", StringComparison.Ordinal));

        Assert.False(result.IsValid);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(result.Alerts, a => a.Contains("'server b1/s1' : unknown keyword 'drain'", StringComparison.Ordinal));
        Assert.All(result.Alerts, a => Assert.StartsWith("[ALERT] ", a, StringComparison.Ordinal));
        Assert.DoesNotContain("(", result.Message.Split(':')[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateText_Warning_IsValidAndKeepsTheWarning()
    {
        var result = await Validator().ValidateTextAsync(ValidConfig + "frontend f2\n    mode tcp\n    bind 127.0.0.1:2\n    option idle-close-on-response\n    default_backend b1\n");

        Assert.True(result.IsValid, result.Output);
        Assert.Contains(result.Warnings, w => w.StartsWith("[WARNING] ", StringComparison.Ordinal) && w.Contains("idle-close-on-response", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ValidateText_NoListenerAtAll_IsInvalidBecauseHaProxyWouldNotStart()
    {
        // haproxy -c exits 2 without an [ALERT]; the rendered file always has the admin socket as a listener.
        var result = await Validator().ValidateTextAsync(ValidConfig.Replace("frontend f1\n    bind 127.0.0.1:1\n    default_backend b1\n", "", StringComparison.Ordinal));

        Assert.False(result.IsValid);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no listener", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateText_LeavesNoTemporaryFiles()
    {
        using var work = new TempDirectory();
        var validator = new HaProxyValidator(new HaProxyValidatorOptions { BinaryPath = HaProxyBinary.Require(), WorkDirectory = work.Path });

        var valid = await validator.ValidateTextAsync(ValidConfig);
        var invalid = await validator.ValidateTextAsync("bogus\n");

        Assert.True(valid.IsValid);
        Assert.False(invalid.IsValid);
        Assert.Empty(Directory.GetFileSystemEntries(work.Path));
    }

    [Fact]
    public async Task ValidateFile_MissingFile_IsInvalidWithAReason()
    {
        var result = await Validator().ValidateFileAsync("/nonexistent/haproxy.cfg");

        Assert.False(result.IsValid);
        Assert.NotEmpty(result.Message);
    }

    [Fact]
    public async Task ValidateFile_MissingBinary_IsInvalidAndSaysWhy()
    {
        var validator = new HaProxyValidator(new HaProxyValidatorOptions { BinaryPath = "/nonexistent/haproxy" });

        var result = await validator.ValidateTextAsync(ValidConfig);

        Assert.False(result.IsValid);
        Assert.Contains("/nonexistent/haproxy", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateFile_CheckerHangs_IsKilledAtTheTimeout()
    {
        using var directory = new TempDirectory();
        var pidFile = directory.File("pid");
        var hanging = directory.File("fake-haproxy");
        await File.WriteAllTextAsync(hanging, $"#!/bin/sh\necho $$ > {pidFile}\nexec sleep 60\n");
        File.SetUnixFileMode(hanging, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var validator = new HaProxyValidator(new HaProxyValidatorOptions { BinaryPath = hanging, Timeout = TimeSpan.FromMilliseconds(500) });
        var clock = new Stopwatch();

        // Another test forking at the moment the script was written holds it open until its exec
        // (ETXTBSY, "Text file busy"): that says nothing about the validator, so try again.
        var result = await Eventually.Until(
            () =>
            {
                clock.Restart();
                return validator.ValidateFileAsync(directory.File("haproxy.cfg"));
            },
            r => !r.Message.Contains("cannot run", StringComparison.Ordinal),
            "the fake checker to start");

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10));
        Assert.False(result.IsValid);
        Assert.Contains("killed", result.Message, StringComparison.Ordinal);
        var pid = int.Parse(await File.ReadAllTextAsync(pidFile), System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(Directory.Exists($"/proc/{pid}"), $"process {pid} still runs");
    }
}
