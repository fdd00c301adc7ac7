using Lbaas.Api.Signals;

namespace Lbaas.Api.Rollouts;

/// <summary>Wakes the runner when a rollout is started or asked to roll back; wake-ups coalesce.</summary>
public sealed class RolloutSignal : WakeUp;
