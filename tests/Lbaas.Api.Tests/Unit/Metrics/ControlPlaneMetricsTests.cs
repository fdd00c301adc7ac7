using Lbaas.Api.LoadBalancers;
using Lbaas.Api.Metrics;
using Lbaas.HaProxy.Applying;

namespace Lbaas.Api.Tests.Unit.Metrics;

public sealed class ControlPlaneMetricsTests
{
    private readonly Registry _registry = new();
    private readonly ManualTime _time = new();
    private readonly ControlPlaneMetrics _metrics;

    public ControlPlaneMetricsTests() => _metrics = new ControlPlaneMetrics(_registry.Factory, _time);

    private LoadBalancer Lb(long id, long revision, long applied, double secondsAgo) => new()
    {
        Id = id,
        Name = $"lb{id}",
        BindAddress = "127.0.0.1",
        Revision = revision,
        UpdatedAt = _time.Now.AddSeconds(-secondsAgo),
        Status = new LoadBalancerStatus { AppliedRevision = applied },
    };

    [Fact]
    public async Task Record_RuntimeRefusedThenReloaded_CountsTheCommandsAsFailedAndOneSuccessfulReload()
    {
        _metrics.Record(new ApplyResult
        {
            Outcome = ApplyOutcome.Reloaded,
            Message = "",
            Path = ApplyPath.Reload,
            Reloaded = true,
            ReloadAttempted = true,
            RuntimeCommands = 4,
            Duration = TimeSpan.FromMilliseconds(300),
        }, [Lb(1, 5, 4, 1)]);

        var exposition = await _registry.ExportAsync();
        Assert.Equal(4, exposition.Value("lbaas_runtime_commands_total", ("result", "failure")));
        Assert.Equal(0, exposition.Value("lbaas_runtime_commands_total", ("result", "success")));
        Assert.Equal(1, exposition.Value("lbaas_runtime_fallbacks_total"));
        Assert.Equal(1, exposition.Value("lbaas_haproxy_reloads_total", ("result", "success")));
        Assert.Equal(0, exposition.Value("lbaas_haproxy_reloads_total", ("result", "failure")));
        Assert.Equal(1, exposition.Value("lbaas_applies_total", ("path", "reload"), ("result", "success"), ("outcome", "reloaded")));
        Assert.Equal(0.3, exposition.Value("lbaas_apply_duration_seconds_sum", ("path", "reload")));
        Assert.Equal(1, exposition.Value("lbaas_convergence_seconds_count"));
        Assert.Equal(1, exposition.Value("lbaas_convergence_seconds_sum"));
    }

    [Fact]
    public async Task Record_RuntimeApplied_CountsTheCommandsAsSucceededAndNoReload()
    {
        _metrics.Record(new ApplyResult { Outcome = ApplyOutcome.RuntimeApplied, Message = "", Path = ApplyPath.Runtime, RuntimeCommands = 3 }, [Lb(1, 5, 4, 1)]);

        var exposition = await _registry.ExportAsync();
        Assert.Equal(3, exposition.Value("lbaas_runtime_commands_total", ("result", "success")));
        Assert.Equal(0, exposition.Value("lbaas_runtime_fallbacks_total"));
        Assert.Equal(0, exposition.Value("lbaas_haproxy_reloads_total", ("result", "success")));
    }

    [Fact]
    public async Task Record_ReloadRefusedByHaProxy_IsAFailedReloadAndAFailedApply()
    {
        _metrics.Record(new ApplyResult { Outcome = ApplyOutcome.ReloadFailed, Message = "", ReloadAttempted = true }, [Lb(1, 5, 4, 1)]);

        var exposition = await _registry.ExportAsync();
        Assert.Equal(1, exposition.Value("lbaas_haproxy_reloads_total", ("result", "failure")));
        Assert.Equal(1, exposition.Value("lbaas_applies_total", ("path", "reload"), ("result", "failure"), ("outcome", "reload_failed")));
        Assert.Equal(0, exposition.Value("lbaas_convergence_seconds_count"));
    }

    [Fact]
    public async Task Update_ChangeNotLive_LagGrowsWithTimeUntilAnApplyMakesItLive()
    {
        var lb = Lb(1, 5, 4, 10);
        _metrics.Record(new ApplyResult { Outcome = ApplyOutcome.HaProxyUnavailable, Message = "" }, [lb]);
        _time.Now = _time.Now.AddSeconds(20);
        _metrics.Update();

        var stuck = await _registry.ExportAsync();
        Assert.Equal(30, stuck.Value("lbaas_convergence_lag_seconds"));
        Assert.Equal(5, stuck.Value("lbaas_desired_revision"));
        Assert.Equal(4, stuck.Value("lbaas_applied_revision"));

        _metrics.Record(new ApplyResult { Outcome = ApplyOutcome.Reloaded, Message = "", Path = ApplyPath.Reload, Reloaded = true, ReloadAttempted = true }, [lb]);

        var live = await _registry.ExportAsync();
        Assert.Equal(0, live.Value("lbaas_convergence_lag_seconds"));
        Assert.Equal(5, live.Value("lbaas_applied_revision"));
        Assert.Equal(30, live.Value("lbaas_convergence_seconds_sum"));
    }

    [Fact]
    public async Task Record_NewWritesWhileNotLive_DoNotRestartTheLag()
    {
        _metrics.Record(new ApplyResult { Outcome = ApplyOutcome.PortsUnavailable, Message = "" }, [Lb(1, 5, 4, 10)]);
        _time.Now = _time.Now.AddSeconds(50);
        // Automation writes again; its change fails to go live too.
        _metrics.Record(new ApplyResult { Outcome = ApplyOutcome.PortsUnavailable, Message = "" }, [Lb(1, 6, 4, 1)]);

        var stuck = await _registry.ExportAsync();
        Assert.Equal(60, stuck.Value("lbaas_convergence_lag_seconds"));

        _metrics.Record(new ApplyResult { Outcome = ApplyOutcome.Reloaded, Message = "", Path = ApplyPath.Reload, Reloaded = true, ReloadAttempted = true }, [Lb(1, 6, 4, 1)]);

        var live = await _registry.ExportAsync();
        Assert.Equal(0, live.Value("lbaas_convergence_lag_seconds"));
        Assert.Equal(60, live.Value("lbaas_convergence_seconds_sum"));
    }

    private sealed class ManualTime : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
