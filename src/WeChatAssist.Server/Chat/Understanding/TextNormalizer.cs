using System.Globalization;
using System.Text;

namespace WeChatAssist.Server.Chat.Understanding;

/// <summary>Turns what a resident typed into comparable text: half-width, Simplified, lower case, no punctuation or
/// spaces (<see cref="Clean"/>); then synonyms rewritten (<see cref="Canonicalize"/>) and fillers dropped (<see cref="StripFillers"/>).</summary>
internal sealed class TextNormalizer(ChatVocabulary vocabulary)
{
    /// <summary>Full-width to half-width, Traditional to Simplified, lower case; punctuation, symbols and spaces removed.</summary>
    public string Clean(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length);
        foreach (var raw in text)
        {
            var c = raw switch
            {
                >= '\uFF01' and <= '\uFF5E' => (char)(raw - 0xFEE0),
                '\u3000' => ' ',
                _ => raw,
            };
            if (vocabulary.ToSimplified.TryGetValue(c, out var simplified))
            {
                c = simplified;
            }

            // Keep '.' between digits (3.5元) and '-' in dates/phones; drop other punctuation.
            if (char.IsLetterOrDigit(c) || c is '.' or '-' or '/')
            {
                builder.Append(char.ToLowerInvariant(c));
            }
            else if (CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.OtherLetter)
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>Rewrites residents' variants and dialect words to the canonical domain words.</summary>
    public string Canonicalize(string clean)
    {
        ArgumentNullException.ThrowIfNull(clean);
        var text = clean;
        foreach (var (variant, canonical) in vocabulary.Synonyms)
        {
            if (text.Contains(variant, StringComparison.Ordinal))
            {
                text = text.Replace(variant, canonical, StringComparison.Ordinal);
            }
        }

        return text;
    }

    /// <summary>Drops fillers such as 请问, 那个, 呢; keeps the text when nothing else would remain.</summary>
    public string StripFillers(string canonical)
    {
        ArgumentNullException.ThrowIfNull(canonical);
        var text = canonical;
        foreach (var filler in vocabulary.Fillers)
        {
            if (text.Contains(filler, StringComparison.Ordinal))
            {
                text = text.Replace(filler, string.Empty, StringComparison.Ordinal);
            }
        }

        return text.Length == 0 ? canonical : text;
    }

    /// <summary>Simplified to Traditional for the policy's own names in zh-Hant answers.</summary>
    public string ToTraditional(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (vocabulary.ToTraditional.TryGetValue(chars[i], out var traditional))
            {
                chars[i] = traditional;
            }
        }

        return new string(chars);
    }
}
