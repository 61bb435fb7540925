using WeChatAssist.Server.Broadcasts;
using WeChatAssist.Server.Chat;
using WeChatAssist.Server.Chat.Evaluation;
using WeChatAssist.Server.Clock;
using WeChatAssist.Server.Corrections;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Demo;
using WeChatAssist.Server.Health;
using WeChatAssist.Server.Hosting;
using WeChatAssist.Server.Imports;
using WeChatAssist.Server.Links;
using WeChatAssist.Server.MiniProgram;
using WeChatAssist.Server.Payments;
using WeChatAssist.Server.Policies;
using WeChatAssist.Server.PolicyDrafts;
using WeChatAssist.Server.Reminders;
using WeChatAssist.Server.Scheduling;
using WeChatAssist.Server.StaffConsole;
using WeChatAssist.Server.Staff;
using WeChatAssist.Server.Telemetry;
using WeChatAssist.Server.WeChat;

if (ChatEvaluationCommand.Matches(args))
{
    return await ChatEvaluationCommand.RunAsync(args, Console.Out, CancellationToken.None);
}

if (PolicyCommand.Matches(args))
{
    return PolicyCommand.Run(args, Console.Out, TimeProvider.System);
}

if (HealthCheckCommand.Matches(args))
{
    return await HealthCheckCommand.RunAsync(args, Console.Out);
}

if (DemoCommand.Matches(args))
{
    return await DemoCommand.RunAsync(args, Console.Out, CancellationToken.None);
}

var builder = WebApplication.CreateBuilder(args);

builder.UseDefaultUrlUnlessConfigured();
builder.AddSecretSourceCheck();
builder.AddReverseProxy();
builder.AddTelemetry();
builder.AddBusinessClock();
builder.AddDatabase();
builder.AddBusinessDateChoice();
builder.AddScheduling();
builder.AddPolicies();
builder.AddPolicyDrafts();
builder.AddWeChatChannel();
builder.AddChat();
builder.AddStaff();
builder.AddMiniProgram();
builder.AddPayments();
builder.AddReminders();
builder.AddBroadcasts();
builder.AddLinks();
builder.AddConsole();
builder.AddDemoCountyOnFirstStart();
builder.AddImports();
builder.AddCorrections();
builder.AddApiDocument();

var app = builder.Build();

app.UseStaffAntiforgery();

app.MapHealth();
app.MapPolicies();
app.MapPolicyDrafts();
app.MapWeChatChannel();
app.MapStaff();
app.MapMiniProgram();
app.MapImports();
app.MapCorrections();
app.MapReminders();
app.MapBroadcasts();
app.MapLinks();
app.MapConsole();
app.MapJobsDashboard();
app.MapApiDocument();
app.MapBusinessDate();
app.MapDemoResidents();

return await app.RunReportingStartupFailuresAsync();

/// <summary>Entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
