using Scripting.Server.Hosting;

namespace Scripting.Server.Tests;

public sealed class MemorySizeTests
{
    [Theory]
    [InlineData("512MiB", 512L * 1024 * 1024)]
    [InlineData("2GB", 2_000_000_000L)]
    [InlineData("1.5 GiB", 1536L * 1024 * 1024)]
    [InlineData("1048576", 1_048_576L)]
    [InlineData("64kb", 64_000L)]
    public void Parse_SizesWithUnits(string text, long bytes) =>
        MemorySize.Parse(text, "--plugin-memory-limit").ShouldBe(bytes);

    [Fact]
    public void Parse_ShareOfMemory_AndNone()
    {
        var total = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        MemorySize.Parse("50%", "--plugin-memory-limit").ShouldBe(total / 2);
        MemorySize.Parse("none", "--plugin-memory-limit").ShouldBeNull();
    }

    [Theory]
    [InlineData("lots")]
    [InlineData("-5MB")]
    [InlineData("0")]
    [InlineData("150%")]
    [InlineData("12 parsecs")]
    public void Parse_Nonsense_SaysWhichFlagAndWhatItTakes(string text) =>
        Should.Throw<ArgumentException>(() => MemorySize.Parse(text, "--plugin-memory-limit"))
            .Message.ShouldStartWith($"invalid --plugin-memory-limit '{text}': ");
}
