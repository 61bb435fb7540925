using WeChatAssist.WeChat.Messages;

namespace WeChatAssist.WeChat.Tests.Messages;

public class XmlReaderTests
{
    public static TheoryData<string, string> HostileDocuments => new()
    {
        { "xxe file", "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><xml><Content>&x;</Content></xml>" },
        { "xxe url", "<!DOCTYPE xml [<!ENTITY x SYSTEM \"http://127.0.0.1:1/x\">]><xml><Content>&x;</Content></xml>" },
        { "billion laughs", "<!DOCTYPE xml [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]><xml><Content>&c;</Content></xml>" },
        { "parameter entity", "<!DOCTYPE xml [<!ENTITY % p SYSTEM \"file:///etc/passwd\"> %p;]><xml/>" },
        { "undeclared entity", "<xml><Content>&passwd;</Content></xml>" },
        { "wrong root", "<root><Content>x</Content></root>" },
        { "two roots", "<xml></xml><xml></xml>" },
        { "truncated", "<xml><ToUserName><![CDATA[gh" },
        { "not xml", "hello world" },
        { "empty", "" },
        { "trailing text", "<xml/>trailing" },
        { "deep nesting", string.Concat(Enumerable.Repeat("<a>", 50)) + string.Concat(Enumerable.Repeat("</a>", 50)) },
    };

    [Theory]
    [MemberData(nameof(HostileDocuments))]
    public void Hostile_or_malformed_documents_are_rejected_without_throwing(string name, string xml)
    {
        Assert.False(WeChatXmlReader.TryParse(xml, WeChatXmlLimits.Default, out var root, out var error), name);
        Assert.Null(root);
        Assert.False(string.IsNullOrEmpty(error));
        Assert.DoesNotContain("root:", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_rejected()
    {
        var xml = "<xml>" + string.Concat(Enumerable.Repeat("<a>", 9)) + string.Concat(Enumerable.Repeat("</a>", 9)) + "</xml>";
        Assert.False(WeChatXmlReader.TryParse(xml, WeChatXmlLimits.Default, out _, out var error));
        Assert.Contains("deep", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Too_many_elements_are_rejected()
    {
        var xml = "<xml>" + string.Concat(Enumerable.Repeat("<a/>", 2000)) + "</xml>";
        Assert.False(WeChatXmlReader.TryParse(xml, WeChatXmlLimits.Default, out _, out var error));
        Assert.Contains("too many", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_document_over_the_character_limit_is_rejected()
    {
        var limits = new WeChatXmlLimits { MaxCharacters = 100 };
        Assert.False(WeChatXmlReader.TryParse("<xml><a>" + new string('x', 200) + "</a></xml>", limits, out _, out _));
    }

    [Fact]
    public void CDATA_text_and_character_references_are_read()
    {
        Assert.True(WeChatXmlReader.TryParse("<xml><A><![CDATA[<b>&amp;]]></A><B>x&amp;y&#x4E2D;</B><C/></xml>", WeChatXmlLimits.Default, out var root, out _));
        Assert.Equal("<b>&amp;", root!.ChildValue("A"));
        Assert.Equal("x&y中", root.ChildValue("B"));
        Assert.Equal(string.Empty, root.ChildValue("C"));
        Assert.Null(root.ChildValue("D"));
    }
}
