using System.Runtime.Versioning;

// The launcher drives a real HAProxy over unix sockets and signals: Linux only.
[assembly: SupportedOSPlatform("linux")]
