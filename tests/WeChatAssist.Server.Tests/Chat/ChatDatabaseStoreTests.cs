using Microsoft.Data.Sqlite;
using WeChatAssist.Server.Chat;
using WeChatAssist.Server.Chat.Dialogue;
using WeChatAssist.Server.Chat.Persistence;
using WeChatAssist.Server.Chat.Understanding;
using WeChatAssist.Server.Tests.Infrastructure;

namespace WeChatAssist.Server.Tests.Chat;

public sealed class ChatDatabaseStoreTests : IDisposable
{
    private readonly TempSqliteFile _file = new();
    private readonly System.Data.Common.DbDataSource _dataSource;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2023, 11, 15, 2, 0, 0, TimeSpan.Zero));

    public ChatDatabaseStoreTests()
    {
        _dataSource = SqliteFactory.Instance.CreateDataSource(_file.ConnectionString);
        using var command = _dataSource.CreateCommand(File.ReadAllText(FindScript()));
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _dataSource.Dispose();
        _file.Dispose();
    }

    private static string FindScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src/WeChatAssist.Server/Data/Schema/0004_chat.sqlite.sql");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("0004_chat.sqlite.sql");
    }

    [Fact]
    public async Task Dialogue_state_round_trips_and_expires()
    {
        var store = new DbDialogueStateStore(_dataSource, _clock);
        var state = new DialogueState
        {
            PendingIntent = ChatIntent.AmountDue,
            Choices = [ChatIntent.Deadline, ChatIntent.LatePayment],
            Slots = new ChatSlots { Categories = ["dibao"], Tier = 1, BirthDate = new DateOnly(2023, 10, 5) },
            Language = ChatLanguage.English,
        };
        await store.SaveAsync("acct", "o1", state, TimeSpan.FromMinutes(30), CancellationToken.None);
        await store.SaveAsync("acct", "o1", state with { PendingIntent = ChatIntent.Newborn }, TimeSpan.FromMinutes(30), CancellationToken.None);

        var read = await store.GetAsync("acct", "o1", CancellationToken.None);
        Assert.NotNull(read);
        Assert.Equal(ChatIntent.Newborn, read.PendingIntent);
        Assert.Equal(["dibao"], read.Slots.Categories);
        Assert.Equal(new DateOnly(2023, 10, 5), read.Slots.BirthDate);
        Assert.Equal(ChatLanguage.English, read.Language);
        Assert.Equal([ChatIntent.Deadline, ChatIntent.LatePayment], read.Choices);
        Assert.Null(await store.GetAsync("acct", "o2", CancellationToken.None));

        _clock.Advance(TimeSpan.FromMinutes(31));
        Assert.Null(await store.GetAsync("acct", "o1", CancellationToken.None));
        Assert.Equal(1, await store.SweepAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Conversation_continues_through_the_database_store()
    {
        var engine = StandaloneChat.Create(states: new DbDialogueStateStore(_dataSource, _clock));
        var policy = ChatTestEngine.Catalog.Get("wenxi-2024");
        await engine.AnswerAsync(new ChatRequest("acct", "o1", policy, ChatLanguage.SimplifiedChinese, "交多少钱", new DateOnly(2023, 11, 15)), CancellationToken.None);
        var answer = await engine.AnswerAsync(new ChatRequest("acct", "o1", policy, ChatLanguage.SimplifiedChinese, "我是低保户", new DateOnly(2023, 11, 15)), CancellationToken.None);
        Assert.Contains("76元", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scenes_and_reminder_choices_are_stored()
    {
        await new DbFollowerSceneRecorder(_dataSource).RecordAsync("acct", "o1", "cadre-17", _clock.GetUtcNow(), CancellationToken.None);
        await using (var command = _dataSource.CreateCommand("SELECT scene FROM follower_scene WHERE account = 'acct' AND open_id = 'o1'"))
        {
            Assert.Equal("cadre-17", await command.ExecuteScalarAsync());
        }

        var reminders = new DbReminderSubscriptions(_dataSource, _clock);
        Assert.Null(await reminders.GetAsync("acct", "o1", CancellationToken.None));
        await reminders.SetAsync("acct", "o1", true, CancellationToken.None);
        Assert.True(await reminders.GetAsync("acct", "o1", CancellationToken.None));
        await reminders.SetAsync("acct", "o1", false, CancellationToken.None);
        Assert.False(await reminders.GetAsync("acct", "o1", CancellationToken.None));
    }
}
