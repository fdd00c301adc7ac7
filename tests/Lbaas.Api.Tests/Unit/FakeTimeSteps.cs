using Microsoft.Extensions.Time.Testing;

namespace Lbaas.Api.Tests.Unit;

/// <summary>
/// Drives a background loop on <see cref="FakeTimeProvider"/>: the clock moves in small steps, and
/// between steps the loop gets a moment of real time to reach its next wait. The figures asserted
/// are fake time, so a slow machine makes a test slower, never wrong.
/// </summary>
internal static class FakeTimeSteps
{
    /// <summary>Real time the loop gets between two steps; bounded, and only ever a pause, never a figure.</summary>
    private static readonly TimeSpan LetRun = TimeSpan.FromMilliseconds(2);

    /// <summary>Advances until <paramref name="task"/> completes; fails when <paramref name="max"/> of fake time did not suffice.</summary>
    public static async Task<T> AdvanceUntilAsync<T>(this FakeTimeProvider time, Task<T> task, TimeSpan step, TimeSpan max)
    {
        for (var advanced = TimeSpan.Zero; ; advanced += step)
        {
            if (await Task.WhenAny(task, Task.Delay(LetRun)) == task)
            {
                return await task;
            }
            Assert.True(advanced < max, $"nothing happened within {max.TotalMilliseconds} ms of fake time");
            time.Advance(step);
        }
    }

    public static async Task AdvanceUntilAsync(this FakeTimeProvider time, Task task, TimeSpan step, TimeSpan max) =>
        await time.AdvanceUntilAsync(task.ContinueWith(_ => true, TaskScheduler.Default), step, max);

    /// <summary>Advances by <paramref name="total"/> in steps, letting the loop run after each.</summary>
    public static async Task AdvanceByAsync(this FakeTimeProvider time, TimeSpan total, TimeSpan step)
    {
        for (var advanced = TimeSpan.Zero; advanced < total; advanced += step)
        {
            time.Advance(step);
            await Task.Delay(LetRun);
        }
    }
}
