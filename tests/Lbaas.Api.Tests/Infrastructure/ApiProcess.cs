using System.Diagnostics;

namespace Lbaas.Api.Tests.Infrastructure;

/// <summary>Runs the API's own build output as a separate process, the way up.sh does.</summary>
public static class ApiProcess
{
    public static async Task<(int ExitCode, string Output)> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(ApiDll());
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }

    /// <summary>src/Lbaas.Api/bin/&lt;configuration&gt;/net10.0/Lbaas.Api.dll, built with the tests (project reference).</summary>
    internal static string ApiDll()
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/'));
        var framework = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        var dll = Path.Combine(Repository.Root, "src", "Lbaas.Api", "bin", configuration, framework, "Lbaas.Api.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("Build src/Lbaas.Api first.", dll);
    }
}
