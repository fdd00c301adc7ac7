using System.ComponentModel;
using System.Diagnostics;

namespace Lbaas.Api.Tests.Infrastructure;

/// <summary>
/// Prometheus' own checker, <c>promtool check metrics</c>: it parses a whole exposition with the
/// parser Prometheus scrapes with, and lints names, types and HELP. Debian package
/// <c>prometheus</c>; deploy/local/test.sh installs it. Missing, it fails the test: a metrics test
/// that passes without its parser proves nothing.
/// </summary>
public static class PromTool
{
    public const string Binary = "promtool";

    /// <summary>The exit code and what promtool printed (parse errors, lint findings), one finding per line.</summary>
    public static async Task<(int ExitCode, IReadOnlyList<string> Findings)> CheckMetricsAsync(string exposition)
    {
        var start = new ProcessStartInfo(Binary, ["check", "metrics"])
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
            await process.StandardInput.WriteAsync(exposition.AsMemory(), timeout.Token);
            process.StandardInput.Close();
            await process.WaitForExitAsync(timeout.Token);
            var findings = ((await output) + (await errors)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return (process.ExitCode, findings);
        }
    }
}
