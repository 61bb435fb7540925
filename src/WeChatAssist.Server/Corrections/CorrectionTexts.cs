using Microsoft.AspNetCore.Http.HttpResults;
using WeChatAssist.Server.Policies;

namespace WeChatAssist.Server.Corrections;

/// <summary>Plain-Chinese problem texts and words of the corrections feature, from <c>localization/</c>.</summary>
internal sealed class CorrectionTexts(ProblemTexts texts)
{
    /// <summary>The file, relative to the binaries.</summary>
    public const string FileName = "localization/corrections.zh-Hans.json";

    public static CorrectionTexts LoadFile(string path) => new(ProblemTexts.LoadFile(path));

    /// <summary>A problem+json result with the localized title and detail.</summary>
    public ProblemHttpResult Problem(int status, string key, params (string Name, object Value)[] values) =>
        texts.Problem(status, key, values);

    /// <summary>A word shown to the resident: a field's name (<c>field.name</c>) or an outcome (<c>status.approved</c>).</summary>
    public string Word(string key) => texts.Fact(key);
}
