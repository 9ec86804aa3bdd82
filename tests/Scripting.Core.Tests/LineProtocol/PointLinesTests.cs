using Scripting.Core.LineProtocol;

namespace Scripting.Core.Tests.LineProtocol;

public sealed class PointLinesTests
{
    [Fact]
    public void LinesOfOnePoint_BecomeOneLine_AtTheFirstPlace_LaterFieldsWinning()
    {
        PointLines.Merge(["m,host=a x=1,y=1 100", "other v=1i 100", "m,host=a y=2,z=\"a b,c=d\" 100", "m,host=a x=3 100"])
            .ShouldBe(["m,host=a x=3,y=2,z=\"a b,c=d\" 100", "other v=1i 100"]);
    }

    [Fact]
    public void TagOrderDoesNotMatter_ButEveryTagAndTheTimeDo()
    {
        PointLines.Merge(["m,a=1,b=2 x=1 100", "m,b=2,a=1 y=2 100", "m,a=1 x=5 100", "m,a=1,b=2 x=6 101"])
            .ShouldBe(["m,a=1,b=2 x=1,y=2 100", "m,a=1 x=5 100", "m,a=1,b=2 x=6 101"]);
    }

    [Fact]
    public void LinesWithoutTimestamp_OrThatDoNotParse_StayAsTheyAre()
    {
        PointLines.Merge(["m x=1", "m x=2", "m x=", "m x="]).ShouldBe(["m x=1", "m x=2", "m x=", "m x="]);
    }

    [Fact]
    public void EscapedSpacesAndCommas_AreNotSeparators()
    {
        PointLines.Merge(["m,room=Living\\ Room f\\,k=1,g=\"q\\\"x\" 5", "m,room=Living\\ Room g=\"y\" 5"])
            .ShouldBe(["m,room=Living\\ Room f\\,k=1,g=\"y\" 5"]);
    }
}
