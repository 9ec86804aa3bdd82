using System.Text.Json;
using Scripting.Core.Plugins;
using Scripting.Core.Triggers;

namespace Scripting.Core.Tests.Triggers;

public sealed class TriggerSpecificationTests
{
    [Theory]
    [InlineData("table:home", EntryPoints.ProcessWrites)]
    [InlineData("all_tables", EntryPoints.ProcessWrites)]
    [InlineData("every:10s", EntryPoints.ProcessScheduledCall)]
    [InlineData("cron:0 0 * * *", EntryPoints.ProcessScheduledCall)]
    [InlineData("request:hello", EntryPoints.ProcessRequest)]
    public void EntryPoint_EachKind_IsTheOneItsPluginMustDefine(string text, EntryPoints entryPoint) =>
        TriggerSpecification.Parse(text, out _)!.EntryPoint.ShouldBe(entryPoint);

    [Theory]
    [InlineData("table:home", TriggerKind.Table, "table:home")]
    [InlineData("  all_tables ", TriggerKind.AllTables, "all_tables")]
    [InlineData("every:10s", TriggerKind.Every, "every:10s")]
    [InlineData("every:1h 30m", TriggerKind.Every, "every:1h 30m")]
    [InlineData("cron:0 0 * * *", TriggerKind.Cron, "cron:0 0 * * *")]
    [InlineData("cron:0 0 6 * * 1-5", TriggerKind.Cron, "cron:0 0 6 * * 1-5")]
    [InlineData("cron:@hourly", TriggerKind.Cron, "cron:@hourly")]
    [InlineData("request:github_prs", TriggerKind.Request, "request:github_prs")]
    [InlineData("request:api/v1/status", TriggerKind.Request, "request:api/v1/status")]
    public void Parse_ValidString_CanonicalForm(string text, TriggerKind kind, string canonical)
    {
        var spec = TriggerSpecification.Parse(text, out var error);

        error.ShouldBeNull();
        spec!.Kind.ShouldBe(kind);
        spec.ToString().ShouldBe(canonical);
    }

    [Theory]
    [InlineData("table:", "table name is empty")]
    [InlineData("tables:home", "expect one of the following forms")]
    [InlineData("every:10x", "unknown unit 'x'")]
    [InlineData("every:0s", "at least 1 second")]
    [InlineData("every:366d", "over 1 year")]
    [InlineData("cron:0 0 * *", "has 4")]
    [InlineData("cron:0 0 99 * *", "")]
    [InlineData("request:", "request path is empty")]
    [InlineData("request:a/../b", "'..'")]
    public void Parse_Invalid_SaysWhy(string text, string reason)
    {
        TriggerSpecification.Parse(text, out var error).ShouldBeNull();

        error!.ShouldStartWith($"failed to parse trigger from {text.Trim()}");
        error.ShouldContain(reason);
    }

    [Theory]
    [InlineData("10s", 10)]
    [InlineData("1m", 60)]
    [InlineData("1.5h", 5400)]
    [InlineData("1h30m", 5400)]
    [InlineData("2d", 172_800)]
    [InlineData("1w", 604_800)]
    [InlineData("1M", 2_630_016)]
    [InlineData("1y", 31_557_600)]
    [InlineData("52w", 31_449_600)]
    public void EveryDuration_Units_Seconds(string text, double seconds) =>
        EveryDuration.Parse(text, out _)!.Value.TotalSeconds.ShouldBe(seconds);

    [Theory]
    [InlineData("""{"every":{"duration":{"secs":10,"nanos":0}}}""", "every:10s")]
    [InlineData("""{"schedule":["0 0 * * *"]}""", "cron:0 0 * * *")]
    [InlineData("""{"schedule":"cron:0 0 * * *"}""", "cron:0 0 * * *")]
    [InlineData("""{"schedule":{"schedule":"0 0 6 * * *"}}""", "cron:0 0 6 * * *")]
    [InlineData("""{"single_table_wal_write":{"table_name":"gh"}}""", "table:gh")]
    [InlineData("\"all_tables_wal_write\"", "all_tables")]
    [InlineData("""{"request_path":{"path":"github_prs"}}""", "request:github_prs")]
    [InlineData("\"every:10s\"", "every:10s")]
    public void FromJson_SeedAndStoredForms_Normalised(string json, string canonical) =>
        TriggerSpecification.FromJson(JsonDocument.Parse(json).RootElement, out _)!.ToString().ShouldBe(canonical);

    [Fact]
    public void FromJson_UnknownObject_SaysWhichFormsWork()
    {
        TriggerSpecification.FromJson(JsonDocument.Parse("""{"hourly":true}""").RootElement, out var error).ShouldBeNull();

        error!.ShouldContain("'every:<DURATION>'");
    }

    [Theory]
    [InlineData("table:gh", """{"single_table_wal_write":{"table_name":"gh"}}""")]
    [InlineData("all_tables", "\"all_tables_wal_write\"")]
    [InlineData("every:10s", """{"every":{"duration":{"secs":10,"nanos":0}}}""")]
    [InlineData("cron:0 0 6 * * *", """{"schedule":{"schedule":"0 0 6 * * *"}}""")]
    [InlineData("request:github_prs", """{"request_path":{"path":"github_prs"}}""")]
    public void ToStoredJson_MatchesSystemTableForm(string text, string json) =>
        TriggerSpecification.Parse(text, out _)!.ToStoredJson().ShouldBe(json);

    [Fact]
    public void Cron_FiveFields_IsUnixCronWithMondayToFriday()
    {
        var cron = TriggerSpecification.Parse("cron:0 6 * * 1-5", out _)!.Cron!;

        // 2026-11-21 is a Saturday: the next run is Monday 06:00 UTC.
        cron.Next(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero)).ShouldBe(new DateTimeOffset(2026, 11, 23, 6, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void Cron_SixFields_SecondsFirst()
    {
        var cron = TriggerSpecification.Parse("cron:30 0 * * * *", out _)!.Cron!;

        cron.Next(new DateTimeOffset(2026, 1, 1, 10, 0, 30, TimeSpan.Zero)).ShouldBe(new DateTimeOffset(2026, 1, 1, 11, 0, 30, TimeSpan.Zero));
    }

    [Fact]
    public void Cron_SundayAsZeroOrSeven()
    {
        var zero = TriggerSpecification.Parse("cron:0 0 * * 0", out _)!.Cron!;
        var seven = TriggerSpecification.Parse("cron:0 0 * * 7", out _)!.Cron!;
        var saturday = new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

        zero.Next(saturday).ShouldBe(new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero));
        seven.Next(saturday).ShouldBe(zero.Next(saturday));
    }

    [Fact]
    public void Cron_TimeZone_FiresAtLocalTimeAcrossDaylightSaving()
    {
        var cron = TriggerSpecification.Parse("cron:CRON_TZ=Europe/Paris 0 9 * * *", out var error)!.Cron!;

        error.ShouldBeNull();
        cron.Next(new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.Zero)).ShouldBe(new DateTimeOffset(2026, 7, 1, 7, 0, 0, TimeSpan.Zero));
        cron.Next(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero)).ShouldBe(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
    }
}
