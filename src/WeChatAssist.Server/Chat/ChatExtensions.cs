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
using WeChatAssist.Server.Scheduling;

namespace WeChatAssist.Server.Chat;

/// <summary>Registers the resident chatbot and its WeChat message handler.</summary>
internal static class ChatExtensions
{
    /// <summary>Adds the chatbot: understanding layer, templates, engine, database stores, a replaceable resident
    /// directory (nobody bound until the mini-program) and the WeChat handler. Needs <c>AddDatabase</c>,
    /// <c>AddPolicies</c> and <c>AddBusinessClock</c>.</summary>
    public static IHostApplicationBuilder AddChat(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ChatOptions>()
            .Bind(builder.Configuration.GetSection(ChatOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => CreateUnderstanding(AppContext.BaseDirectory, sp.GetRequiredService<ResidentWords>(), sp.GetRequiredService<IOptions<ChatOptions>>().Value, sp.GetRequiredService<PolicyCatalog>().All));
        builder.Services.AddSingleton(_ => AnswerTemplates.Load(Path.Combine(AppContext.BaseDirectory, AnswerTemplates.Folder)));
        builder.Services.AddSingleton(sp => new ChatEngine(
            sp.GetRequiredService<ChatUnderstanding>(),
            sp.GetRequiredService<AnswerTemplates>(),
            sp.GetRequiredService<IDialogueStateStore>(),
            sp.GetRequiredService<IResidentDirectory>(),
            sp.GetRequiredService<IReminderSubscriptions>(),
            sp.GetRequiredService<IOptions<ChatOptions>>().Value));

        // Dialogue state, QR scenes and reminder choices are shared by all nodes through the database (schema version 4).
        builder.Services.AddChatDatabaseStores();
        builder.Services.TryAddSingleton<IResidentDirectory, UnboundResidentDirectory>();
        builder.Services.TryAddSingleton<IFollowerLanguages, UnknownFollowerLanguages>();
        builder.Services.TryAddSingleton<IBindingInvitation, NoBindingInvitation>();
        builder.Services.AddHostedService<ChatWarmUp>();
        builder.Services.AddWeChatMessageHandler<ChatMessageHandler>();
        builder.Services.AddRecurringJob<ChatDialogueSweepJob>("chat-dialogue-sweep", "*/10 * * * *");
        return builder;
    }

    /// <summary>Registers the database dialogue, scene and reminder stores (tables of schema version 4,
    /// <c>Data/Schema/0004_chat.*.sql</c>).</summary>
    public static IServiceCollection AddChatDatabaseStores(this IServiceCollection services)
    {
        // Expiry is real time, not business time.
        services.AddSingleton(sp => new DbDialogueStateStore(sp.GetRequiredService<DatabaseTarget>().DataSource, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IDialogueStateStore>(sp => sp.GetRequiredService<DbDialogueStateStore>());
        services.AddSingleton<IFollowerSceneRecorder>(sp => new DbFollowerSceneRecorder(sp.GetRequiredService<DatabaseTarget>().DataSource));
        services.AddSingleton<IReminderSubscriptions>(sp => new DbReminderSubscriptions(sp.GetRequiredService<DatabaseTarget>().DataSource, sp.GetRequiredService<TimeProvider>()));
        return services;
    }

    /// <summary>The understanding layer from the files beside the binaries under <paramref name="baseDirectory"/>.</summary>
    public static ChatUnderstanding CreateUnderstanding(string baseDirectory, ResidentWords residentWords, ChatOptions options, IEnumerable<InsurancePolicy>? policies = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var bank = QuestionBank.LoadFile(Path.Combine(baseDirectory, QuestionBank.FileName));
        return ChatUnderstanding.Create(Path.Combine(baseDirectory, ChatVocabulary.Folder), residentWords, bank, options, policies ?? PolicyCatalog.LoadShipped().All, baseDirectory);
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
