using Microsoft.Extensions.Options;
using WeChatAssist.Server.Data;

namespace WeChatAssist.Server.Hosting;

/// <summary>Runs the app and turns the start-up failures an operator can fix into one line on standard error and a
/// non-zero exit code, instead of a stack trace.</summary>
internal static class StartupFailureReporting
{
    /// <summary>Exit code for invalid configuration.</summary>
    public const int ConfigurationErrorExitCode = 2;

    /// <summary>Exit code for a database that cannot be used.</summary>
    public const int DatabaseErrorExitCode = 3;

    public static async Task<int> RunReportingStartupFailuresAsync(this WebApplication app)
    {
        try
        {
            await app.RunAsync();
            return 0;
        }
        catch (OptionsValidationException ex)
        {
            await Console.Error.WriteLineAsync($"Invalid configuration: {string.Join(" ", ex.Failures)}");
            return ConfigurationErrorExitCode;
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(inner => inner is OptionsValidationException))
        {
            // Several options classes failed validation at once.
            var failures = ex.InnerExceptions.Cast<OptionsValidationException>().SelectMany(inner => inner.Failures);
            await Console.Error.WriteLineAsync($"Invalid configuration: {string.Join(" ", failures)}");
            return ConfigurationErrorExitCode;
        }
        catch (DatabaseStartupException ex)
        {
            await Console.Error.WriteLineAsync($"Database error: {ex.Message}");
            return DatabaseErrorExitCode;
        }
    }
}
