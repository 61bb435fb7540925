using Microsoft.AspNetCore.Http.HttpResults;
using WeChatAssist.Server.Policies;

namespace WeChatAssist.Server.PolicyDrafts;

/// <summary>Problem texts of the draft API, from <c>localization/policy-drafts.zh-Hans.json</c>.</summary>
internal sealed class PolicyDraftTexts(ProblemTexts texts)
{
    /// <summary>The file, relative to the binaries.</summary>
    public const string FileName = "localization/policy-drafts.zh-Hans.json";

    public static PolicyDraftTexts LoadFile(string path) => new(ProblemTexts.LoadFile(path));

    public ProblemHttpResult Problem(int status, string key, params (string Name, object Value)[] values) => texts.Problem(status, key, values);

    public string Word(string key) => texts.Fact(key);
}
