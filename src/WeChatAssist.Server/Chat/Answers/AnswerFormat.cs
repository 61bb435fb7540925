using System.Globalization;
using Humanizer;
using WeChatAssist.Policy;
using WeChatAssist.Server.Clock;
using WeChatAssist.Server.Chat.Understanding;

namespace WeChatAssist.Server.Chat.Answers;

/// <summary>Formats the engine's fen and dates, the policy's own words and citations for one answer language.
/// Chinese: <c>380元</c>, <c>2023年12月31日</c>; English: <c>380 yuan</c>, <c>31 December 2023</c> and number words;
/// relative dates by Humanizer in all three languages.</summary>
internal sealed partial class AnswerFormat(ChatLanguage language, TextNormalizer normalizer)
{
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en");

    /// <summary>The language formatted for.</summary>
    public ChatLanguage Language => language;

    /// <summary>An amount.</summary>
    public string Yuan(long fen) => language == ChatLanguage.English
        ? string.Create(English, $"{fen / 100m:0.##} yuan")
        : PolicyFormat.Yuan(fen);

    /// <summary>A date.</summary>
    public string Date(DateOnly date) => language == ChatLanguage.English
        ? date.ToString("d MMMM yyyy", English)
        : PolicyFormat.Date(date);

    /// <summary>How far a date is from the business date, in whole calendar days, by Humanizer in the answer's
    /// language ("3 天后", "3 天後", "3 days from now", "明天"); empty for today, which templates word themselves.</summary>
    public string Relative(DateOnly date, DateOnly today) => RelativeDates.Humanize(date, today, language switch
    {
        ChatLanguage.English => RelativeDates.English,
        ChatLanguage.TraditionalChinese => RelativeDates.TraditionalChinese,
        _ => RelativeDates.SimplifiedChinese,
    });

    /// <summary>A count of days (English words for small counts).</summary>
    public string Days(int days) => language == ChatLanguage.English
        ? string.Create(English, $"{days} ({days.ToWords(English)})")
        : days.ToString(CultureInfo.InvariantCulture);

    /// <summary>The policy's own words (names, channels, contacts) in the answer's script.</summary>
    public string Text(string text) => language == ChatLanguage.TraditionalChinese ? normalizer.ToTraditional(text) : text;

    /// <summary>A sentence of the notice as quoted: <see cref="Text"/> without the typesetting spaces around Chinese
    /// text ("2024 年 1 月 1 日" → "2024年1月1日"), which only lengthen the lines on a small phone.</summary>
    public string Quoted(string sentence) => Text(Untypeset(sentence));

    /// <summary>The sentence without the typesetting spaces around Chinese text (see <see cref="Quoted"/>).</summary>
    public static string Untypeset(string sentence) => TypesetSpaces().Replace(sentence, string.Empty);

    /// <summary>The brief basis: document number and clause numbering, e.g. <c>闻政办发〔2023〕29号 二、（六）</c>.</summary>
    public string Cite(InsurancePolicy policy, IEnumerable<Citation> citations)
    {
        var parts = new List<string>();
        foreach (var group in citations.Distinct().GroupBy(c => c.DocumentNumber))
        {
            var document = group.Key.Length > 0 ? group.Key : "《" + policy.Title + "》";
            var numbering = string.Join(language == ChatLanguage.English ? "; " : "，", group.Select(c => c.Numbering).Distinct().Take(3));
            parts.Add(language == ChatLanguage.English ? $"{document}, {numbering}" : $"{document} {numbering}");
        }

        return Text(string.Join(language == ChatLanguage.English ? "; " : "；", parts.Take(2)));
    }

    /// <summary>A category's name without its parenthesised part.</summary>
    public string CategoryName(SubsidyCategory category)
    {
        var open = category.Name.IndexOfAny(['（', '(']);
        return Text(open > 0 ? category.Name[..open] : category.Name);
    }

    /// <summary>The parenthesised part of a category's name (who it includes, "县财政定额资助夫妇1人"), or null.</summary>
    public string? CategoryScope(SubsidyCategory category)
    {
        var open = category.Name.IndexOfAny(['（', '(']);
        var close = category.Name.LastIndexOfAny(['）', ')']);
        return open > 0 && close > open + 1 ? Text(category.Name[(open + 1)..close]) : null;
    }

    // Spaces typeset beside Chinese characters or full-width punctuation (not between two Latin words).
    [System.Text.RegularExpressions.GeneratedRegex(@"(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])[ \t\u00a0\u3000]+|[ \t\u00a0\u3000]+(?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])")]
    private static partial System.Text.RegularExpressions.Regex TypesetSpaces();
}
