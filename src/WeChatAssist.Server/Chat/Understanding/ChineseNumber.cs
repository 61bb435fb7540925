namespace WeChatAssist.Server.Chat.Understanding;

/// <summary>Parses numbers as residents write them: 380, 三百八, 三百八十, 一千零二十, 两百, 十二.</summary>
internal static class ChineseNumber
{
    /// <summary>Characters that may form a Chinese numeral.</summary>
    public const string Characters = "零〇一二两三四五六七八九十百千万";

    /// <summary>The value, or null when <paramref name="text"/> is not a number.</summary>
    public static long? Parse(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return null;
        }

        if (long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var arabic))
        {
            return arabic;
        }

        long total = 0;
        long section = 0;
        long digit = -1;
        var lastUnit = 0L;
        var afterZero = false;
        foreach (var c in text)
        {
            var d = Digit(c);
            if (d >= 0)
            {
                if (d == 0)
                {
                    afterZero = true;
                }

                digit = d;
                continue;
            }

            var unit = c switch { '十' => 10L, '百' => 100L, '千' => 1000L, '万' => 10000L, _ => 0L };
            if (unit == 0)
            {
                return null;
            }

            if (unit == 10000)
            {
                section += Math.Max(digit, 0);
                total += section * 10000;
                section = 0;
            }
            else
            {
                section += (digit < 0 ? 1 : digit) * unit;
            }

            digit = -1;
            lastUnit = unit;
            afterZero = false;
        }

        if (digit >= 0)
        {
            // 三百八 means 380: a trailing digit right after a unit counts in the next lower unit (not after 零).
            section += !afterZero && lastUnit is 100 or 1000 or 10000 ? digit * (lastUnit / 10) : digit;
        }

        return total + section;
    }

    private static int Digit(char c) => c switch
    {
        '零' or '〇' => 0,
        '一' => 1,
        '二' or '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        >= '0' and <= '9' => c - '0',
        _ => -1,
    };
}
