using System.Reflection;
using Microsoft.Extensions.Options;
using WeChatAssist.Server.Data;

namespace WeChatAssist.Server.Hosting;

/// <summary>Runs the app and turns the start-up failures an operator can fix (invalid configuration, an unusable
/// database) into one line on standard error and a non-zero exit code, instead of a stack trace.</summary>
internal static class StartupFailureReporting
{
    /// <summary>Exit code for invalid configuration.</summary>
    public const int ConfigurationErrorExitCode = 2;

    /// <summary>Exit code for a database that cannot be used.</summary>
    public const int DatabaseErrorExitCode = 3;

    /// <summary>Exit code for an address Kestrel cannot listen on.</summary>
    public const int AddressInUseExitCode = 4;

    public static async Task<int> RunReportingStartupFailuresAsync(this WebApplication app)
    {
        try
        {
            await app.RunAsync();
            return 0;
        }
        catch (Exception ex) when (RunsAsOwnProcess() && Describe(ex) is var (line, exitCode))
        {
            await Console.Error.WriteLineAsync(line);
            return exitCode;
        }
    }

    /// <summary>The one-line description and exit code of a failure an operator can fix, or <see langword="null"/>.</summary>
    public static (string Line, int ExitCode)? Describe(Exception exception) => exception switch
    {
        OptionsValidationException options => ($"Invalid configuration: {string.Join(" ", options.Failures)}", ConfigurationErrorExitCode),

        // Several options classes can fail validation at once.
        AggregateException aggregate when aggregate.InnerExceptions.All(inner => inner is OptionsValidationException) =>
            ($"Invalid configuration: {string.Join(" ", aggregate.InnerExceptions.Cast<OptionsValidationException>().SelectMany(inner => inner.Failures))}", ConfigurationErrorExitCode),
        DatabaseStartupException database => ($"Database error: {database.Message}", DatabaseErrorExitCode),
        Scheduling.JobStorageStartupException jobs => ($"Job storage error: {jobs.Message}", DatabaseErrorExitCode),
        IOException { InnerException: Microsoft.AspNetCore.Connections.AddressInUseException } io =>
            ($"Cannot listen: {io.Message} Stop the other process or choose another address with --urls or ASPNETCORE_URLS.", AddressInUseExitCode),
        _ => null,
    };

    // When another program hosts the server in its own process (WebApplicationFactory in the tests), that program
    // owns the failure: it gets the exception rather than a line on a console that is not the server's.
    private static bool RunsAsOwnProcess() => Assembly.GetEntryAssembly() == typeof(StartupFailureReporting).Assembly;
}
