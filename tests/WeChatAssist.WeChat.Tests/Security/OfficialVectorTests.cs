using System.Text;
using WeChatAssist.WeChat.Security;

namespace WeChatAssist.WeChat.Tests.Security;

public class OfficialVectorTests
{
    private const string AesKey = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    private const string AppId = "wxba5fad812f8e6fb9";
    private const string OfficialCiphertext = "ELGduP2YcVatjqIS+eZbp80MNLoAUWvzzyJxgGzxZO/5sAvd070Bs6qrLARC9nVHm48Y4hyRbtzve1L32tmxSQ==";

    [Fact]
    public void Url_signature_matches_the_official_example() =>
        Assert.Equal("f464b24fc39322e44b38aa78f5edd27bd1441696", Signatures.ComputeUrlSignature("AAAAA", "1714036504", "1514711492"));

    [Fact]
    public void Url_signature_verifies_in_either_letter_case_and_rejects_a_changed_digit()
    {
        Assert.True(Signatures.VerifyUrlSignature("AAAAA", "1714036504", "1514711492", "f464b24fc39322e44b38aa78f5edd27bd1441696"));
        Assert.True(Signatures.VerifyUrlSignature("AAAAA", "1714036504", "1514711492", "F464B24FC39322E44B38AA78F5EDD27BD1441696"));
        Assert.False(Signatures.VerifyUrlSignature("AAAAA", "1714036504", "1514711492", "f464b24fc39322e44b38aa78f5edd27bd1441697"));
        Assert.False(Signatures.VerifyUrlSignature("AAAAA", "1714036504", "1514711492", null));
        Assert.False(Signatures.VerifyUrlSignature("AAAAA", "1714036504", "1514711492", ""));
    }

    [Fact]
    public void Safe_mode_encryption_with_the_official_random_bytes_gives_the_official_ciphertext()
    {
        using var cipher = new SafeModeCipher(AesKey, AppId);
        var encrypted = cipher.Encrypt("{\"demo_resp\":\"good luck\"}", Encoding.ASCII.GetBytes("707722b803182950"));
        Assert.Equal(OfficialCiphertext, encrypted);
    }

    [Fact]
    public void The_official_ciphertext_decrypts_to_the_official_message()
    {
        using var cipher = new SafeModeCipher(AesKey, AppId);
        Assert.Equal("{\"demo_resp\":\"good luck\"}", cipher.Decrypt(OfficialCiphertext));
    }

    [Fact]
    public void Message_signature_matches_the_official_example() =>
        Assert.Equal("1b9339964ed2e271e7c7b6ff2b0ef902fc94dea1",
            Signatures.ComputeMessageSignature("AAAAA", "1713424427", "415670741", OfficialCiphertext));

    [Fact]
    public void Js_sdk_signature_matches_the_official_example() =>
        Assert.Equal("0f9de62fce790f9a083d5c99e95740ceb90c27ed", Signatures.ComputeJsSdkSignature(
            "sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg",
            "Wm3WZYTPz0wzccnW", 1414587457, "http://mp.weixin.qq.com?params=value#fragment-is-ignored"));
}
