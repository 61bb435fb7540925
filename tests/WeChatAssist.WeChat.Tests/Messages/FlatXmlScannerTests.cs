using System.Security.Cryptography;
using System.Text;
using WeChatAssist.WeChat.Messages;

namespace WeChatAssist.WeChat.Tests.Messages;

/// <summary>The fast path must agree with the hardened XmlReader on every document, accepted or not.</summary>
public class FlatXmlScannerTests
{
    private static readonly string[] Names = ["ToUserName", "Content", "MsgId", "A", "_x1", "Location_X", "a:b", "1bad", "with-dash"];

    private static readonly string[] Pieces =
    [
        "text", "中文", "😀", " ", "", "]]>", "]]", "]", ">", "<", "&", "&amp;", "&#x4E2D;", "\r\n", "\n", "\t", "\u0001", "\uFFFE",
        "\uD800", "\uDC00", "'\"", "<![CDATA[", "=", "\u00A0", "\uFFFD",
    ];

    [Fact]
    public void Random_flat_documents_parse_identically_on_both_paths()
    {
        var fastPathTaken = 0;
        for (var n = 0; n < 20_000; n++)
        {
            var xml = RandomDocument();
            if (FlatXmlScanner.TryScan(xml, WeChatXmlLimits.Default) is not null)
                fastPathTaken++;
            var fast = WeChatXmlReader.TryParse(xml, WeChatXmlLimits.Default, out var a, out _);
            var slow = WeChatXmlReader.TryParseWithReader(xml, WeChatXmlLimits.Default, out var b, out _);
            Assert.True(fast == slow, $"acceptance differs for: {Escape(xml)}");
            if (fast)
                Assert.True(Same(a!, b!), $"trees differ for: {Escape(xml)}");
        }
        // The comparison only means something if both paths are exercised.
        Assert.InRange(fastPathTaken, 1000, 19_000);
    }

    [Theory]
    [InlineData("<xml><ToUserName><![CDATA[gh]]></ToUserName><CreateTime>1</CreateTime></xml>")]
    [InlineData("<xml>\n  <A><![CDATA[x]]]]><![CDATA[>y]]></A>\n</xml>\n")]
    [InlineData("<xml><A/><B></B><C><![CDATA[]]></C></xml>")]
    public void Typical_WeChat_documents_take_the_fast_path(string xml)
    {
        Assert.NotNull(FlatXmlScanner.TryScan(xml, WeChatXmlLimits.Default));
        Assert.True(WeChatXmlReader.TryParseWithReader(xml, WeChatXmlLimits.Default, out var expected, out _));
        Assert.True(Same(FlatXmlScanner.TryScan(xml, WeChatXmlLimits.Default)!, expected!));
    }

    [Theory]
    [InlineData("<?xml version=\"1.0\"?><xml><A>1</A></xml>")]
    [InlineData("<!DOCTYPE xml [<!ENTITY x \"y\">]><xml><A>&x;</A></xml>")]
    [InlineData("<xml><A>x&amp;y</A></xml>")]
    [InlineData("<xml><A b=\"1\">x</A></xml>")]
    [InlineData("<xml><A><B>x</B></A></xml>")]
    [InlineData("<xml><!-- c --><A>x</A></xml>")]
    [InlineData("<xml><A>x\r\ny</A></xml>")]
    public void Anything_beyond_the_flat_subset_is_left_to_the_reader(string xml) =>
        Assert.Null(FlatXmlScanner.TryScan(xml, WeChatXmlLimits.Default));

    private static string RandomDocument()
    {
        var sb = new StringBuilder();
        if (Chance(20))
            sb.Append(Pick(["\n", " ", "\r\n", "\uFEFF", "x"]));
        sb.Append(Chance(30) ? "<xml >" : "<xml>");
        var count = RandomNumberGenerator.GetInt32(0, 6);
        for (var c = 0; c < count; c++)
        {
            if (Chance(4))
                sb.Append(Pick([" ", "\n", "\t", "\r\n"]));
            var name = Pick(Names);
            if (Chance(10))
            {
                sb.Append('<').Append(name).Append("/>");
                continue;
            }
            sb.Append('<').Append(name).Append('>');
            var kind = RandomNumberGenerator.GetInt32(3);
            if (kind == 0)
            {
                var sections = RandomNumberGenerator.GetInt32(1, 3);
                for (var k = 0; k < sections; k++)
                    sb.Append("<![CDATA[").Append(RandomText()).Append("]]>");
            }
            else
            {
                sb.Append(RandomText());
            }
            sb.Append("</").Append(Chance(25) ? Pick(Names) : name).Append('>');
        }
        sb.Append(Chance(30) ? "</xml >" : "</xml>");
        if (Chance(20))
            sb.Append(Pick(["\n", " ", "<xml/>", "x", "<!-- c -->"]));
        return sb.ToString();
    }

    private static string RandomText()
    {
        var sb = new StringBuilder();
        var parts = RandomNumberGenerator.GetInt32(0, 4);
        for (var k = 0; k < parts; k++)
            sb.Append(Chance(2) ? Pick(Pieces) : "plain");
        return sb.ToString();
    }

    private static bool Chance(int oneIn) => RandomNumberGenerator.GetInt32(oneIn) == 0;

    private static string Pick(string[] options) => options[RandomNumberGenerator.GetInt32(options.Length)];

    private static bool Same(WeChatXmlElement a, WeChatXmlElement b) =>
        a.Name == b.Name && a.Value == b.Value && a.Children.Count == b.Children.Count
        && a.Children.Zip(b.Children).All(p => Same(p.First, p.Second));

    private static string Escape(string s) => string.Concat(s.Select(c => c < 0x20 || c > 0x7E ? $"\\u{(int)c:X4}" : c.ToString()));
}
