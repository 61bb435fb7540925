using Microsoft.AspNetCore.Http.HttpResults;
using WeChatAssist.Server.Policies;

namespace WeChatAssist.Server.Links;

/// <summary>Problem texts of the links API, from <c>localization/links.zh-Hans.json</c>.</summary>
internal sealed class LinkTexts(ProblemTexts texts)
{
    /// <summary>The file, relative to the binaries.</summary>
    public const string FileName = "localization/links.zh-Hans.json";

    public static LinkTexts LoadFile(string path) => new(ProblemTexts.LoadFile(path));

    /// <summary>A problem+json result with the localized title and detail.</summary>
    public ProblemHttpResult Problem(int status, string key, params (string Name, object Value)[] values) =>
        texts.Problem(status, key, values);
}
