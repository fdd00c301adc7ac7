using Lbaas.HaProxy.Config;

namespace Lbaas.Testing;

/// <summary>
/// The HAProxy config model records as tests build them: what a record requires, filled the same
/// way everywhere; a test sets the rest with <c>with</c>.
/// </summary>
public static class Models
{
    /// <summary>Fixed paths, so rendered text is stable (the golden files hold them); nothing is read or written there.</summary>
    public static GlobalSettings Global { get; } = new()
    {
        AdminSocketPath = "/run/lbaas/admin.sock",
        ServerStateFile = "/var/lib/lbaas/server-state",
    };

    public static ConfigModel Model(params LoadBalancerModel[] loadBalancers) => new() { Global = Global, LoadBalancers = loadBalancers };

    /// <summary>lb_<paramref name="id"/>, http on 127.0.0.1:<paramref name="port"/>.</summary>
    public static LoadBalancerModel Lb(long id, int port, params ServerModel[] servers) => new() { Id = id, BindAddress = "127.0.0.1", Port = port, Servers = servers };

    /// <summary>lb_<paramref name="id"/> over test backends (b_1, b_2, … in their order), <see cref="Checked"/>.</summary>
    public static LoadBalancerModel LbOver(long id, int port, params TestBackend[] backends) => Lb(id, port, Servers(backends)).Checked();

    /// <summary>b_<paramref name="id"/> at <paramref name="host"/>:<paramref name="port"/>.</summary>
    public static ServerModel Server(long id, int port, int weight = 1, ServerAdminState state = ServerAdminState.Enabled, string host = "127.0.0.1") =>
        new() { Id = id, Host = host, Port = port, Weight = weight, AdminState = state };

    /// <summary>b_<paramref name="id"/> at a test backend.</summary>
    public static ServerModel Server(long id, TestBackend backend, int weight = 1, ServerAdminState state = ServerAdminState.Enabled) =>
        Server(id, backend.Port, weight, state);

    /// <summary>b_1, b_2, … at the backends, in their order.</summary>
    public static ServerModel[] Servers(params TestBackend[] backends) => backends.Select((b, i) => Server(i + 1, b)).ToArray();

    /// <summary>
    /// HTTP checks of <see cref="TestBackend.HealthPath"/> every 200 ms, up after <paramref name="rise"/>
    /// good ones and down after one bad: a test sees a server change state within a second.
    /// </summary>
    public static LoadBalancerModel Checked(this LoadBalancerModel lb, int rise = 1) => lb with
    {
        HealthCheck = new HealthCheckModel { Kind = HealthCheckKind.Http, Path = TestBackend.HealthPath, IntervalMs = 200, TimeoutMs = 1_000, Rise = rise, Fall = 1 },
    };
}
