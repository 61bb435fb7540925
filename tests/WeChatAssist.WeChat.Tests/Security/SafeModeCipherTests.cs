using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using WeChatAssist.WeChat.Security;
using WeChatAssist.WeChat.Tests.Infrastructure;

namespace WeChatAssist.WeChat.Tests.Security;

public class SafeModeCipherTests
{
    private static readonly string[] Alphabets = ["abcXYZ019", "参保缴费医疗救助", "😀🎉👨‍👩‍👧", "<xml>&amp;]]>\"'", "ÄÖÜßéèñ"];

    [Fact]
    public void Random_keys_app_ids_and_message_lengths_from_0_to_64_KB_round_trip()
    {
        var lengths = new List<int> { 0, 1, 2, 11, 12, 13, 15, 16, 17, 31, 32, 33, 63, 64, 65, 1000, 4095, 4096, 65_535, 65_536 };
        for (var i = 0; i < 150; i++)
            lengths.Add(RandomNumberGenerator.GetInt32(0, 65_537));

        foreach (var length in lengths)
        {
            var appId = RandomNumberGenerator.GetInt32(4) == 0 ? "wx应用" + length : TestAccounts.RandomAppId();
            using var cipher = new SafeModeCipher(TestAccounts.RandomAesKey(), appId);
            var message = RandomText(length);
            var encrypted = cipher.Encrypt(message);

            var raw = Convert.FromBase64String(encrypted);
            Assert.Equal(0, raw.Length % 32);
            Assert.Equal(message, cipher.Decrypt(encrypted));
        }
    }

    [Fact]
    public async Task One_cipher_used_from_many_threads_at_once_stays_correct()
    {
        using var cipher = new SafeModeCipher(TestAccounts.RandomAesKey(), "wxShared");
        await Parallel.ForAsync(0, 4000, new ParallelOptions { MaxDegreeOfParallelism = 16 }, (i, _) =>
        {
            var message = RandomText(i % 700);
            Assert.Equal(message, cipher.Decrypt(cipher.Encrypt(message)));
            return ValueTask.CompletedTask;
        });
    }

    [Fact]
    public void The_same_message_encrypts_differently_each_time()
    {
        using var cipher = new SafeModeCipher(TestAccounts.RandomAesKey(), "wx1");
        Assert.NotEqual(cipher.Encrypt("same"), cipher.Encrypt("same"));
    }

    [Fact]
    public void A_message_for_another_app_id_is_rejected_as_app_id_mismatch()
    {
        var key = TestAccounts.RandomAesKey();
        using var ours = new SafeModeCipher(key, "wx-ours");
        using var theirs = new SafeModeCipher(key, "wx-theirs");
        Assert.False(ours.TryDecrypt(theirs.Encrypt("<xml/>"), out _, out var error));
        Assert.Equal(SafeModeError.AppIdMismatch, error);
    }

    [Theory]
    [InlineData("not base64 at all!", SafeModeError.InvalidBase64)]
    [InlineData("QUJD", SafeModeError.InvalidLength)]
    [InlineData("", SafeModeError.InvalidLength)]
    public void Malformed_ciphertext_is_rejected_with_a_precise_reason(string encrypted, SafeModeError expected)
    {
        using var cipher = new SafeModeCipher(TestAccounts.RandomAesKey(), "wx1");
        Assert.False(cipher.TryDecrypt(encrypted, out _, out var error));
        Assert.Equal(expected, error);
        var ex = Assert.Throws<SafeModeCryptoException>(() => cipher.Decrypt(encrypted));
        Assert.Equal(expected, ex.Error);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(33)]
    [InlineData(255)]
    public void A_padding_byte_outside_1_to_32_is_bad_padding(int padByte)
    {
        var key = TestAccounts.RandomAesKey();
        using var cipher = new SafeModeCipher(key, "wx1");
        var plain = Layout("hello", "wx1", 64);
        plain[^1] = (byte)padByte;
        Assert.False(cipher.TryDecrypt(EncryptRaw(key, plain), out _, out var error));
        Assert.Equal(SafeModeError.InvalidPadding, error);
    }

    [Fact]
    public void Inconsistent_padding_bytes_are_bad_padding()
    {
        var key = TestAccounts.RandomAesKey();
        using var cipher = new SafeModeCipher(key, "wx1");
        var plain = Layout("hello", "wx1", 64);
        var pad = plain[^1];
        plain[^pad] ^= 0x55;
        Assert.False(cipher.TryDecrypt(EncryptRaw(key, plain), out _, out var error));
        Assert.Equal(SafeModeError.InvalidPadding, error);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1_000_000)]
    public void A_message_length_that_does_not_fit_is_rejected(int claimedLength)
    {
        var key = TestAccounts.RandomAesKey();
        using var cipher = new SafeModeCipher(key, "wx1");
        var plain = Layout("hello", "wx1", 64);
        BinaryPrimitives.WriteInt32BigEndian(plain.AsSpan(16), claimedLength);
        Assert.False(cipher.TryDecrypt(EncryptRaw(key, plain), out _, out var error));
        Assert.Equal(SafeModeError.InvalidMessageLength, error);
    }

    [Fact]
    public void A_message_that_is_not_UTF8_is_rejected()
    {
        var key = TestAccounts.RandomAesKey();
        using var cipher = new SafeModeCipher(key, "wx1");
        var plain = Layout("hello", "wx1", 64);
        plain[20] = 0xFF;
        Assert.False(cipher.TryDecrypt(EncryptRaw(key, plain), out _, out var error));
        Assert.Equal(SafeModeError.InvalidUtf8, error);
    }

    [Fact]
    public void Random_ciphertexts_never_throw()
    {
        using var cipher = new SafeModeCipher(TestAccounts.RandomAesKey(), "wx1");
        for (var i = 0; i < 2000; i++)
        {
            var bytes = RandomNumberGenerator.GetBytes(RandomNumberGenerator.GetInt32(0, 200));
            Assert.False(cipher.TryDecrypt(Convert.ToBase64String(bytes), out _, out var error));
            Assert.NotEqual(SafeModeError.None, error);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA-")]
    public void Keys_that_are_not_43_base64_characters_are_refused(string key)
    {
        Assert.False(SafeModeCipher.IsValidEncodingAesKey(key));
        Assert.Throws<ArgumentException>(() => new SafeModeCipher(key, "wx1"));
    }

    private static string RandomText(int length)
    {
        var sb = new StringBuilder(length);
        var alphabet = Alphabets[RandomNumberGenerator.GetInt32(Alphabets.Length)];
        while (sb.Length < length)
        {
            var start = RandomNumberGenerator.GetInt32(alphabet.Length);
            // Never cut a surrogate pair: take whole text elements.
            var e = System.Globalization.StringInfo.GetNextTextElementLength(alphabet, start);
            if (char.IsLowSurrogate(alphabet[start]))
                continue;
            if (sb.Length + e > length)
                sb.Append('a');
            else
                sb.Append(alphabet, start, e);
        }
        return sb.ToString();
    }

    /// <summary>Builds a plaintext layout by hand (16 random + BE length + message + app id + 32-byte PKCS#7).</summary>
    private static byte[] Layout(string message, string appId, int totalMin)
    {
        var m = Encoding.UTF8.GetBytes(message);
        var a = Encoding.UTF8.GetBytes(appId);
        var content = 20 + m.Length + a.Length;
        var pad = 32 - (content % 32);
        var total = content + pad;
        _ = totalMin;
        var plain = new byte[total];
        RandomNumberGenerator.Fill(plain.AsSpan(0, 16));
        BinaryPrimitives.WriteInt32BigEndian(plain.AsSpan(16), m.Length);
        m.CopyTo(plain, 20);
        a.CopyTo(plain, 20 + m.Length);
        plain.AsSpan(content).Fill((byte)Math.Min(pad, 255));
        return plain;
    }

    private static string EncryptRaw(string encodingAesKey, byte[] plain)
    {
        var key = Convert.FromBase64String(encodingAesKey + "=");
        using var aes = Aes.Create();
        aes.Key = key;
        return Convert.ToBase64String(aes.EncryptCbc(plain, key.AsSpan(0, 16), PaddingMode.None));
    }
}
