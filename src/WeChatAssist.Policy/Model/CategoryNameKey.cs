using System.Text;

namespace WeChatAssist.Policy;

/// <summary>Normalises category names so the notice's wording matches with or without its parenthesised part.</summary>
internal static class CategoryNameKey
{
    /// <summary>NFKC (full-width parentheses become ASCII), whitespace removed, dashes unified.</summary>
    public static string Normalize(string name)
    {
        var nfkc = name.Normalize(NormalizationForm.FormKC);
        var sb = new StringBuilder(nfkc.Length);
        foreach (var c in nfkc)
        {
            if (char.IsWhiteSpace(c))
            {
                continue;
            }

            sb.Append(c switch
            {
                '\u2014' or '\u2013' or '\u2012' or '\u2010' or '\u2011' or '\u2015' or '\u2212' or '\u30FC' => '-',
                _ => c,
            });
        }

        return sb.ToString();
    }

    /// <summary>Removes every parenthesised part of an already normalised name.</summary>
    public static string StripParentheses(string normalized)
    {
        if (!normalized.Contains('(', StringComparison.Ordinal))
        {
            return normalized;
        }

        var sb = new StringBuilder(normalized.Length);
        var depth = 0;
        foreach (var c in normalized)
        {
            if (c == '(')
            {
                depth++;
            }
            else if (c == ')')
            {
                depth = Math.Max(0, depth - 1);
            }
            else if (depth == 0)
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
