using System.Text;
using WeChatAssist.WeChat.Messages;
using WeChatAssist.WeChat.Replies;
using WeChatAssist.WeChat.Security;
using WeChatAssist.WeChat.Tests.Infrastructure;

namespace WeChatAssist.WeChat.Tests.Replies;

public class PassiveReplyTests
{
    [Theory]
    [InlineData("a", 2048)]
    [InlineData("中", 2048)]
    [InlineData("😀", 2048)]
    [InlineData("a中😀", 2048)]
    [InlineData("中", 2047)]
    [InlineData("😀", 2046)]
    [InlineData("ab😀", 7)]
    public void Truncation_never_exceeds_the_limit_nor_splits_a_character(string unit, int limit)
    {
        var text = string.Concat(Enumerable.Repeat(unit, 3000));
        var cut = Utf8Text.Truncate(text, limit);
        var bytes = Encoding.UTF8.GetByteCount(cut);
        Assert.True(bytes <= limit);
        Assert.True(bytes > limit - 4, $"cut too much: {bytes}");
        Assert.StartsWith(cut, text, StringComparison.Ordinal);
        Assert.False(cut.Length > 0 && char.IsHighSurrogate(cut[^1]));
        Assert.Equal(cut, Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(cut)));
    }

    [Fact]
    public void Short_text_is_not_truncated() => Assert.Equal("参保缴费", Utf8Text.Truncate("参保缴费", 2048));

    [Fact]
    public void A_text_reply_swaps_sender_and_recipient_and_survives_CDATA_terminators()
    {
        var xml = PassiveReplyWriter.Write(new TextReply("a]]>b<c>&\u0001d"), "oUser", "gh_acc", 1700000000);
        Assert.True(WeChatXmlReader.TryParse(xml, WeChatXmlLimits.Default, out var root, out var error), error);
        Assert.Equal("oUser", root!.ChildValue("ToUserName"));
        Assert.Equal("gh_acc", root.ChildValue("FromUserName"));
        Assert.Equal("text", root.ChildValue("MsgType"));
        Assert.Equal("1700000000", root.ChildValue("CreateTime"));
        Assert.Equal("a]]>b<c>&d", root.ChildValue("Content"));
    }

    [Fact]
    public void A_news_reply_lists_its_articles()
    {
        var xml = PassiveReplyWriter.Write(new NewsReply([new NewsArticle("标题", "描述", "https://p/1.png", "https://u/1"), new NewsArticle("T2", "D2", "P2", "U2")]), "oUser", "gh_acc", 1);
        Assert.True(WeChatXmlReader.TryParse(xml, WeChatXmlLimits.Default, out var root, out _));
        Assert.Equal("2", root!.ChildValue("ArticleCount"));
        var items = root.Child("Articles")!.Children;
        Assert.Equal(2, items.Count);
        Assert.Equal("标题", items[0].ChildValue("Title"));
        Assert.Equal("https://u/1", items[0].ChildValue("Url"));
        Assert.Equal("P2", items[1].ChildValue("PicUrl"));
    }

    [Fact]
    public void A_news_reply_needs_one_to_eight_articles()
    {
        Assert.Throws<ArgumentException>(() => PassiveReplyWriter.Write(new NewsReply([]), "o", "g", 1));
        var nine = Enumerable.Range(0, 9).Select(i => new NewsArticle("t", "d", "p", "u")).ToList();
        Assert.Throws<ArgumentException>(() => PassiveReplyWriter.Write(new NewsReply(nine), "o", "g", 1));
    }

    [Fact]
    public void The_encrypted_envelope_verifies_and_decrypts_to_the_reply()
    {
        var key = TestAccounts.RandomAesKey();
        using var cipher = new SafeModeCipher(key, "wxApp");
        var reply = PassiveReplyWriter.Write(new TextReply("回复"), "oUser", "gh_acc", 5);
        var envelope = PassiveReplyWriter.WriteEncrypted(reply, cipher, "tok", 1713424427, "415670741");

        Assert.True(WeChatXmlReader.TryParse(envelope, WeChatXmlLimits.Default, out var root, out _));
        var encrypt = root!.ChildValue("Encrypt")!;
        Assert.Equal("1713424427", root.ChildValue("TimeStamp"));
        Assert.Equal("415670741", root.ChildValue("Nonce"));
        Assert.True(Signatures.VerifyMessageSignature("tok", "1713424427", "415670741", encrypt, root.ChildValue("MsgSignature")));
        Assert.Equal(reply, cipher.Decrypt(encrypt));
    }
}
