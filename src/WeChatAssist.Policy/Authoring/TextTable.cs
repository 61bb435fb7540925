using System.Globalization;
using System.Text;

namespace WeChatAssist.Policy;

/// <summary>Aligns rows of text in columns for a terminal; CJK characters count as two columns wide.</summary>
internal static class TextTable
{
    public static string Render(IReadOnlyList<string> headings, IEnumerable<IReadOnlyList<string>> rows)
    {
        var all = rows.Prepend(headings).ToList();
        var widths = new int[headings.Count];
        foreach (var row in all)
        {
            for (var i = 0; i < row.Count; i++)
            {
                widths[i] = Math.Max(widths[i], Width(row[i]));
            }
        }

        var text = new StringBuilder();
        for (var r = 0; r < all.Count; r++)
        {
            var row = all[r];
            for (var i = 0; i < row.Count; i++)
            {
                text.Append(row[i]);
                if (i < row.Count - 1)
                {
                    text.Append(' ', widths[i] - Width(row[i]) + 2);
                }
            }

            text.Append('\n');
            if (r == 0)
            {
                text.Append(string.Join("  ", widths.Select(w => new string('-', w)))).Append('\n');
            }
        }

        return text.ToString();
    }

    private static int Width(string s)
    {
        var width = 0;
        foreach (var rune in s.EnumerateRunes())
        {
            // East Asian wide characters (CJK, full-width punctuation) take two terminal columns.
            width += rune.Value >= 0x1100 && Rune.GetUnicodeCategory(rune) != UnicodeCategory.NonSpacingMark && rune.Value is not (0x2013 or 0x2014 or 0x2265) ? 2 : 1;
        }

        return width;
    }
}
