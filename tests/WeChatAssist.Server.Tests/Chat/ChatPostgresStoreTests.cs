using Npgsql;
using WeChatAssist.Server.Chat;
using WeChatAssist.Server.Chat.Dialogue;
using WeChatAssist.Server.Chat.Persistence;
using WeChatAssist.Server.Chat.Understanding;
using WeChatAssist.Server.Tests.Infrastructure;

namespace WeChatAssist.Server.Tests.Chat;

public sealed class ChatPostgresStoreTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private static string Script()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src/WeChatAssist.Server/Data/Schema/0004_chat.postgres.sql");
            if (File.Exists(candidate))
            {
                return File.ReadAllText(candidate);
            }
        }

        throw new FileNotFoundException("0004_chat.postgres.sql");
    }

    [Fact]
    public async Task Stores_work_on_PostgreSQL()
    {
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync());
        await using (var create = dataSource.CreateCommand(Script()))
        {
            await create.ExecuteNonQueryAsync();
        }

        var clock = new FakeTimeProvider(new DateTimeOffset(2023, 11, 15, 2, 0, 0, TimeSpan.Zero));
        var states = new DbDialogueStateStore(dataSource, clock);
        await states.SaveAsync("acct", "o1", new DialogueState { PendingIntent = ChatIntent.AmountDue, Language = ChatLanguage.TraditionalChinese }, TimeSpan.FromMinutes(5), CancellationToken.None);
        await states.SaveAsync("acct", "o1", new DialogueState { PendingIntent = ChatIntent.Students }, TimeSpan.FromMinutes(5), CancellationToken.None);
        Assert.Equal(ChatIntent.Students, (await states.GetAsync("acct", "o1", CancellationToken.None))?.PendingIntent);
        clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Null(await states.GetAsync("acct", "o1", CancellationToken.None));
        Assert.Equal(1, await states.SweepAsync(CancellationToken.None));

        await new DbFollowerSceneRecorder(dataSource).RecordAsync("acct", "o1", "cadre-3", new DateTimeOffset(2023, 11, 15, 10, 0, 0, TimeSpan.FromHours(8)), CancellationToken.None);
        await using (var count = dataSource.CreateCommand("SELECT count(*) FROM follower_scene WHERE scene = 'cadre-3'"))
        {
            Assert.Equal(1L, await count.ExecuteScalarAsync());
        }

        var reminders = new DbReminderSubscriptions(dataSource, clock);
        await reminders.SetAsync("acct", "o1", true, CancellationToken.None);
        await reminders.SetAsync("acct", "o1", false, CancellationToken.None);
        Assert.False(await reminders.GetAsync("acct", "o1", CancellationToken.None));
    }
}
