using System.ComponentModel;
using System.Diagnostics;

namespace Lbaas.Api.Tests.Infrastructure;

/// <summary>
/// Prometheus' own checker. <c>promtool check metrics</c> parses a whole exposition with the
/// parser Prometheus scrapes with, and lints names, types and HELP; <c>promtool check rules</c>
/// parses PromQL. Debian package <c>prometheus</c>; deploy/local/test.sh installs it. Missing, it
/// fails the test: a metrics test that passes without its parser proves nothing.
/// </summary>
public static class PromTool
{
    public const string Binary = "promtool";

    /// <summary>The exit code and what promtool printed (parse errors, lint findings), one finding per line.</summary>
    public static Task<(int ExitCode, IReadOnlyList<string> Findings)> CheckMetricsAsync(string exposition) =>
        RunAsync(["check", "metrics"], exposition);

    /// <summary>
    /// <c>promtool check rules</c> on a rules file with these contents: it parses every rule's
    /// <c>expr</c> with Prometheus' PromQL parser. The exit code and what promtool printed (each
    /// rule that does not parse is named by its group and rule number).
    /// </summary>
    public static async Task<(int ExitCode, IReadOnlyList<string> Findings)> CheckRulesAsync(string rulesYaml)
    {
        var path = Path.Combine(Path.GetTempPath(), $"lbaas-rules-{Guid.NewGuid():N}.yml");
        await File.WriteAllTextAsync(path, rulesYaml);
        try
        {
            return await RunAsync(["check", "rules", path], stdin: null);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task<(int ExitCode, IReadOnlyList<string> Findings)> RunAsync(string[] arguments, string? stdin)
    {
        var start = new ProcessStartInfo(Binary, arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                $"{Binary} is not installed ({e.Message}). It comes with the Debian package 'prometheus': " +
                "apt-get install -y --no-install-recommends prometheus (deploy/local/test.sh installs it when missing).", e);
        }
        using (process)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var errors = process.StandardError.ReadToEndAsync(timeout.Token);
            if (stdin is not null)
            {
                await process.StandardInput.WriteAsync(stdin.AsMemory(), timeout.Token);
            }
            process.StandardInput.Close();
            await process.WaitForExitAsync(timeout.Token);
            var findings = ((await output) + (await errors)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return (process.ExitCode, findings);
        }
    }
}
