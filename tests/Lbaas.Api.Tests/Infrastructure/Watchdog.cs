using System.Diagnostics;

namespace Lbaas.Api.Tests.Infrastructure;

/// <summary>
/// The test host can be killed as soon as the tests finish, before any exit handler runs: a
/// detached shell waits for this process to end and then runs the clean-up, so no PostgreSQL or
/// HAProxy outlives the test run.
/// </summary>
public static class Watchdog
{
    public static void RunWhenThisProcessEnds(string shellCleanup)
    {
        var script = $"exec >/dev/null 2>&1 </dev/null; while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 1; done; {shellCleanup}";
        var watcher = new ProcessStartInfo("setsid") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])["bash", "-c", script])
        {
            watcher.ArgumentList.Add(arg);
        }
        Process.Start(watcher)?.Dispose();
    }
}
