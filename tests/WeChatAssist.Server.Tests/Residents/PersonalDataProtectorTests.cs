using System.Security.Cryptography;
using WeChatAssist.Server.PersonalData;

namespace WeChatAssist.Server.Tests.Residents;

public sealed class PersonalDataProtectorTests
{
    private static readonly string KeyA = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private static readonly string KeyB = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private static readonly string Lookup = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static PersonalDataOptions Options(string active, params (string Id, string Key)[] keys) => new()
    {
        Keys = keys.ToDictionary(k => k.Id, k => k.Key),
        ActiveKeyId = active,
        LookupKey = Lookup,
    };

    private static PersonalDataProtector Protector(string active, params (string Id, string Key)[] keys) =>
        new(Microsoft.Extensions.Options.Options.Create(Options(active, keys)));

    [Theory]
    [InlineData("500231198503121235")]
    [InlineData("欧阳娜娜")]
    [InlineData("")]
    public void Protected_values_round_trip_and_do_not_contain_the_plaintext(string plaintext)
    {
        var protector = Protector("a", ("a", KeyA));

        var stored = protector.Protect(plaintext);

        Assert.StartsWith("a:", stored, StringComparison.Ordinal);
        Assert.Equal(plaintext, protector.Unprotect(stored));
        if (plaintext.Length > 0)
        {
            Assert.DoesNotContain(plaintext, stored, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_same_value_encrypts_differently_each_time() =>
        Assert.NotEqual(Protector("a", ("a", KeyA)).Protect("张三"), Protector("a", ("a", KeyA)).Protect("张三"));

    [Fact]
    public void After_rotation_old_values_stay_readable_and_new_values_use_the_active_key()
    {
        var before = Protector("a", ("a", KeyA)).Protect("张三");
        var rotated = Protector("b", ("a", KeyA), ("b", KeyB));

        var after = rotated.Protect("李四");

        Assert.Equal("张三", rotated.Unprotect(before));
        Assert.StartsWith("b:", after, StringComparison.Ordinal);
        Assert.Equal("李四", rotated.Unprotect(after));
        Assert.Throws<PersonalDataException>(() => Protector("a", ("a", KeyA)).Unprotect(after));
    }

    [Fact]
    public void A_flipped_bit_anywhere_in_the_ciphertext_is_refused()
    {
        var protector = Protector("a", ("a", KeyA));
        var stored = protector.Protect("500231198503121235");
        var blob = Convert.FromBase64String(stored[2..]);

        for (var i = 0; i < blob.Length; i++)
        {
            var tampered = (byte[])blob.Clone();
            tampered[i] ^= 0x01;
            Assert.Throws<PersonalDataException>(() => protector.Unprotect("a:" + Convert.ToBase64String(tampered)));
        }
    }

    [Fact]
    public void A_value_relabelled_to_another_key_id_is_refused_even_when_that_key_is_the_same_bytes()
    {
        var protector = Protector("a", ("a", KeyA), ("b", KeyA));
        var stored = protector.Protect("张三");

        Assert.Throws<PersonalDataException>(() => protector.Unprotect("b" + stored[1..]));
    }

    [Theory]
    [InlineData("no-separator")]
    [InlineData("zz:AAAA")]
    [InlineData("a:not base64!")]
    [InlineData("a:AAAA")]
    public void Malformed_values_are_refused(string value) =>
        Assert.Throws<PersonalDataException>(() => Protector("a", ("a", KeyA)).Unprotect(value));

    [Fact]
    public void The_lookup_hash_is_stable_and_depends_on_the_lookup_key()
    {
        var first = Protector("a", ("a", KeyA));
        var otherOptions = Options("a", ("a", KeyA));
        otherOptions.LookupKey = KeyB;
        var other = new PersonalDataProtector(Microsoft.Extensions.Options.Options.Create(otherOptions));

        Assert.Equal(first.LookupHash("500231198503121235"), Protector("b", ("b", KeyB)).LookupHash("500231198503121235"));
        Assert.NotEqual(first.LookupHash("500231198503121235"), first.LookupHash("500231198503121236"));
        Assert.NotEqual(first.LookupHash("500231198503121235"), other.LookupHash("500231198503121235"));
        Assert.Equal(64, first.LookupHash("x").Length);
    }

    private static readonly Dictionary<string, PersonalDataOptions> BadOptionCases = new()
    {
        ["no keys"] = new PersonalDataOptions { ActiveKeyId = "a", LookupKey = Lookup },
        ["short key"] = Options("a", ("a", Convert.ToBase64String(new byte[16]))),
        ["not base64"] = Options("a", ("a", "%%%")),
        ["bad id"] = Options("a:b", ("a:b", KeyA)),
        ["active missing"] = Options("c", ("a", KeyA)),
        ["active empty"] = Options("", ("a", KeyA)),
        ["lookup short"] = new PersonalDataOptions { Keys = new() { ["a"] = KeyA }, ActiveKeyId = "a", LookupKey = Convert.ToBase64String(new byte[8]) },
    };

    [Theory]
    [InlineData("no keys", "PersonalData:Keys: no encryption key")]
    [InlineData("short key", "PersonalData:Keys:a: must be base64 of exactly 32 bytes")]
    [InlineData("not base64", "PersonalData:Keys:a: must be base64")]
    [InlineData("bad id", "PersonalData:Keys:a:b: a key id")]
    [InlineData("active missing", "PersonalData:ActiveKeyId: 'c' is not one of")]
    [InlineData("active empty", "PersonalData:ActiveKeyId: required")]
    [InlineData("lookup short", "PersonalData:LookupKey: must be base64")]
    public void Bad_options_fail_with_a_message_naming_the_key(string because, string expected)
    {
        var options = BadOptionCases[because];
        var result = new PersonalDataOptionsValidator().Validate(null, options);

        Assert.True(result.Failed, because);
        Assert.Contains(result.Failures!, f => f.StartsWith(expected, StringComparison.Ordinal));
        Assert.DoesNotContain(result.Failures!, f => f.Contains(KeyA, StringComparison.Ordinal));
    }

    [Fact]
    public void With_nothing_configured_personal_data_is_off_and_every_operation_refuses()
    {
        var options = new PersonalDataOptions();
        var protector = new PersonalDataProtector(Microsoft.Extensions.Options.Options.Create(options));

        Assert.True(new PersonalDataOptionsValidator().Validate(null, options).Succeeded);
        Assert.False(protector.IsConfigured);
        Assert.Throws<InvalidOperationException>(() => protector.Protect("张三"));
        Assert.Throws<InvalidOperationException>(() => protector.LookupHash("500231198503121235"));
    }

    [Fact]
    public void Good_options_pass() =>
        Assert.True(new PersonalDataOptionsValidator().Validate(null, Options("b", ("a", KeyA), ("b", KeyB))).Succeeded);

    [Theory]
    [InlineData("500231198503121235", "5002**********1235")]
    [InlineData("11010519491231002X", "1101**********002X")]
    [InlineData("1234", "****")]
    public void Id_numbers_show_the_first_four_and_last_four_characters(string number, string expected) =>
        Assert.Equal(expected, PersonalDataMask.IdNumber(number));

    [Theory]
    [InlineData("张三", "张*")]
    [InlineData("张三丰", "张**")]
    [InlineData("欧阳娜娜", "欧阳**")]
    [InlineData("欧阳修", "欧阳*")]
    [InlineData("司马光", "司马*")]
    [InlineData("王", "*")]
    [InlineData("阿依古丽·买买提", "阿*******")]
    [InlineData(" 李四 ", "李*")]
    public void Names_keep_only_the_surname(string name, string expected) =>
        Assert.Equal(expected, PersonalDataMask.Name(name));
}
