using System.Globalization;

namespace WeChatAssist.Server.PersonalData;

/// <summary>How personal data is shown: <c>5002**********1234</c>, <c>张*</c>, <c>欧阳**</c>.</summary>
internal static class PersonalDataMask
{
    /// <summary>Keeps the first four and last four characters of an ID number.</summary>
    public static string IdNumber(string idNumber) =>
        idNumber.Length <= 8 ? new string('*', idNumber.Length) : idNumber[..4] + new string('*', idNumber.Length - 8) + idNumber[^4..];

    /// <summary>Keeps the surname: the first character, or the first two for a known compound surname such as 欧阳.
    /// Counted in text elements so no character is split.</summary>
    public static string Name(string name)
    {
        var elements = new List<string>();
        var enumerator = StringInfo.GetTextElementEnumerator(name.Trim());
        while (enumerator.MoveNext())
        {
            elements.Add(enumerator.GetTextElement());
        }

        if (elements.Count <= 1)
        {
            return elements.Count == 0 ? "" : "*";
        }

        var kept = CompoundSurnames.Contains(elements[0] + elements[1]) ? 2 : 1;
        if (kept >= elements.Count)
        {
            kept = 1;
        }

        return string.Concat(elements.Take(kept)) + new string('*', elements.Count - kept);
    }

    // The commonest two-character surnames; others fall back to masking all but the first character.
    private static readonly HashSet<string> CompoundSurnames = new(StringComparer.Ordinal)
    {
        "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯", "令狐", "轩辕", "西门", "南宫", "端木", "独孤", "百里",
    };
}
