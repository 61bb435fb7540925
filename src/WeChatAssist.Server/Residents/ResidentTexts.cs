using System.Globalization;
using WeChatAssist.Server.Policies;

namespace WeChatAssist.Server.Residents;

/// <summary>Plain-Chinese problem texts of the mini-program and staff APIs, from <c>localization/</c>.</summary>
internal sealed class ResidentTexts(ProblemTexts texts)
{
    /// <summary>The file, relative to the binaries.</summary>
    public const string FileName = "localization/miniprogram.zh-Hans.json";

    public static ResidentTexts LoadFile(string path) => new(ProblemTexts.LoadFile(path));

    /// <summary>A problem+json result with the localized title and detail.</summary>
    public Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Problem(int status, string key, params (string Name, object Value)[] values) =>
        texts.Problem(status, key, values);

    /// <summary>A localized sentence (the detail of <paramref name="key"/>) with its placeholders filled.</summary>
    public string Render(string key, params (string Name, object Value)[] values) =>
        texts.Render(key, values.ToDictionary(v => v.Name, v => Convert.ToString(v.Value, CultureInfo.InvariantCulture) ?? "")).Detail;

    /// <summary>The title of <paramref name="key"/> (e.g. a link's label).</summary>
    public string Title(string key) => texts.Render(key, new Dictionary<string, string>()).Title;

    /// <summary>The text key of an ID number error.</summary>
    public static string Key(IdNumberError error) => "id" + error.ToString();
}
