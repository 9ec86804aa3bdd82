using Microsoft.Extensions.Time.Testing;
using Scripting.Core.Time;

namespace Scripting.Core.Tests.Time;

public sealed class UnixNanosecondsTests
{
    [Fact]
    public void Instants_AreNanosecondsSinceTheEpoch_WhateverTheirOffset()
    {
        UnixNanoseconds.From(DateTimeOffset.UnixEpoch.AddTicks(15_000_001)).ShouldBe(1_500_000_100L);
        UnixNanoseconds.From(new DateTimeOffset(2024, 1, 1, 9, 0, 0, TimeSpan.FromHours(1))).ShouldBe(1_704_096_000_000_000_000L);
        UnixNanoseconds.From(new DateTime(2024, 1, 1, 8, 0, 0, DateTimeKind.Unspecified)).ShouldBe(1_704_096_000_000_000_000L);
        UnixNanoseconds.Now(new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddSeconds(2))).ShouldBe(2_000_000_000L);
    }
}
