using System.Globalization;
using System.Text;
using WeChatAssist.WeChat.Security;

namespace WeChatAssist.WeChat.Replies;

/// <summary>Writes passive reply XML and its safe-mode envelope.</summary>
public static class PassiveReplyWriter
{
    /// <summary>Most cards WeChat accepts in one news reply.</summary>
    public const int MaxNewsArticles = 8;

    /// <summary>Writes the reply XML: addressed back to <paramref name="toUser"/> from the account <paramref name="fromAccount"/>.</summary>
    public static string Write(WeChatReply reply, string toUser, string fromAccount, long createTime)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var sb = new StringBuilder(256);
        sb.Append("<xml><ToUserName>");
        AppendCData(sb, toUser);
        sb.Append("</ToUserName><FromUserName>");
        AppendCData(sb, fromAccount);
        sb.Append("</FromUserName><CreateTime>").Append(createTime.ToString(CultureInfo.InvariantCulture)).Append("</CreateTime>");
        switch (reply)
        {
            case TextReply text:
                sb.Append("<MsgType><![CDATA[text]]></MsgType><Content>");
                AppendCData(sb, Utf8Text.Truncate(Utf8Text.RemoveXmlInvalidCharacters(text.Content), Utf8Text.PassiveReplyMaxBytes));
                sb.Append("</Content>");
                break;
            case NewsReply news:
                if (news.Articles.Count is 0 or > MaxNewsArticles)
                    throw new ArgumentException($"A news reply has 1 to {MaxNewsArticles} articles.", nameof(reply));
                sb.Append("<MsgType><![CDATA[news]]></MsgType><ArticleCount>")
                    .Append(news.Articles.Count.ToString(CultureInfo.InvariantCulture))
                    .Append("</ArticleCount><Articles>");
                foreach (var a in news.Articles)
                {
                    sb.Append("<item><Title>");
                    AppendCData(sb, a.Title);
                    sb.Append("</Title><Description>");
                    AppendCData(sb, a.Description);
                    sb.Append("</Description><PicUrl>");
                    AppendCData(sb, a.PicUrl);
                    sb.Append("</PicUrl><Url>");
                    AppendCData(sb, a.Url);
                    sb.Append("</Url></item>");
                }
                sb.Append("</Articles>");
                break;
            default:
                throw new ArgumentException($"Unsupported reply type {reply.GetType().Name}.", nameof(reply));
        }
        sb.Append("</xml>");
        return sb.ToString();
    }

    /// <summary>Wraps reply XML in the safe-mode envelope (Encrypt, MsgSignature, TimeStamp, Nonce).</summary>
    public static string WriteEncrypted(string replyXml, SafeModeCipher cipher, string token, long timestamp, string nonce)
    {
        ArgumentNullException.ThrowIfNull(cipher);
        var encrypted = cipher.Encrypt(replyXml);
        var ts = timestamp.ToString(CultureInfo.InvariantCulture);
        var signature = Signatures.ComputeMessageSignature(token, ts, nonce, encrypted);
        var sb = new StringBuilder(encrypted.Length + 256);
        sb.Append("<xml><Encrypt>");
        AppendCData(sb, encrypted);
        sb.Append("</Encrypt><MsgSignature>");
        AppendCData(sb, signature);
        sb.Append("</MsgSignature><TimeStamp>").Append(ts).Append("</TimeStamp><Nonce>");
        AppendCData(sb, nonce);
        sb.Append("</Nonce></xml>");
        return sb.ToString();
    }

    /// <summary>Appends text as CDATA, removing characters XML cannot carry and splitting any <c>]]&gt;</c>.</summary>
    internal static void AppendCData(StringBuilder sb, string? value)
    {
        var text = Utf8Text.RemoveXmlInvalidCharacters(value ?? string.Empty);
        sb.Append("<![CDATA[");
        var start = 0;
        int end;
        while ((end = text.IndexOf("]]>", start, StringComparison.Ordinal)) >= 0)
        {
            // Close the section between "]]" and ">" and reopen it so the terminator never appears inside.
            sb.Append(text, start, end + 2 - start).Append("]]><![CDATA[");
            start = end + 2;
        }
        sb.Append(text, start, text.Length - start).Append("]]>");
    }
}
