using WeChatAssist.Policy;
using WeChatAssist.Server.Chat;
using WeChatAssist.Server.Chat.Dialogue;
using WeChatAssist.Server.Chat.Residents;
using WeChatAssist.Server.Tests.Infrastructure;

namespace WeChatAssist.Server.Tests.Chat;

/// <summary>A chatbot over the shipped notices with in-memory stores, and a conversation helper.</summary>
internal sealed class ChatTestEngine
{
    public static readonly PolicyCatalog Catalog = PolicyCatalog.LoadShipped();

    public ChatTestEngine(IResidentDirectory? residents = null)
    {
        Clock = new FakeTimeProvider(new DateTimeOffset(2023, 11, 15, 2, 0, 0, TimeSpan.Zero));
        Reminders = new InMemoryReminderSubscriptions();
        Engine = StandaloneChat.Create(states: new InMemoryDialogueStateStore(Clock), residents: residents, reminders: Reminders);
    }

    public FakeTimeProvider Clock { get; }

    public InMemoryReminderSubscriptions Reminders { get; }

    public ChatEngine Engine { get; }

    public Task<ChatAnswer> AskAsync(string policyId, string text, DateOnly? today = null, ChatLanguage language = ChatLanguage.SimplifiedChinese, string user = "o-user") =>
        Engine.AnswerAsync(new ChatRequest("acct", user, Catalog.Get(policyId), language, text, today ?? new DateOnly(2023, 11, 15)), CancellationToken.None).AsTask();
}

/// <summary>A binding directory seeded by the test.</summary>
internal sealed class SeededResidentDirectory(Dictionary<string, BoundResident> byOpenId) : IResidentDirectory
{
    public ValueTask<BoundResident?> FindAsync(string account, string openId, string policyId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(byOpenId.GetValueOrDefault(openId));
}
