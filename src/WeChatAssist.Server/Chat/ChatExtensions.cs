using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using WeChatAssist.Policy;
using WeChatAssist.Server.Chat.Answers;
using WeChatAssist.Server.Chat.Dialogue;
using WeChatAssist.Server.Chat.Persistence;
using WeChatAssist.Server.Chat.Residents;
using WeChatAssist.Server.Chat.Understanding;
using WeChatAssist.Server.Data;
using WeChatAssist.WeChat;

namespace WeChatAssist.Server.Chat;

/// <summary>Registers the resident chatbot and its WeChat message handler.</summary>
internal static class ChatExtensions
{
    /// <summary>Adds the chatbot: understanding layer, templates, engine, in-memory stores (replaceable) and the
    /// WeChat handler. Needs <c>AddPolicies</c> and <c>AddBusinessClock</c>.</summary>
    public static IHostApplicationBuilder AddChat(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ChatOptions>()
            .Bind(builder.Configuration.GetSection(ChatOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => CreateUnderstanding(AppContext.BaseDirectory, sp.GetRequiredService<ResidentWords>(), sp.GetRequiredService<IOptions<ChatOptions>>().Value));
        builder.Services.AddSingleton(_ => AnswerTemplates.Load(Path.Combine(AppContext.BaseDirectory, AnswerTemplates.Folder)));
        builder.Services.AddSingleton(sp => new ChatEngine(
            sp.GetRequiredService<ChatUnderstanding>(),
            sp.GetRequiredService<AnswerTemplates>(),
            sp.GetRequiredService<IDialogueStateStore>(),
            sp.GetRequiredService<IResidentDirectory>(),
            sp.GetRequiredService<IReminderSubscriptions>(),
            sp.GetRequiredService<IOptions<ChatOptions>>().Value));

        // Dialogue state expires in real time, not business time.
        builder.Services.TryAddSingleton<IDialogueStateStore>(sp => new InMemoryDialogueStateStore(sp.GetRequiredService<TimeProvider>()));
        builder.Services.TryAddSingleton<IResidentDirectory, UnboundResidentDirectory>();
        builder.Services.TryAddSingleton<IReminderSubscriptions, InMemoryReminderSubscriptions>();
        builder.Services.TryAddSingleton<IFollowerSceneRecorder, InMemoryFollowerSceneRecorder>();
        builder.Services.TryAddSingleton<IFollowerLanguages, UnknownFollowerLanguages>();
        builder.Services.AddHostedService<ChatWarmUp>();
        builder.Services.AddWeChatMessageHandler<ChatMessageHandler>();
        return builder;
    }

    /// <summary>Replaces the in-memory dialogue, scene and reminder stores with the database ones (tables of schema
    /// version 4, <c>Chat/Schema/0004_chat.*.sql</c>, to be moved into <c>Data/Schema/</c> once version 3 exists).</summary>
    public static IServiceCollection AddChatDatabaseStores(this IServiceCollection services)
    {
        services.AddSingleton<IDialogueStateStore>(sp => new DbDialogueStateStore(sp.GetRequiredService<DatabaseTarget>().DataSource, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IFollowerSceneRecorder>(sp => new DbFollowerSceneRecorder(sp.GetRequiredService<DatabaseTarget>().DataSource));
        services.AddSingleton<IReminderSubscriptions>(sp => new DbReminderSubscriptions(sp.GetRequiredService<DatabaseTarget>().DataSource, sp.GetRequiredService<TimeProvider>()));
        return services;
    }

    /// <summary>The understanding layer from the files beside the binaries under <paramref name="baseDirectory"/>.</summary>
    public static ChatUnderstanding CreateUnderstanding(string baseDirectory, ResidentWords residentWords, ChatOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var bank = QuestionBank.LoadFile(Path.Combine(baseDirectory, QuestionBank.FileName));
        return ChatUnderstanding.Create(Path.Combine(baseDirectory, ChatVocabulary.Folder), residentWords, bank, options);
    }

    /// <summary>Loads the vocabulary, question bank and templates during start-up so a bad file fails the start.</summary>
    private sealed class ChatWarmUp(IServiceProvider services) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            _ = services.GetRequiredService<ChatEngine>();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
