using WeChatAssist.Policy;
using WeChatAssist.Server.Chat.Answers;
using WeChatAssist.Server.Chat.Dialogue;
using WeChatAssist.Server.Chat.Residents;
using WeChatAssist.Server.Policies;

namespace WeChatAssist.Server.Chat;

/// <summary>Builds a <see cref="ChatEngine"/> without a host, from the files beside the binaries: for the evaluation
/// command, tests and benchmarks.</summary>
internal static class StandaloneChat
{
    /// <summary>An engine with in-memory stores unless others are given.</summary>
    public static ChatEngine Create(
        ChatOptions? options = null,
        IDialogueStateStore? states = null,
        IResidentDirectory? residents = null,
        IReminderSubscriptions? reminders = null,
        TimeProvider? clock = null)
    {
        options ??= new ChatOptions();
        var baseDirectory = AppContext.BaseDirectory;
        var words = ResidentWords.LoadFile(Path.Combine(baseDirectory, PoliciesExtensions.ResidentWordsFile));
        return new ChatEngine(
            ChatExtensions.CreateUnderstanding(baseDirectory, words, options),
            AnswerTemplates.Load(Path.Combine(baseDirectory, AnswerTemplates.Folder)),
            states ?? new InMemoryDialogueStateStore(clock ?? TimeProvider.System),
            residents ?? new UnboundResidentDirectory(),
            reminders ?? new InMemoryReminderSubscriptions(),
            options);
    }
}
