using System.Runtime.Versioning;

// These tests drive a real HAProxy over unix sockets: they run on Linux only.
[assembly: SupportedOSPlatform("linux")]
