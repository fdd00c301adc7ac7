using System.Diagnostics;

namespace Lbaas.Testing;

public static class ProcessKill
{
    /// <summary>SIGKILL to the process and everything it started, then waits for it: a crash, not a shutdown.</summary>
    public static async Task KillTreeAsync(this Process? process)
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
