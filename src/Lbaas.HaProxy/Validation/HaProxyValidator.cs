using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Lbaas.HaProxy.Validation;

/// <summary>
/// Runs <c>haproxy -c -f file</c>, so no text reaches the live file before HAProxy itself has
/// accepted it. Note what it cannot see: a port already bound by another process, or more
/// descriptors than the limit allows, pass <c>-c</c> and still fail the reload.
/// </summary>
/// <param name="options">Where haproxy is and how long a check may take.</param>
/// <param name="time">Times the check (<see cref="HaProxyValidatorOptions.Timeout"/>); the system clock when null.</param>
public sealed partial class HaProxyValidator(HaProxyValidatorOptions options, TimeProvider? time = null)
{
    // "[ALERT]    (14130) : config : ..." — the pid changes on every run and says nothing to a user.
    [GeneratedRegex(@"^\[(?<level>ALERT|WARNING)\]\s+\(\d+\)\s*:\s*", RegexOptions.CultureInvariant)]
    private static partial Regex LevelPrefix();

    public HaProxyValidator()
        : this(new HaProxyValidatorOptions())
    {
    }

    /// <summary>Checks a configuration file where it is.</summary>
    public async Task<ValidationResult> ValidateFileAsync(string configPath, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(configPath);
        var start = new ProcessStartInfo(options.BinaryPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-c", "-f", configPath })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            return Invalid(null, $"[ALERT] cannot run {options.BinaryPath}: {e.Message}");
        }

        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var limit = new CancellationTokenSource(options.Timeout, time ?? TimeProvider.System);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Never leave a checker behind, whether we timed out or the caller gave up.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            await Task.WhenAll(stdout, stderr);
            cancellationToken.ThrowIfCancellationRequested();
            return Invalid(null, $"[ALERT] haproxy -c did not finish within {options.Timeout.TotalSeconds:0.###} s and was killed.");
        }

        var output = (await stderr) + (await stdout);
        var alerts = new List<string>();
        var warnings = new List<string>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var match = LevelPrefix().Match(line);
            if (!match.Success)
            {
                continue;
            }
            var level = match.Groups["level"].Value;
            (level == "ALERT" ? alerts : warnings).Add($"[{level}] {line[match.Length..]}");
        }
        var valid = process.ExitCode == 0;
        if (!valid && alerts.Count == 0)
        {
            // Some failures (a missing file, a bad argument) print no [ALERT]; keep whatever was said.
            alerts.Add($"[ALERT] haproxy -c exited with {process.ExitCode}: {output.Trim()}");
        }
        return new ValidationResult(valid, process.ExitCode, alerts, warnings, output);
    }

    /// <summary>
    /// Checks configuration text through a private temporary file, removed afterwards; for dry
    /// runs and previews that must not touch the live file.
    /// </summary>
    public async Task<ValidationResult> ValidateTextAsync(string configText, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configText);
        var directory = Directory.CreateDirectory(Path.Combine(options.WorkDirectory ?? Path.GetTempPath(), "lbaas-check-" + Guid.NewGuid().ToString("N")));
        try
        {
            var path = Path.Combine(directory.FullName, "haproxy.cfg");
            await File.WriteAllTextAsync(path, configText, new UTF8Encoding(false), cancellationToken);
            return await ValidateFileAsync(path, cancellationToken);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static ValidationResult Invalid(int? exitCode, string alert) => new(false, exitCode, [alert], [], alert);
}
