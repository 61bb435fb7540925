using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using WeChatAssist.Policy;
using WeChatAssist.Server.Chat;
using WeChatAssist.Server.Chat.Persistence;
using WeChatAssist.Server.Clock;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Localization;
using WeChatAssist.Server.Payments;
using WeChatAssist.Server.Scheduling;
using WeChatAssist.Server.WeChat;

namespace WeChatAssist.Server.Reminders;

/// <summary>Registers reminder planning, dispatch, preferences and the staff request service. Call after
/// <c>AddChat</c> (it takes over the chat's reminder choices) and <c>AddPayments</c>.</summary>
internal static class RemindersExtensions
{
    public static IHostApplicationBuilder AddReminders(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RemindersOptions>()
            .Bind(builder.Configuration.GetSection(RemindersOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.SendingHours.Opens < o.SendingHours.Closes, $"{RemindersOptions.SectionName}:SendingOpens must be before SendingCloses.")
            .Validate(
                o => new[] { o.DeadlineOffsetDays, o.LateChangeOffsetDays, o.MonthlyStopOffsetDays, o.NewbornOffsetDays, o.WaitingEndOffsetDays }
                    .Concat(o.Counties.Values.Select(c => c.DeadlineOffsetDays)).All(list => list.All(d => d is >= 0 and <= 366)),
                $"{RemindersOptions.SectionName}: offset days must be between 0 and 366.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<RemindersOptions>>().Value);
        builder.Services.AddSingleton(sp => new SendingHours(sp.GetRequiredService<RemindersOptions>(), sp.GetRequiredService<BusinessClock>().LocalTimeZone));
        builder.Services.AddSingleton(sp => ReminderMessages.Load(Path.Combine(AppContext.BaseDirectory, ReminderMessages.FileName), sp.GetRequiredService<RemindersOptions>().TemplateIds));
        builder.Services.AddProblemTexts(ProblemTextKeys.Reminders);
        builder.Services.AddSingleton<ReminderContent>();
        builder.Services.AddSingleton<ReminderOutbox>();
        builder.Services.TryAddSingleton<MessageChannels>();
        builder.Services.AddSingleton<SendBudgets>();
        builder.Services.AddSingleton<ReminderPlanner>();
        builder.Services.AddSingleton<ReminderRetry>();
        builder.Services.AddSingleton<ReminderDispatcher>();
        builder.Services.AddSingleton<ReminderPreferences>();
        builder.Services.AddSingleton<IStaffReminderRequests, StaffReminderRequests>();
        builder.Services.AddSingleton<IPaymentsRecordedParticipant, ReminderPaymentParticipant>();

        // The chat's 退订/订阅 also set every kind of the per-kind preferences.
        builder.Services.AddSingleton(sp => new DbReminderSubscriptions(sp.GetRequiredService<DatabaseTarget>().DataSource, sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<IReminderSubscriptions, ChatReminderSubscriptions>();

        // Consents are counted before the chatbot answers: it calls its observers first, so nothing here wraps its handler.
        builder.Services.AddSingleton<SubscribeConsents>();
        builder.Services.AddSingleton<IChatMessageObserver, SubscribeConsentObserver>();

        if (builder.Configuration.GetSection(RemindersOptions.SectionName).GetValue(nameof(RemindersOptions.DispatcherEnabled), true))
        {
            builder.Services.AddHostedService<ReminderDispatchService>();
        }

        builder.Services.AddRecurringJob<ReminderPlannerJob>("reminders-planner", "*/10 * * * *");
        builder.Services.AddRecurringJob<ReminderLeaseSweepJob>("reminders-lease-sweep", "* * * * *");
        builder.Services.AddHostedService<ReminderWarmUp>();
        return builder;
    }

    /// <summary>Loads the message templates and problem texts at start-up so a bad file fails the start.</summary>
    private sealed class ReminderWarmUp(IServiceProvider services) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            _ = services.GetRequiredService<ReminderMessages>();
            _ = services.GetRequiredKeyedService<ProblemTexts>(ProblemTextKeys.Reminders);
            _ = services.GetRequiredService<PolicyCatalog>();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
