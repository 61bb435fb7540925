using System.Globalization;
using System.Text.RegularExpressions;

namespace WeChatAssist.Server.Chat.Understanding;

/// <summary>Days residents name by a festival or the lunar calendar ("元旦那天生的", "正月初九交的", "腊月再交",
/// "端午节前后"): each found day is the festival's next occurrence from the start of today's month, as a month said
/// without a year is; the caller moves it a year back when the message speaks of the past.</summary>
internal static partial class FestivalDays
{
    private static readonly ChineseLunisolarCalendar Lunar = new();

    /// <summary>The festival days in <paramref name="canonical"/>: where each is said, how long, the day, the same
    /// festival a year earlier (a lunar day is not a year's days away), and whether a day was said (false for a lunar
    /// month alone: "腊月再交" is a period, its first day).</summary>
    public static IEnumerable<(int Index, int Length, DateOnly Date, DateOnly Earlier, bool HasDay)> Find(string canonical, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(canonical);
        foreach (Match match in Pattern().Matches(canonical))
        {
            var ((month, day), lunar, hasDay) = match switch
            {
                _ when match.Groups["solar"].Success => (SolarFeast(match.Groups["solar"].Value), false, true),
                _ when match.Groups["feast"].Success => (LunarFeast(match.Groups["feast"].Value), true, true),
                _ when match.Groups["lm"].Success => ((LunarMonth(match.Groups["lm"].Value), match.Groups["ld"].Success ? LunarDay(match.Groups["ld"].Value) : 1), true, match.Groups["ld"].Success),
                _ => ((1, LunarDay(match.Groups["nd"].Value)), true, true),
            };
            if (month is < 1 or > 12 || day is < 0 or > 30)
            {
                continue;
            }

            var from = new DateOnly(today.Year, today.Month, 1);
            for (var year = today.Year - 1; year <= today.Year + 1; year++)
            {
                var date = lunar ? FromLunar(year, month, day) : new DateOnly(year, month, day);
                if (date >= from)
                {
                    yield return (match.Index, match.Length, date, lunar ? FromLunar(year - 1, month, day) : date.AddYears(-1), hasDay);
                    break;
                }
            }
        }
    }

    // Day 0 is the eve: the day before the first of the month (除夕 is the day before 正月初一).
    private static DateOnly FromLunar(int year, int month, int day)
    {
        var leap = Lunar.GetLeapMonth(year);
        var index = leap > 0 && month >= leap ? month + 1 : month;
        var days = Lunar.GetDaysInMonth(year, index);
        var first = DateOnly.FromDateTime(Lunar.ToDateTime(year, index, 1, 0, 0, 0, 0));
        return day == 0 ? first.AddDays(-1) : first.AddDays(Math.Min(day, days) - 1);
    }

    private static (int Month, int Day) SolarFeast(string name) => name switch
    {
        "元旦" => (1, 1),
        "情人节" => (2, 14),
        "妇女节" or "三八节" => (3, 8),
        "劳动节" or "五一" => (5, 1),
        "儿童节" or "六一" => (6, 1),
        "七一" => (7, 1),
        "建军节" or "八一" => (8, 1),
        "教师节" => (9, 10),
        "国庆节" or "国庆" => (10, 1),
        // Solar terms residents date by (清明 falls on 4–5 April, 立春 on 3–5 February: the usual day).
        "清明节" or "清明" => (4, 4),
        "立春" => (2, 4),
        _ => (12, 25),
    };

    private static (int Month, int Day) LunarFeast(string name) => name switch
    {
        "春节" or "大年初一" => (1, 1),
        "除夕" or "大年三十" or "年三十" => (1, 0),
        "元宵节" or "元宵" or "十五" => (1, 15),
        "端午节" or "端午" => (5, 5),
        "中秋节" or "中秋" => (8, 15),
        "重阳节" or "重阳" => (9, 9),
        _ => (12, 8),
    };

    private static int LunarMonth(string name) => name switch
    {
        "正" => 1,
        "冬" => 11,
        "腊" => 12,
        _ => (int)(ChineseNumber.Parse(name) ?? 0),
    };

    // 初一…初十, 十一…十九, 二十/廿…, 三十.
    private static int LunarDay(string text) =>
        text.StartsWith('初') ? (int)(ChineseNumber.Parse(text.AsSpan(1)) ?? 0) : (int)(ChineseNumber.Parse(text.Replace("廿", "二十", StringComparison.Ordinal)) ?? 0);

    // A lunar month and day: 正/冬/腊 months always, a numbered month only with a lunar day (初九, 廿三) or after
    // 农历/阴历. A bare 初X only after 大年/过年/正月 ("初二" alone is a school year); a bare 十五 only after 过完/过了
    // (the 15th of the first month, 元宵).
    [GeneratedRegex(@"(?<solar>元旦|情人节|妇女节|三八节|劳动节|五一|儿童节|六一|七一|建军节|八一|教师节|国庆节|国庆|圣诞节|圣诞|清明节|清明|立春)|(?<feast>春节|大年初一|除夕|大年三十|年三十|元宵节|元宵|(?<=过完|过了)十五|端午节|端午|中秋节|中秋|重阳节|重阳|腊八)|(?:农历|阴历)(?<lm>正|十一|十二|[一二三四五六七八九十])月(?<ld>初[一二三四五六七八九十]|十[一二三四五六七八九]|二十[一二三四五六七八九]?|廿[一二三四五六七八九]|三十)?|(?<lm>正|冬|腊)月(?<ld>初[一二三四五六七八九十]|十[一二三四五六七八九]|二十[一二三四五六七八九]?|廿[一二三四五六七八九]|三十)?|(?<lm>十一|十二|[二三四五六七八九十])月(?<ld>初[一二三四五六七八九十]|廿[一二三四五六七八九])|(?:大年|过年)(?<nd>初[一二三四五六七八九十])")]
    private static partial Regex Pattern();
}
