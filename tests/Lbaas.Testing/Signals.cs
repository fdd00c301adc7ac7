using System.Runtime.InteropServices;

namespace Lbaas.Testing;

internal static partial class Signals
{
    private const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    /// <summary>SIGTERM: the HAProxy master stops its workers, reaps them, then exits; its supervisor passes it on and does not restart it.</summary>
    public static void Terminate(int pid) => _ = Kill(pid, SigTerm);
}
