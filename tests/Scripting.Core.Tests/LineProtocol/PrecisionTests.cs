using Scripting.Core.LineProtocol;

namespace Scripting.Core.Tests.LineProtocol;

public sealed class PrecisionTests
{
    [Theory]
    [InlineData("auto", true, Precision.Auto)]
    [InlineData("s", true, Precision.Second)]
    [InlineData("second", true, Precision.Second)]
    [InlineData("ms", true, Precision.Millisecond)]
    [InlineData("millisecond", true, Precision.Millisecond)]
    [InlineData("us", true, Precision.Microsecond)]
    [InlineData("u", false, Precision.Microsecond)]
    [InlineData("microsecond", true, Precision.Microsecond)]
    [InlineData("ns", true, Precision.Nanosecond)]
    [InlineData("n", false, Precision.Nanosecond)]
    [InlineData(null, true, Precision.Auto)]
    [InlineData(null, false, Precision.Nanosecond)]
    public void TryParse_KnownName_ReturnsPrecision(string? name, bool allowAuto, Precision expected)
    {
        PrecisionNames.TryParse(name, allowAuto, out var precision).ShouldBeTrue();
        precision.ShouldBe(expected);
    }

    [Theory]
    [InlineData("auto", false)]
    [InlineData("h", true)]
    [InlineData("minutes", true)]
    public void TryParse_UnknownName_Fails(string name, bool allowAuto) =>
        PrecisionNames.TryParse(name, allowAuto, out _).ShouldBeFalse();

    [Theory]
    [InlineData(1742198400L, Precision.Second)]
    [InlineData(-1742198400L, Precision.Second)]
    [InlineData(1742198400123L, Precision.Millisecond)]
    [InlineData(1742198400123456L, Precision.Microsecond)]
    [InlineData(1742198400123456789L, Precision.Nanosecond)]
    [InlineData(long.MinValue, Precision.Nanosecond)]
    public void Resolve_Magnitude_PicksUnit(long timestamp, Precision expected) =>
        PrecisionNames.Resolve(timestamp).ShouldBe(expected);
}
