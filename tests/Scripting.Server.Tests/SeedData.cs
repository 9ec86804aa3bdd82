namespace Scripting.Server.Tests;

/// <summary>The 12 `home` lines of the seed walkthrough, exactly as written there.</summary>
public static class SeedData
{
    public const string Home = """
        home,room=Living\ Room temp=21.1,hum=35.9,co=0i 1742198400
        home,room=Kitchen temp=21.0,hum=35.9,co=0i 1742198400
        home,room=Living\ Room temp=21.4,hum=35.9,co=0i 1742202000
        home,room=Kitchen temp=23.0,hum=36.2,co=0i 1742202000
        home,room=Living\ Room temp=21.8,hum=36.0,co=0i 1742205600
        home,room=Kitchen temp=22.7,hum=36.1,co=0i 1742205600
        home,room=Living\ Room temp=22.2,hum=36.0,co=0i 1742209200
        home,room=Kitchen temp=22.4,hum=36.0,co=0i 1742209200
        home,room=Living\ Room temp=22.2,hum=35.9,co=0i 1742212800
        home,room=Kitchen temp=22.5,hum=36.0,co=0i 1742212800
        home,room=Living\ Room temp=22.4,hum=36.0,co=0i 1742216400
        home,room=Kitchen temp=22.8,hum=36.5,co=1i 1742216400
        """;
}
