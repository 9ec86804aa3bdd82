using Microsoft.Extensions.Time.Testing;
using Scripting.Core.Errors;
using Scripting.Core.Security;

namespace Scripting.Core.Tests.Security;

public sealed class SecretStoreTests
{
    private const string Value = "apiv3_s3cr3t-value";

    private sealed class Key(byte[]? key) : ISecretKey
    {
        public byte[]? Value { get; set; } = key;

        public string Location => "/keys/test.key";

        public byte[] Read(bool create) => Value ?? throw new ScriptingException(ErrorKind.Internal, "the secrets key file /keys/test.key is missing");
    }

    private readonly MemorySecretPersistence _persistence = new();
    private readonly Key _key = new(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private SecretStore Store() => new(_persistence, _key, _time);

    [Fact]
    public void AReference_BecomesTheValue_AloneOrInsideALongerArgument()
    {
        var store = Store();
        store.Create("token", Value);

        var resolved = store.Resolve(new Dictionary<string, string> { ["server_token"] = "${secret:token}", ["header"] = "Bearer ${secret:token}", ["plain"] = "90" });

        resolved.ShouldBe(new Dictionary<string, string> { ["server_token"] = Value, ["header"] = "Bearer " + Value, ["plain"] = "90" });
    }

    [Fact]
    public void TheValue_IsSealed_AndNotInWhatIsStored_AndSurvivesAReload()
    {
        Store().Create("token", Value);

        var stored = _persistence.Load().ShouldHaveSingleItem();
        (stored.Sealed + stored.Nonce + stored.KeyId + stored.Name).ShouldNotContain(Value);
        Store().Resolve(new Dictionary<string, string> { ["t"] = "${secret:token}" })!["t"].ShouldBe(Value);
    }

    [Fact]
    public void UseTimes_AreKept()
    {
        var store = Store();
        store.Create("token", Value);
        _time.Advance(TimeSpan.FromMinutes(5));

        store.Resolve(new Dictionary<string, string> { ["t"] = "${secret:token}" });

        store.Secrets.ShouldHaveSingleItem().LastUsedAt.ShouldBe(_time.GetUtcNow());
        _persistence.Load().ShouldHaveSingleItem().LastUsedAt.ShouldBe(_time.GetUtcNow());
    }

    [Fact]
    public void AnotherKey_IsReportedAsSuch_NeverAsGarbage()
    {
        Store().Create("token", Value);
        _key.Value = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);

        var error = Should.Throw<ScriptingException>(() => Store().Resolve(new Dictionary<string, string> { ["t"] = "${secret:token}" }));

        error.Message.ShouldContain("secret 'token' was sealed with key ");
        error.Message.ShouldContain("but the key at /keys/test.key is key ");
        error.Message.ShouldContain("restore the key file the secrets were created with, or point --secrets-key-file at it");
    }

    [Fact]
    public void ALostKey_IsReportedAsSuch()
    {
        Store().Create("token", Value);
        _key.Value = null;

        Should.Throw<ScriptingException>(() => Store().Resolve(new Dictionary<string, string> { ["t"] = "${secret:token}" }))
            .Message.ShouldBe("the secrets key file /keys/test.key is missing");
    }

    [Fact]
    public void AnAlteredSecret_DoesNotOpen()
    {
        Store().Create("token", Value);
        var stored = _persistence.Load()[0];
        var bytes = Convert.FromBase64String(stored.Sealed);
        bytes[0] ^= 1;
        _persistence.Save([stored with { Sealed = Convert.ToBase64String(bytes) }]);

        Should.Throw<ScriptingException>(() => Store().Resolve(new Dictionary<string, string> { ["t"] = "${secret:token}" }))
            .Message.ShouldBe("secret 'token' does not open with the key at /keys/test.key: the secrets file was altered, or the key replaced");
    }

    [Fact]
    public void MissingSecrets_AreNamed_AndNamesAreChecked()
    {
        var store = Store();
        store.Create("token", Value);

        store.Missing(new Dictionary<string, string> { ["a"] = "${secret:token}", ["b"] = "${secret:nope} and ${secret:nope}" }).ShouldBe(["nope"]);
        Should.Throw<ScriptingException>(() => store.Resolve(new Dictionary<string, string> { ["b"] = "${secret:nope}" }))
            .Message.ShouldBe("trigger argument 'b' refers to secret 'nope', which does not exist; create it with `scripting create secret nope`");
        Should.Throw<ScriptingException>(() => store.Create("token", "other")).Kind.ShouldBe(ErrorKind.Conflict);
        Should.Throw<ScriptingException>(() => store.Create("bad\nname", "x")).Kind.ShouldBe(ErrorKind.BadRequest);
    }
}
