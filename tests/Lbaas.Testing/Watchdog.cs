using System.Diagnostics;

namespace Lbaas.Testing;

/// <summary>
/// The test host can be killed as soon as the tests finish, before any exit handler runs: one
/// detached shell per test process waits for it to end and then runs every clean-up registered
/// here, so no PostgreSQL or HAProxy outlives the test run.
/// </summary>
public static class Watchdog
{
    private static readonly Lock Gate = new();
    private static string? _script;

    public static void RunWhenThisProcessEnds(string shellCleanup)
    {
        lock (Gate)
        {
            if (_script is null)
            {
                _script = Path.Combine(Path.GetTempPath(), $"lbaas-watchdog-{Environment.ProcessId}.sh");
                File.WriteAllText(_script, "");
                Start($"exec >/dev/null 2>&1 </dev/null; while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 1; done; bash '{_script}'; rm -f '{_script}'");
            }
            // In the background, all at once: clean-ups of things disposed long ago find nothing and end at once.
            File.AppendAllText(_script, $"{{ {shellCleanup}; }} &\n");
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
