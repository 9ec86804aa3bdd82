namespace Scripting.Server.Tests;

/// <summary>The 12 `home` lines of the seed walkthrough, exactly as written there (tests/cases/seed-home.lp).</summary>
public static class SeedData
{
    public static readonly string Home = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "cases", "seed-home.lp"));
}
