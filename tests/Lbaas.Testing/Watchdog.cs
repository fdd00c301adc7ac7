using System.Diagnostics;

namespace Lbaas.Testing;

/// <summary>
/// The test host can be killed as soon as the tests finish, before any exit handler runs: one
/// detached shell per test process waits for it to end and then runs every clean-up registered
/// here, so no PostgreSQL or HAProxy outlives the test run.
/// </summary>
public static class Watchdog
{
    private static readonly Lock s_lock = new();
    private static string? s_script;

    public static void RunWhenThisProcessEnds(string shellCleanup)
    {
        lock (s_lock)
        {
            if (s_script is null)
            {
                s_script = Path.Combine(Path.GetTempPath(), $"lbaas-watchdog-{Environment.ProcessId}.sh");
                File.WriteAllText(s_script, "");
                Start($"exec >/dev/null 2>&1 </dev/null; while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 1; done; bash '{s_script}'; rm -f '{s_script}'");
            }
            // In the background, all at once: clean-ups of things disposed long ago find nothing and end at once.
            File.AppendAllText(s_script, $"{{ {shellCleanup}; }} &\n");
        }
    }

    private static void Start(string script)
    {
        var watcher = new ProcessStartInfo("setsid") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])["bash", "-c", script])
        {
            watcher.ArgumentList.Add(arg);
        }
        Process.Start(watcher)?.Dispose();
    }
}
