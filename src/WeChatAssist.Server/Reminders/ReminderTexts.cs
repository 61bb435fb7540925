using WeChatAssist.Server.Policies;

namespace WeChatAssist.Server.Reminders;

/// <summary>Problem texts of the reminder and broadcast APIs, from <c>localization/reminders.zh-Hans.json</c>.</summary>
internal sealed class ReminderTexts(ProblemTexts texts)
{
    /// <summary>The file, relative to the binaries.</summary>
    public const string FileName = "localization/reminders.zh-Hans.json";

    public static ReminderTexts LoadFile(string path) => new(ProblemTexts.LoadFile(path));

    /// <summary>A problem+json result with the localized title and detail and a <c>code</c> extension.</summary>
    public Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Problem(int status, string key, params (string Name, object Value)[] values) =>
        texts.Problem(status, key, values);
}
